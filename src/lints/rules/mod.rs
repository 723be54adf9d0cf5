//! Step three: least privilege. A checked program is valid; the lints ask
//! whether it is wise, as a careful AWS reviewer would: wildcards, `*`
//! resources with write access, privilege escalation, what guests get, per-
//! user prefixes without the identity id, statements that add nothing.
//!
//! Each finding is a warning or a note (`diagnostic.rs` words
//! it); none stops the build unless the project says so.

pub mod arn_set;
mod broad;
pub mod conditions;
mod cover;
mod diagnostic;
pub mod escalation;
mod fallback;
pub mod guest_scope;
pub mod managed;
mod ways_in;

use crate::catalog::{AccessLevel, Action, Catalog};
use crate::check::ir::{Checked, Piece, Pool, ResourceDef, Role, Statement, Value};
use crate::check::policy_vars::SUB;
use crate::check::sample_arn;
use crate::syntax::ast::{Effect, Kind, RoleUsage, Span};
use std::collections::{BTreeSet, HashMap};

/// Something the lints found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// What it is.
    pub kind: LintKind,
    /// The text it is about.
    pub span: Span,
}

/// The kinds of [`Finding`]; each names the code it is reported under.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LintKind {
    /// W0601: `service:*`, or `*` (every action of every service).
    ServiceWildcard {
        /// As written, e.g. `s3:*`, or `*`.
        pattern: String,
        /// How many actions it grants.
        count: usize,
        /// The access levels of its actions that act on the statement's
        /// resources (empty when the resource is `*`).
        levels: Vec<AccessLevel>,
    },
    /// W0602: `*`, or a pattern that matches every resource of a type
    /// (`arn:aws:s3:::*`), as the resource of write or permissions actions.
    StarResourceWrites {
        /// The actions that could be scoped to a resource, sorted.
        actions: Vec<String>,
        /// The pattern as written; `None` for `*`.
        resource: Option<String>,
        /// The resource types it matches every resource of (for a
        /// pattern), sorted: `s3 object`.
        kinds: Vec<String>,
    },
    /// W0603: an action that can escalate privileges, on `*` or on a
    /// pattern that matches every resource it acts on (`arn:aws:iam::*:role/*`).
    Escalation {
        /// The action item as written.
        written: String,
        /// The escalating actions it grants, sorted.
        actions: Vec<String>,
        /// Whether guests hold the role.
        guests: bool,
        /// The resource as written (`*`).
        resource: String,
    },
    /// W0604: guests are granted actions Cognito's scope-down cuts off.
    OutsideGuestScope {
        /// The action item as written.
        written: String,
        /// The actions guests never get, sorted.
        actions: Vec<String>,
        /// Whether that is every action of the item.
        all: bool,
    },
    /// N0603: guests are granted actions AWS does not document the
    /// scope-down for.
    GuestScopeUndocumented {
        /// The action item as written.
        written: String,
        /// Those actions, sorted.
        actions: Vec<String>,
        /// Whether that is every action of the item.
        all: bool,
        /// Why AWS's documents leave it open (for the first of them).
        why: guest_scope::Unclear,
    },
    /// W0605: guests can write to a resource not scoped by `$<sub>`.
    GuestWrites {
        /// The write actions, sorted.
        actions: Vec<String>,
        /// Whether the resource is `*`.
        star: bool,
        /// For a resource with `$<sub>` behind a wildcard, a text it
        /// matches in another caller's place.
        witness: Option<String>,
    },
    /// W0606: a resource that reaches other users' `private/` folders (any
    /// access) or `protected/` folders (write).
    SharedPerUserPrefix {
        /// An object key (or ARN) it matches in another user's folder.
        witness: String,
        /// `private` or `protected`.
        prefix: String,
        /// Whether the statement writes (for `protected/`, always).
        writes: bool,
        /// The resource as written.
        resource: String,
    },
    /// W0607: a statement that another one repeats or covers.
    Redundant {
        /// The statement that covers it.
        other: Span,
        /// Whether the two are the same.
        identical: bool,
        /// Whether both are `deny`.
        deny: bool,
    },
    /// W0608: an AWS managed policy known, or named, to be broad.
    BroadManagedPolicy {
        /// The policy's name (`AdministratorAccess`).
        name: String,
        /// What idpc knows of it.
        broad: managed::Broad,
        /// Whether guests hold the role.
        guests: bool,
    },
    /// W0609: a negated condition on a key some requests lack: true for
    /// them.
    NegatedOnAbsentKey {
        /// The condition key.
        key: String,
        /// The IAM operator (`StringNotLike`).
        operator: String,
        /// Why the key may be missing.
        absent: conditions::Absent,
    },
    /// W0610: `any dynamodb:LeadingKeys` on batch operations.
    AnyLeadingKeys {
        /// The batch actions granted, sorted.
        batch: Vec<String>,
    },
    /// N0601: a `deny` that matches nothing the role allows.
    DenyMatchesNothing {
        /// The role.
        role: String,
    },
    /// N0602: `$<sub>` in a condition.
    SubIsIdentityId,
    /// N0611: a pool with no identity provider whose guests are off.
    NoWayIn {
        /// The pool.
        pool: String,
        /// Whether it attaches a guest role all the same (`guests false`).
        guest_role: bool,
    },
    /// W0612: users no rule matches get a role that can do more than every
    /// rule's role.
    FallbackGrantsMore {
        /// The pool's authenticated role.
        role: String,
        /// The roles the rules hand out, sorted.
        rule_roles: Vec<String>,
        /// A request's action that the fallback role allows and no rule
        /// role does.
        action: String,
        /// Its resource's ARN, as the program writes names.
        resource: String,
    },
}

/// Lints a checked program; findings in source order.
pub fn review(checked: &Checked) -> Vec<Finding> {
    let mut findings = Vec::new();
    let roles = checked
        .pools
        .iter()
        .flat_map(|pool| &pool.roles)
        .chain(&checked.shared_roles);
    // Pools by logical ID: asking every pool about every role would be
    // quadratic in large programs.
    let by_id: HashMap<&str, &Pool> = checked
        .pools
        .iter()
        .map(|pool| (pool.logical_id.as_str(), pool))
        .collect();
    // Each role with every statement it holds that the program wrote (its
    // named policies', and its attached managed policies'), then each
    // managed policy no role of the program attaches, alone.
    let mut reviewed: Vec<(std::borrow::Cow<'_, Role>, usize)> = roles
        .map(|role| {
            let own = role.statements.len()
                + role
                    .policies
                    .iter()
                    .map(|p| p.statements.len())
                    .sum::<usize>();
            (checked.permissions(role), own)
        })
        .collect();
    reviewed.extend(unattached_policies(checked).map(|role| {
        let own = role.statements.len();
        (std::borrow::Cow::Owned(role), own)
    }));
    for (role, own) in &reviewed {
        let pools: Vec<&Pool> = role
            .trusted_pools
            .iter()
            .filter_map(|id| by_id.get(id.as_str()).copied())
            .collect();
        RoleLints::new(role, &pools)
            .with_own(*own)
            .run(&mut findings);
    }
    findings.extend(ways_in::review(checked));
    findings.extend(fallback::review(checked));
    // Once per program: the explanation is the same everywhere.
    let sub_in_condition = reviewed
        .iter()
        .flat_map(|(role, _)| &role.statements)
        .filter_map(|statement| statement.origin.sub_in_condition)
        .min_by_key(|span| span.start);
    if let Some(span) = sub_in_condition {
        findings.push(Finding {
            kind: LintKind::SubIsIdentityId,
            span,
        });
    }
    findings.sort_by_key(|finding| (finding.span.start, finding.span.end));
    // A managed policy two roles attach is judged once per role: say each
    // finding once.
    // Sorted by span, repeats sit among the findings of their span.
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut span_start = 0;
    for finding in findings {
        if kept.last().is_none_or(|last| last.span != finding.span) {
            span_start = kept.len();
        }
        if !kept[span_start..].contains(&finding) {
            kept.push(finding);
        }
    }
    kept
}

/// The program's managed policies that no role of the program attaches,
/// each as a role of its own statements that no pool trusts: judged like a
/// signed-in users' role (no guests, no principal tags known).
fn unattached_policies(checked: &Checked) -> impl Iterator<Item = Role> + '_ {
    let attached: BTreeSet<&str> = checked
        .pools
        .iter()
        .flat_map(|pool| &pool.roles)
        .chain(&checked.shared_roles)
        .flat_map(|role| &role.attached_policies)
        .map(|(_, id)| id.as_str())
        .collect();
    checked
        .managed_policies()
        .iter()
        .filter(move |policy| !attached.contains(policy.logical_id.as_str()))
        .map(|policy| Role {
            logical_id: policy.logical_id.clone(),
            usage: RoleUsage::Authenticated,
            trusted_pools: Vec::new(),
            tag_session: false,
            managed_policies: Vec::new(),
            managed_policy_spans: Vec::new(),
            boundary: None,
            policy_name: Value::default(),
            statements: policy.statements.clone(),
            attached_policies: Vec::new(),
            policies: Vec::new(),
            properties: Default::default(),
            condition: policy.condition.clone(),
        })
}

/// Roles with more statements than this are compared pairwise only for
/// exact repeats: IAM's 10,240-character limit on a role's inline policies
/// keeps real roles far below it, and pairwise covering is quadratic.
const PAIRWISE_LIMIT: usize = 256;

/// The lints of one role.
struct RoleLints<'a> {
    role: &'a Role,
    guests: bool,
    /// Guests in the enhanced flow only: Cognito's scope-down applies.
    scoped_down: bool,
    /// Each statement's catalog actions, by full name.
    actions: Vec<BTreeSet<ActionName>>,
    /// The principal tags the trusting pools map; `None` when unknown (a
    /// tag name from a variable, or no trusting pool).
    mapped_tags: Option<BTreeSet<String>>,
    /// How many of the role's statements are its own (the others are an
    /// attached managed policy's: another role may need them, so they are
    /// never the one reported as a repeat).
    own: usize,
}

impl<'a> RoleLints<'a> {
    fn new(role: &'a Role, pools: &[&Pool]) -> RoleLints<'a> {
        let guests = role.usage == RoleUsage::Unauthenticated;
        RoleLints {
            role,
            guests,
            scoped_down: guests && pools.iter().all(|pool| !pool.classic_flow),
            actions: role.statements.iter().map(actions_of).collect(),
            mapped_tags: mapped_tags(pools),
            own: role.statements.len(),
        }
    }

    /// Only the first `own` statements are the role's own; the others come
    /// from the program's managed policies it attaches (see `review`).
    fn with_own(mut self, own: usize) -> Self {
        self.own = own;
        self
    }

    fn run(&self, findings: &mut Vec<Finding>) {
        let pairwise = self.role.statements.len() <= PAIRWISE_LIMIT;
        let allowed: BTreeSet<&ActionName> = self
            .role
            .statements
            .iter()
            .zip(&self.actions)
            .filter(|(statement, _)| statement.effect == Effect::Allow)
            .flat_map(|(_, actions)| actions)
            .collect();
        self.managed_policies(findings);
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (index, statement) in self.role.statements.iter().enumerate() {
            match statement.effect {
                Effect::Allow => {
                    self.service_wildcards(statement, findings);
                    self.star_resource(statement, findings);
                    self.guest_scope(statement, findings);
                    self.per_user_prefixes(statement, findings);
                    self.conditions(statement, findings);
                }
                Effect::Deny => {
                    // Large roles: only a deny of actions no allow names.
                    let might_match = self.actions[index].iter().any(|a| allowed.contains(a));
                    if !might_match || (pairwise && !self.deny_overlaps(index)) {
                        self.deny_matches_nothing(statement, findings);
                    }
                }
            }
            if index >= self.own {
                // An attached managed policy's statement: seen, not judged
                // as a repeat (it may be another role's only grant).
                seen.entry(repeat_key(statement)).or_insert(index);
            } else if pairwise {
                self.redundant(index, statement, findings);
            } else {
                self.repeated(index, statement, &mut seen, findings);
            }
        }
    }

    /// W0609 and W0610: allow conditions that hold for requests the
    /// author meant to refuse.
    fn conditions(&self, statement: &Statement, findings: &mut Vec<Finding>) {
        let spans = &statement.origin.conditions;
        for (index, absent) in conditions::negated_on_absent(statement, self.mapped_tags.as_ref()) {
            let condition = &statement.conditions[index];
            findings.push(Finding {
                kind: LintKind::NegatedOnAbsentKey {
                    key: condition.key.clone(),
                    operator: condition.operator.to_iam(),
                    absent,
                },
                span: spans[index],
            });
        }
        if let Some((index, batch)) = conditions::any_leading_keys(statement) {
            findings.push(Finding {
                kind: LintKind::AnyLeadingKeys { batch },
                span: spans[index],
            });
        }
    }

    /// W0608.
    fn managed_policies(&self, findings: &mut Vec<Finding>) {
        let policies = self.role.managed_policies.iter();
        for (arn, span) in policies.zip(&self.role.managed_policy_spans) {
            let Some(broad) = managed::broad(arn) else {
                continue;
            };
            let name = match &broad {
                managed::Broad::Known(index) => managed::KNOWN[*index].name.to_string(),
                managed::Broad::FullAccessByName(name) => name.clone(),
            };
            findings.push(Finding {
                kind: LintKind::BroadManagedPolicy {
                    name,
                    broad,
                    guests: self.guests,
                },
                span: *span,
            });
        }
    }

    /// W0601.
    fn service_wildcards(&self, statement: &Statement, findings: &mut Vec<Finding>) {
        let samples: Vec<String> = statement.resources.iter().filter_map(sample_arn).collect();
        let star = statement
            .resources
            .iter()
            .any(|r| matches!(r, ResourceDef::Any));
        for origin in statement.origin.actions.iter().filter(|o| o.whole_service) {
            let levels: BTreeSet<AccessLevel> = match origin.actions.first() {
                Some(_) if !star => {
                    // The services' resource types the resources are, each
                    // matched once (`s3:*` is 180 actions over 20 types;
                    // `*` is every service).
                    let services: BTreeSet<&'static str> = origin
                        .actions
                        .iter()
                        .map(|action| action.service().prefix())
                        .collect();
                    let matched: Vec<_> = services
                        .into_iter()
                        .filter_map(|prefix| Catalog::get().service(prefix))
                        .flat_map(|service| service.resource_types().collect::<Vec<_>>())
                        .filter(|rt| samples.iter().any(|arn| rt.matches_arn(arn)))
                        .collect();
                    origin
                        .actions
                        .iter()
                        .filter(|action| {
                            action
                                .resource_types()
                                .iter()
                                .any(|r| matched.contains(&r.resource_type))
                        })
                        .map(Action::access_level)
                        .collect()
                }
                _ => BTreeSet::new(),
            };
            findings.push(Finding {
                kind: LintKind::ServiceWildcard {
                    pattern: origin.written.clone(),
                    count: origin.actions.len(),
                    levels: levels.into_iter().collect(),
                },
                span: origin.span,
            });
        }
    }

    /// W0602 and W0603: a resource that matches every resource of the
    /// kind an action acts on (`*`, `arn:aws:s3:::*`,
    /// `arn:aws:iam::*:role/*`), with actions that write or escalate.
    fn star_resource(&self, statement: &Statement, findings: &mut Vec<Finding>) {
        // Per action item: the first broad resource it escalates on, and
        // the escalating actions there.
        let mut escalations: Vec<Option<(String, Vec<String>)>> =
            vec![None; statement.origin.actions.len()];
        for (resource, span) in statement.resources.iter().zip(&statement.origin.resources) {
            let Some(broad) = broad::Broad::of(resource) else {
                continue;
            };
            let mut writes = BTreeSet::new();
            let mut kinds = BTreeSet::new();
            for (origin, escalation) in statement.origin.actions.iter().zip(&mut escalations) {
                if escalation.is_none() {
                    let escalating: BTreeSet<String> = origin
                        .actions
                        .iter()
                        .filter(|action| escalates(action) && broad.covers(action).is_some())
                        .map(Action::full_name)
                        .collect();
                    if !escalating.is_empty() {
                        *escalation = Some((written(resource), escalating.into_iter().collect()));
                    }
                }
                for action in &origin.actions {
                    let writes_here = matches!(
                        action.access_level(),
                        AccessLevel::Write | AccessLevel::Permissions
                    ) && !action.only_wildcard_resource()
                        && !escalates(action)
                        && !broad::needs_no_credentials(action);
                    if let Some(kind) = writes_here.then(|| broad.covers(action)).flatten() {
                        writes.insert(action.full_name());
                        kinds.extend(kind);
                    }
                }
            }
            if !writes.is_empty() {
                findings.push(Finding {
                    kind: LintKind::StarResourceWrites {
                        actions: writes.into_iter().collect(),
                        resource: broad.written(),
                        kinds: kinds.into_iter().collect(),
                    },
                    span: *span,
                });
            }
        }
        for (origin, escalation) in statement.origin.actions.iter().zip(escalations) {
            let Some((resource, actions)) = escalation else {
                continue;
            };
            findings.push(Finding {
                kind: LintKind::Escalation {
                    written: origin.written.clone(),
                    actions,
                    guests: self.guests,
                    resource,
                },
                span: origin.span,
            });
        }
    }

    /// W0604 and W0605: what guests are given.
    fn guest_scope(&self, statement: &Statement, findings: &mut Vec<Finding>) {
        if !self.guests {
            return;
        }
        let mut effective: Vec<Action<'static>> = Vec::new();
        for origin in &statement.origin.actions {
            let mut kept: Vec<Action<'static>> = Vec::new();
            let mut cut: Vec<String> = Vec::new();
            let mut open: Vec<(String, guest_scope::Unclear)> = Vec::new();
            for action in &origin.actions {
                match self.scoped_down.then(|| guest_scope::scope(action)) {
                    Some(guest_scope::Scope::CutOff) => cut.push(action.full_name()),
                    Some(guest_scope::Scope::Undocumented(why)) => {
                        open.push((action.full_name(), why));
                        kept.push(*action);
                    }
                    _ => kept.push(*action),
                }
            }
            let count = origin.actions.len();
            if !cut.is_empty() {
                findings.push(Finding {
                    kind: LintKind::OutsideGuestScope {
                        written: origin.written.clone(),
                        all: cut.len() == count,
                        actions: sorted(cut),
                    },
                    span: origin.span,
                });
            }
            if let Some(&(_, why)) = open.first() {
                findings.push(Finding {
                    kind: LintKind::GuestScopeUndocumented {
                        written: origin.written.clone(),
                        all: open.len() == count,
                        actions: sorted(open.into_iter().map(|(name, _)| name).collect()),
                        why,
                    },
                    span: origin.span,
                });
            }
            effective.extend(kept);
        }
        self.guest_writes(statement, &effective, findings);
    }

    /// W0605: guests' writes to S3 or DynamoDB data not scoped by `$<sub>`,
    /// of the actions the scope-down leaves them (`effective`).
    fn guest_writes(
        &self,
        statement: &Statement,
        effective: &[Action<'static>],
        findings: &mut Vec<Finding>,
    ) {
        let leading_keys_scoped = scoped_by_leading_keys(statement);
        let writes: Vec<&Action<'static>> = effective
            .iter()
            .filter(|action| {
                matches!(
                    action.access_level(),
                    AccessLevel::Write | AccessLevel::Permissions
                ) && match action.service().prefix() {
                    "dynamodb" => !leading_keys_scoped,
                    prefix => PER_IDENTITY_STORES.iter().any(|(p, _)| *p == prefix),
                }
            })
            .collect();
        if writes.is_empty() {
            return;
        }
        for (resource, span) in statement.resources.iter().zip(&statement.origin.resources) {
            if scoped_by_sub(resource) || per_user_prefix(resource).is_some() {
                continue;
            }
            let sample = sample_arn(resource);
            let mut actions: Vec<String> = writes
                .iter()
                .filter(|action| match &sample {
                    None => true,
                    Some(arn) => applies(action, arn),
                })
                .map(|action| action.full_name())
                .collect();
            actions.sort();
            actions.dedup();
            if !actions.is_empty() {
                findings.push(Finding {
                    kind: LintKind::GuestWrites {
                        actions,
                        star: matches!(resource, ResourceDef::Any),
                        witness: arn_set::of_resource(resource)
                            .and_then(|pattern| pattern.others_sample()),
                    },
                    span: *span,
                });
            }
        }
    }

    /// W0606.
    fn per_user_prefixes(&self, statement: &Statement, findings: &mut Vec<Finding>) {
        let writes = statement
            .origin
            .actions
            .iter()
            .flat_map(|origin| &origin.actions)
            .any(|action| {
                matches!(
                    action.access_level(),
                    AccessLevel::Write | AccessLevel::Permissions | AccessLevel::Tagging
                )
            });
        for (resource, span) in statement.resources.iter().zip(&statement.origin.resources) {
            let folders: &[&'static str] = if writes {
                &["private", "protected"]
            } else {
                &["private"]
            };
            let Some((prefix, witness)) = folders
                .iter()
                .find_map(|folder| others_folder(resource, folder).map(|w| (*folder, w)))
            else {
                continue;
            };
            findings.push(Finding {
                kind: LintKind::SharedPerUserPrefix {
                    witness,
                    prefix: prefix.to_string(),
                    writes,
                    resource: written(resource),
                },
                span: *span,
            });
        }
    }

    /// Whether some allow of the role grants an action of the deny at
    /// `index` on a resource the deny may name.
    fn deny_overlaps(&self, index: usize) -> bool {
        let deny = &self.role.statements[index];
        let denied = &self.actions[index];
        self.role
            .statements
            .iter()
            .zip(&self.actions)
            .filter(|(statement, _)| statement.effect == Effect::Allow)
            .any(|(allow, allowed)| {
                allowed.iter().any(|a| denied.contains(a))
                    && allow
                        .resources
                        .iter()
                        .any(|a| deny.resources.iter().any(|d| cover::may_overlap(a, d)))
            })
    }

    /// N0601.
    fn deny_matches_nothing(&self, deny: &Statement, findings: &mut Vec<Finding>) {
        // Managed policies grant what idpc can't see: ARNs, those of the
        // rest of the stack (what `Checked::permissions` leaves attached),
        // and, for a managed policy judged alone (no pool trusts it), the
        // other policies of whoever it is attached to.
        if !self.role.managed_policies.is_empty()
            || !self.role.attached_policies.is_empty()
            || self.role.trusted_pools.is_empty()
        {
            return;
        }
        findings.push(Finding {
            kind: LintKind::DenyMatchesNothing {
                role: self.role.logical_id.clone(),
            },
            span: deny.origin.span,
        });
    }

    /// W0607 for large roles: exact repeats only, in linear time.
    fn repeated(
        &self,
        index: usize,
        statement: &Statement,
        seen: &mut HashMap<String, usize>,
        findings: &mut Vec<Finding>,
    ) {
        let key = repeat_key(statement);
        match seen.get(&key) {
            Some(&first) => findings.push(Finding {
                kind: LintKind::Redundant {
                    other: self.role.statements[first].origin.span,
                    identical: true,
                    deny: statement.effect == Effect::Deny,
                },
                span: statement.origin.span,
            }),
            None => {
                seen.insert(key, index);
            }
        }
    }

    /// W0607: another statement of the role grants all this one does. Of
    /// two that cover each other (the same grant), the later is reported.
    fn redundant(&self, index: usize, statement: &Statement, findings: &mut Vec<Finding>) {
        let statements = &self.role.statements;
        let narrow = &self.actions[index];
        let covering = statements.iter().enumerate().find(|(other, wide)| {
            let wide_actions = &self.actions[*other];
            *other != index
                && covers(wide, wide_actions, statement, narrow)
                && (*other < index || !covers(statement, narrow, wide, wide_actions))
        });
        if let Some((_, wide)) = covering {
            let identical = wide.actions == statement.actions
                && wide.resources == statement.resources
                && wide.conditions == statement.conditions;
            findings.push(Finding {
                kind: LintKind::Redundant {
                    other: wide.origin.span,
                    identical,
                    deny: statement.effect == Effect::Deny,
                },
                span: statement.origin.span,
            });
        }
    }
}

/// What makes two statements the same, for [`RoleLints::repeated`].
fn repeat_key(statement: &Statement) -> String {
    format!(
        "{:?}",
        (
            statement.effect,
            &statement.actions,
            &statement.resources,
            &statement.conditions
        )
    )
}

/// Whether `wide` grants (or denies) everything `narrow` does: the same
/// effect, no condition of its own beyond `narrow`'s, every action and
/// every resource.
fn covers(
    wide: &Statement,
    wide_actions: &BTreeSet<ActionName>,
    narrow: &Statement,
    narrow_actions: &BTreeSet<ActionName>,
) -> bool {
    wide.effect == narrow.effect
        && (wide.conditions.is_empty() || wide.conditions == narrow.conditions)
        && narrow_actions.is_subset(wide_actions)
        && narrow.resources.iter().all(|narrow| {
            wide.resources
                .iter()
                .any(|wide| cover::covers(wide, narrow))
        })
}

/// The principal tags the pools map (Cognito's defaults are `client` and
/// `username`); `None` when a tag's name is not literal or there is no pool.
fn mapped_tags(pools: &[&Pool]) -> Option<BTreeSet<String>> {
    if pools.is_empty() {
        return None;
    }
    let mut mapped = BTreeSet::new();
    for principal_tags in pools.iter().flat_map(|pool| &pool.principal_tags) {
        if principal_tags.use_defaults {
            mapped.extend(["client".to_string(), "username".to_string()]);
        }
        for (tag, _) in &principal_tags.tags {
            match &tag.pieces[..] {
                [Piece::Literal(name)] => mapped.insert(name.clone()),
                _ => return None,
            };
        }
    }
    Some(mapped)
}

/// Every catalog action a statement names.
fn actions_of(statement: &Statement) -> BTreeSet<ActionName> {
    statement
        .origin
        .actions
        .iter()
        .flat_map(|origin| {
            origin
                .actions
                .iter()
                .map(|action| (action.service().prefix(), action.name()))
        })
        .collect()
}

/// Sorted, without repeats.
fn sorted(mut actions: Vec<String>) -> Vec<String> {
    actions.sort();
    actions.dedup();
    actions
}

/// An action as (service prefix, name): comparable without allocating.
type ActionName = (&'static str, &'static str);

/// Whether an action can act on resources like `arn` (guests' grants
/// only: few actions, so no cache).
fn applies(action: &Action<'static>, arn: &str) -> bool {
    action
        .resource_types()
        .iter()
        .any(|resource| resource.resource_type.matches_arn(arn))
}

/// Actions that let the holder give itself more permissions, as AWS
/// documents them: the cited table in [`escalation`].
fn escalates(action: &Action<'static>) -> bool {
    escalation::escalation(action.service().prefix(), action.name()).is_some()
}

/// Whether a resource reaches only the caller's own resources: a fixed
/// text, then `$<sub>` (see [`arn_set::Pattern::scoped_by_sub`]).
fn scoped_by_sub(resource: &ResourceDef) -> bool {
    arn_set::of_resource(resource).is_some_and(|pattern| pattern.scoped_by_sub())
}

/// The services whose data AWS documents scoping to each identity with
/// `${cognito-identity.amazonaws.com:sub}`: W0605 judges guests' writes to
/// these only. Elsewhere a guest's write is a call into the owner's API
/// (`appsync:GraphQL`, `lambda:InvokeFunction`, `execute-api:Invoke`) or an
/// event the app collects (`firehose:PutRecord`, `mobiletargeting:PutEvents`),
/// the documented designs of guest access, not a store one guest can wipe
/// for the others.
pub const PER_IDENTITY_STORES: &[(&str, &str)] = &[
    (
        "s3",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_s3_cognito-bucket.html",
    ),
    (
        "dynamodb",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_dynamodb_items.html",
    ),
];

/// Whether a statement keeps DynamoDB requests to the caller's own items:
/// a `dynamodb:LeadingKeys` condition whose every value holds `$<sub>`
/// (the DynamoDB guide's fine-grained access control; `any` on batch
/// operations is W0610's).
fn scoped_by_leading_keys(statement: &Statement) -> bool {
    statement.conditions.iter().any(|condition| {
        condition.key.eq_ignore_ascii_case("dynamodb:LeadingKeys")
            && !condition.operator.is_negated()
            && !condition.values.is_empty()
            && condition.values.iter().all(|value| {
                value
                    .pieces
                    .iter()
                    .any(|piece| matches!(piece, Piece::PolicyVar(key) if key == SUB))
            })
    })
}

/// `private` or `protected` when the resource reaches objects in other
/// users' folders under that prefix (Amplify's per-user folders).
fn per_user_prefix(resource: &ResourceDef) -> Option<&'static str> {
    ["private", "protected"]
        .into_iter()
        .find(|folder| others_folder(resource, folder).is_some())
}

/// An object of another user's `folder/<identity id>/` the resource
/// matches: its key (a path under a bucket) or its ARN.
fn others_folder(resource: &ResourceDef, folder: &str) -> Option<String> {
    match resource {
        ResourceDef::Of {
            kind: Kind::Bucket,
            path: Some(path),
            ..
        } => arn_set::Pattern::of_value(path).reaches_others_folder(folder, true),
        ResourceDef::Arn(value) => {
            arn_set::Pattern::of_value(value).reaches_others_folder(folder, false)
        }
        _ => None,
    }
}

/// A resource as the program writes it.
fn written(resource: &ResourceDef) -> String {
    let text = |value: &Value| -> String {
        value
            .pieces
            .iter()
            .map(|piece| match piece {
                Piece::Literal(text) => text.clone(),
                Piece::PolicyVar(key) => {
                    match key.strip_prefix(crate::check::policy_vars::COGNITO_PREFIX) {
                        Some(short) => format!("$<{short}>"),
                        None => format!("$<{key}>"),
                    }
                }
                Piece::ServerlessVar(var) => var.clone(),
                Piece::Ref { .. } | Piece::Import(_) => piece.written(),
            })
            .collect()
    };
    match resource {
        ResourceDef::Any => "*".to_string(),
        ResourceDef::Arn(value) => format!("\"{}\"", text(value)),
        ResourceDef::Of {
            logical_id, path, ..
        } => match path {
            Some(path) => format!("{logical_id}/{}", text(path)),
            None => logical_id.clone(),
        },
    }
}
