//! Permissions against AWS's catalog: actions exist, apply to the resources
//! they are paired with, access levels expand, and conditions use keys that
//! exist with operators that fit their types.

use super::Checker;
use super::error::{CheckErrorKind, NotApplicable};
use super::ir::{ActionOrigin, ConditionDef, Piece, ResourceDef, Value};
use super::kinds::{iam_arn, kind_info};
use crate::catalog::{Action, Catalog, KeyType, OperatorFamily, Service};
use crate::syntax::ast::{self, ActionItem, Kind, Span};
use crate::vocabulary::{AccessLevel, ConditionOperator, Quantifier};
use std::collections::{BTreeSet, HashMap};

/// A statement's resource, resolved, with what the catalog needs to judge it.
pub(super) struct Resolved {
    /// The resource.
    pub def: ResourceDef,
    /// Where it is written.
    pub span: Span,
    /// An ARN of the shape the resource names, with `*` for variables;
    /// `None` for `*` itself. Worked out once: every action is judged on it.
    sample: Option<String>,
}

/// The example ARN of a kind, with a path under it (`None`: the resource
/// itself).
fn sample_of(kind: Kind, path: Option<&str>) -> Option<String> {
    let (_, arn) = iam_arn(kind)?;
    Some(match path {
        Some(path) => format!("{arn}{}{path}", kind_info(kind).path_separator),
        None => arn.to_string(),
    })
}

impl Resolved {
    /// A resolved resource, its sample worked out.
    pub(super) fn new(def: ResourceDef, span: Span) -> Resolved {
        let sample = sample_arn(&def);
        Resolved { def, span, sample }
    }

    /// The IAM service whose actions act on this resource, when known.
    fn service(&self, catalog: &Catalog) -> Option<&'static str> {
        match &self.def {
            ResourceDef::Any => None,
            ResourceDef::Of { kind, .. } => iam_arn(*kind).map(|(service, _)| service),
            ResourceDef::Arn(_) => catalog
                .service_for_arn(self.sample.as_deref()?)
                .map(|service| service.prefix()),
        }
    }

    /// The sample with its path replaced, and how it is written, for
    /// suggesting a fix.
    fn with_path(&self, path: Option<&str>) -> Option<(String, String)> {
        let ResourceDef::Of {
            logical_id, kind, ..
        } = &self.def
        else {
            return None;
        };
        let written = match path {
            Some(path) => format!("{logical_id}/{path}"),
            None => logical_id.clone(),
        };
        Some((sample_of(*kind, path)?, written))
    }
}

/// An ARN of the shape a resource names, with `*` for variables; `None`
/// for `*` itself or a kind without an ARN.
pub fn sample_arn(def: &ResourceDef) -> Option<String> {
    match def {
        ResourceDef::Any => None,
        ResourceDef::Arn(value) => Some(sample_text(value)),
        ResourceDef::Of { kind, path, .. } => {
            sample_of(*kind, path.as_ref().map(sample_text).as_deref())
        }
    }
}

/// The text with every variable as `*`: what the ARN could be.
fn sample_text(value: &Value) -> String {
    value
        .pieces
        .iter()
        .map(|piece| match piece {
            Piece::Literal(text) => text.as_str(),
            Piece::PolicyVar(_)
            | Piece::ServerlessVar(_)
            | Piece::Ref { .. }
            | Piece::Import(_) => "*",
        })
        .collect()
}

/// Answers the checker has already worked out. Programs repeat the same
/// actions on the same resources, and ARN matching is the costly part.
#[derive(Default)]
pub(super) struct IamCache {
    /// Pattern as written → the actions it names (only found ones).
    patterns: HashMap<String, Vec<Action<'static>>>,
    /// Sample ARN → (service, resource type) → whether it matches.
    arns: HashMap<String, HashMap<(&'static str, &'static str), bool>>,
    /// (service, level, sample ARN) → the level's actions on it.
    levels: HashMap<(&'static str, AccessLevel, String), Vec<Action<'static>>>,
    /// (action, key) → whether the action supports the key.
    keys: HashMap<(String, String), bool>,
}

impl IamCache {
    /// Whether an action can act on resources like `arn`.
    fn applies(&mut self, action: &Action<'static>, arn: &str) -> bool {
        if !self.arns.contains_key(arn) {
            self.arns.insert(arn.to_string(), HashMap::new());
        }
        let Some(by_type) = self.arns.get_mut(arn) else {
            return false;
        };
        action.resource_types().iter().any(|resource| {
            let rt = resource.resource_type;
            *by_type
                .entry((rt.service().prefix(), rt.name()))
                .or_insert_with(|| rt.matches_arn(arn))
        })
    }

    fn supports(&mut self, action: &Action<'static>, key: &str) -> bool {
        *self
            .keys
            .entry((action.full_name(), key.to_string()))
            .or_insert_with(|| action.condition_keys().iter().any(|k| k.matches_name(key)))
    }
}

impl Checker {
    /// Checks a statement's actions against its resources and its
    /// conditions against its actions; returns the actions to write (access
    /// levels expanded, patterns as written) and the conditions.
    pub(super) fn permissions(
        &mut self,
        statement: &ast::Statement,
        resources: &[Resolved],
        all_resolved: bool,
    ) -> (Vec<String>, Vec<ConditionDef>, Vec<ActionOrigin>, Vec<Span>) {
        let catalog = Catalog::get();
        let grants = self.grants(catalog, statement, resources, all_resolved);
        let (conditions, condition_spans) =
            self.statement_conditions(catalog, statement, &grants.actions, &grants.services);
        (grants.written, conditions, grants.origins, condition_spans)
    }

    /// What a statement's action items grant; reports actions that can't
    /// act on a resource of the statement.
    fn grants(
        &mut self,
        catalog: &'static Catalog,
        statement: &ast::Statement,
        resources: &[Resolved],
        all_resolved: bool,
    ) -> Grants {
        let mut grants = Grants::default();
        let mut levels: BTreeSet<String> = BTreeSet::new();
        // Per resource: the actions that don't apply to it.
        let mut misfits: Vec<Vec<NotApplicable>> = resources.iter().map(|_| Vec::new()).collect();
        for item in &statement.actions {
            match &item.node {
                ActionItem::Pattern(pattern) => {
                    grants.written.push(pattern.to_string());
                    let Some(actions) = self.action_pattern(catalog, pattern, item.span) else {
                        continue;
                    };
                    self.misfits(pattern, item.span, &actions, resources, &mut misfits);
                    grants.origins.push(ActionOrigin {
                        span: item.span,
                        written: pattern.to_string(),
                        whole_service: pattern.action == "*",
                        actions: actions.clone(),
                    });
                    grants
                        .services
                        .extend(actions.iter().map(|a| a.service().prefix()));
                    grants.actions.extend(actions);
                }
                ActionItem::Any => {
                    grants.written.push("*".to_string());
                    let origin = self.every_action(catalog, item.span, resources);
                    grants
                        .services
                        .extend(origin.actions.iter().map(|a| a.service().prefix()));
                    grants.actions.extend(origin.actions.iter().copied());
                    grants.origins.push(origin);
                }
                ActionItem::Level(level) => {
                    let expanded =
                        self.access_level(catalog, *level, item.span, resources, all_resolved);
                    grants.origins.push(ActionOrigin {
                        span: item.span,
                        written: level.keyword().to_string(),
                        whole_service: false,
                        actions: expanded.clone(),
                    });
                    for action in expanded {
                        grants.services.insert(action.service().prefix());
                        levels.insert(action.full_name());
                        grants.actions.push(action);
                    }
                }
            }
        }
        // Access levels expand after the patterns, sorted, each action once.
        for name in levels {
            if !grants.written.contains(&name) {
                grants.written.push(name);
            }
        }
        for (resource, misfit) in resources.iter().zip(misfits) {
            if !misfit.is_empty() {
                self.not_applicable(catalog, resource, misfit);
            }
        }
        grants
    }

    /// `*`: every action of every service in the catalog; no lookup can
    /// fail. On resources that are all known, only the actions that can act
    /// on one of them (IAM grants an action only on a resource of a type it
    /// acts on), so the lints judge what `*` grants there, as they judge
    /// `s3:*`; on `*`, every action.
    fn every_action(
        &mut self,
        catalog: &'static Catalog,
        span: Span,
        resources: &[Resolved],
    ) -> ActionOrigin {
        let samples: Option<Vec<&String>> = resources.iter().map(|r| r.sample.as_ref()).collect();
        let mut actions = catalog.actions_matching("*");
        if let Some(samples) = samples.filter(|samples| !samples.is_empty()) {
            actions.retain(|action| samples.iter().any(|arn| self.iam.applies(action, arn)));
        }
        ActionOrigin {
            span,
            written: "*".to_string(),
            whole_service: true,
            actions,
        }
    }

    /// Notes, per resource, a pattern none of whose actions acts on it.
    fn misfits(
        &mut self,
        pattern: &ast::ActionPattern,
        span: Span,
        actions: &[Action<'static>],
        resources: &[Resolved],
        misfits: &mut [Vec<NotApplicable>],
    ) {
        for (index, resource) in resources.iter().enumerate() {
            let Some(arn) = &resource.sample else {
                continue;
            };
            if !actions.iter().any(|action| self.iam.applies(action, arn)) {
                misfits[index].push(NotApplicable {
                    action: pattern.to_string(),
                    action_span: span,
                    only_star: actions.iter().all(|a| a.only_wildcard_resource()),
                    accepts: accepted_types(actions),
                    service: pattern.service.clone(),
                });
            }
        }
    }

    /// The conditions as written, each with where it is written, then the
    /// `Null` guards an allow's `ForAllValues:` keys need (which have no
    /// place in the source).
    fn statement_conditions(
        &mut self,
        catalog: &'static Catalog,
        statement: &ast::Statement,
        granted: &[Action<'static>],
        services: &BTreeSet<&'static str>,
    ) -> (Vec<ConditionDef>, Vec<Span>) {
        let mut conditions: Vec<ConditionDef> = Vec::new();
        let mut condition_spans: Vec<Span> = Vec::new();
        for condition in &statement.conditions {
            let Some(def) = self.condition(catalog, condition, granted, services) else {
                continue;
            };
            if self.repeated_condition(&def, condition.span, &conditions, &condition_spans) {
                continue;
            }
            conditions.push(def);
            condition_spans.push(condition.span);
        }
        if statement.effect.node == ast::Effect::Allow {
            guard_all_values(&mut conditions);
        }
        (conditions, condition_spans)
    }

    /// The catalog actions a pattern names; reports unknown services and
    /// actions, and wildcards that match nothing.
    fn action_pattern(
        &mut self,
        catalog: &'static Catalog,
        pattern: &ast::ActionPattern,
        span: Span,
    ) -> Option<Vec<Action<'static>>> {
        let Some(service) = catalog.service(&pattern.service) else {
            let suggestion = self
                .suggestions
                .did_you_mean(&pattern.service, catalog.service_prefixes());
            let kind = CheckErrorKind::UnknownService {
                service: pattern.service.clone(),
                suggestion,
            };
            self.problem(span, kind);
            return None;
        };
        let written = pattern.to_string();
        if let Some(actions) = self.iam.patterns.get(&written) {
            return Some(actions.clone());
        }
        let wildcard = pattern.action.contains(['*', '?']);
        if !wildcard {
            return match service.action(&pattern.action) {
                Some(action) => {
                    self.iam.patterns.insert(written, vec![action]);
                    Some(vec![action])
                }
                None => {
                    let suggestion = self
                        .suggestions
                        .did_you_mean(&pattern.action, service.action_names())
                        .map(|name| format!("{}:{name}", service.prefix()));
                    let kind = CheckErrorKind::UnknownAction {
                        action: pattern.to_string(),
                        suggestion,
                    };
                    self.problem(span, kind);
                    None
                }
            };
        }
        let actions = service.actions_matching(&pattern.action);
        if actions.is_empty() {
            let suggestion = self.wildcard_suggestion(service, &pattern.action);
            let kind = CheckErrorKind::WildcardMatchesNothing {
                pattern: pattern.to_string(),
                suggestion,
            };
            self.problem(span, kind);
            return None;
        }
        self.iam.patterns.insert(written, actions.clone());
        Some(actions)
    }

    /// An action, or a shorter pattern, to suggest for a wildcard pattern
    /// that matches no action of `service`.
    fn wildcard_suggestion(&mut self, service: Service<'static>, action: &str) -> Option<String> {
        let stem: String = action.chars().filter(|c| !"*?".contains(*c)).collect();
        self.suggestions
            .did_you_mean(&stem, service.action_names())
            .map(|name| format!("{}:{name}", service.prefix()))
            .or_else(|| {
                // The longest prefix of the pattern's literal start that
                // some action has: `s3:Gett*` → `s3:Get*`.
                let literal: String = action.chars().take_while(|c| !"*?".contains(*c)).collect();
                let names: Vec<String> = service.action_names().map(str::to_lowercase).collect();
                // No prefix longer than the longest name can be one
                // (trying every prefix of a huge pattern was quadratic).
                let longest = names.iter().map(String::len).max().unwrap_or(0);
                (2..literal.len().min(longest + 1))
                    .rev()
                    .filter(|&end| literal.is_char_boundary(end))
                    .map(|end| &literal[..end])
                    .find(|prefix| {
                        let prefix = prefix.to_lowercase();
                        names.iter().any(|name| name.starts_with(&prefix))
                    })
                    .map(|prefix| format!("{}:{prefix}*", service.prefix()))
            })
    }

    /// Expands an access level to the actions of that level, of each
    /// resource's service, that act on it.
    fn access_level(
        &mut self,
        catalog: &'static Catalog,
        level: AccessLevel,
        span: Span,
        resources: &[Resolved],
        all_resolved: bool,
    ) -> Vec<Action<'static>> {
        let mut expanded: Vec<Action<'static>> = Vec::new();
        for resource in resources {
            let (Some(arn), Some(service)) = (resource.sample.clone(), resource.service(catalog))
            else {
                let kind = CheckErrorKind::LevelWithoutService {
                    level: level.keyword(),
                };
                self.problem(span, kind);
                return Vec::new();
            };
            let Some(service) = catalog.service(service) else {
                continue;
            };
            let cache_key = (service.prefix(), level, arn.clone());
            let actions = match self.iam.levels.get(&cache_key) {
                Some(actions) => actions.clone(),
                None => {
                    let actions: Vec<Action<'static>> = service
                        .actions()
                        .filter(|action| {
                            action.access_level() == level
                                && !action.only_wildcard_resource()
                                && self.iam.applies(action, &arn)
                        })
                        .collect();
                    self.iam.levels.insert(cache_key, actions.clone());
                    actions
                }
            };
            for action in actions {
                if !expanded.contains(&action) {
                    expanded.push(action);
                }
            }
        }
        if expanded.is_empty() && all_resolved && !resources.is_empty() {
            let kind = CheckErrorKind::LevelExpandsToNothing {
                level: level.keyword(),
            };
            self.problem(span, kind);
        }
        expanded.sort_by_key(|action| action.full_name());
        expanded
    }

    /// One diagnostic per resource, naming every action that can't act on it.
    fn not_applicable(
        &mut self,
        catalog: &Catalog,
        resource: &Resolved,
        misfits: Vec<NotApplicable>,
    ) {
        let resource_service = resource.service(catalog).map(str::to_string);
        let written = match &resource.def {
            ResourceDef::Of {
                logical_id, path, ..
            } => match path {
                Some(path) => format!("{logical_id}/{}", path_written(path)),
                None => logical_id.clone(),
            },
            ResourceDef::Arn(value) => sample_text(value),
            ResourceDef::Any => "*".to_string(),
        };
        // A fix that makes every misfit apply: the objects under a bucket,
        // or the resource itself rather than a path under it.
        let has_path = matches!(&resource.def, ResourceDef::Of { path: Some(_), .. });
        let suggestion = if misfits.iter().all(|m| m.only_star) {
            Some("*".to_string())
        } else {
            let path = if has_path { None } else { Some("*") };
            resource
                .with_path(path)
                .filter(|(arn, _)| self.all_apply(&misfits, arn))
                .map(|(_, written)| written)
        };
        let kind = CheckErrorKind::ActionNotApplicable {
            resource: written,
            resource_service,
            misfits,
            suggestion,
        };
        self.problem(resource.span, kind);
    }

    /// Whether every misfit's actions (named by patterns already looked up)
    /// apply to `arn`.
    fn all_apply(&mut self, misfits: &[NotApplicable], arn: &str) -> bool {
        misfits.iter().all(|misfit| {
            let actions = self
                .iam
                .patterns
                .get(&misfit.action)
                .cloned()
                .unwrap_or_default();
            actions.iter().any(|action| self.iam.applies(action, arn))
        })
    }

    /// Reports a condition whose operator and key an earlier one of the
    /// statement has (keys compare ignoring case, as IAM reads them): the
    /// two cannot be written in one `Condition` block.
    fn repeated_condition(
        &mut self,
        def: &ConditionDef,
        span: Span,
        earlier: &[ConditionDef],
        spans: &[Span],
    ) -> bool {
        let first = earlier
            .iter()
            .zip(spans)
            .find(|(c, _)| c.operator == def.operator && c.key.eq_ignore_ascii_case(&def.key));
        let Some((_, first)) = first else {
            return false;
        };
        let kind = CheckErrorKind::DuplicateCondition {
            key: def.key.clone(),
            operator: def.operator.to_iam(),
            first: *first,
        };
        self.problem(span, kind);
        true
    }

    /// A condition checked against the statement's actions: its key
    /// exists and is theirs, its operator fits the key's type, and it is
    /// quantified exactly when the key is multivalued.
    fn condition(
        &mut self,
        catalog: &'static Catalog,
        condition: &ast::Spanned<ast::Condition>,
        granted: &[Action<'static>],
        services: &BTreeSet<&'static str>,
    ) -> Option<ConditionDef> {
        let condition_node = &condition.node;
        let key = &condition_node.key;
        let key_type = self.condition_key(catalog, key, granted, services)?;
        let op = condition_node.op.node;
        let Some(operator) = op.to_iam(key_type.operator_family()) else {
            let kind = CheckErrorKind::OperatorMismatch {
                key: key.node.clone(),
                key_type: key_type.as_str(),
                op: op.keyword(),
                fits: operators_of(key_type.operator_family()),
            };
            self.problem(condition_node.op.span, kind);
            return None;
        };
        let quantifier = self.quantifier(condition_node, key_type);
        let values = match op.test_value() {
            Some(value) => vec![Value::literal(value)],
            None => condition_node
                .values
                .iter()
                .map(|text| self.value(text))
                .collect(),
        };
        Some(ConditionDef {
            operator: ConditionOperator {
                quantifier,
                operator,
                if_exists: false,
            },
            key: key.node.clone(),
            values,
        })
    }

    /// The type of a condition key known to the catalog, global or of one
    /// of the statement's services; reports unknown keys (`None`) and keys
    /// none of the statement's actions supports.
    fn condition_key(
        &mut self,
        catalog: &'static Catalog,
        key: &ast::Spanned<String>,
        granted: &[Action<'static>],
        services: &BTreeSet<&'static str>,
    ) -> Option<KeyType> {
        let found = catalog.condition_key(&key.node);
        let Some(found) = found.filter(|k| {
            k.is_global()
                || k.service()
                    .is_none_or(|s| services.is_empty() || services.contains(s.prefix()))
        }) else {
            let mut candidates: Vec<&'static str> =
                catalog.global_condition_keys().map(|k| k.name()).collect();
            for service in services {
                if let Some(service) = catalog.service(service) {
                    candidates.extend(service.condition_keys().map(|k| k.name()));
                }
            }
            let suggestion = self
                .suggestions
                .did_you_mean(&key.node, candidates.iter().copied());
            let elsewhere = catalog
                .condition_key(&key.node)
                .and_then(|k| k.service())
                .map(|s| s.prefix().to_string());
            let kind = CheckErrorKind::UnknownConditionKey {
                key: key.node.clone(),
                suggestion,
                elsewhere,
            };
            self.problem(key.span, kind);
            return None;
        };
        // Keys of the statement's services that none of its actions supports
        // are ignored by IAM: the condition would always be false.
        if !found.is_global()
            && !granted.is_empty()
            && !granted
                .iter()
                .any(|action| self.iam.supports(action, &key.node))
        {
            let kind = CheckErrorKind::ConditionKeyUnsupported {
                key: key.node.clone(),
            };
            self.problem(key.span, kind);
        }
        Some(found.key_type())
    }

    /// The quantifier the IAM operator takes: the one written, but none on
    /// `exists` / `not exists` (`Null`). Reports a quantifier on a
    /// single-valued key and a comparison of a multivalued key without one.
    fn quantifier(&mut self, condition: &ast::Condition, key_type: KeyType) -> Option<Quantifier> {
        let presence = condition.op.node.is_presence();
        match &condition.quantifier {
            Some(quantifier) => {
                if !key_type.is_multivalued() {
                    let kind = CheckErrorKind::QuantifierOnSingleValue {
                        key: condition.key.node.clone(),
                    };
                    self.problem(quantifier.span, kind);
                }
                (!presence).then_some(quantifier.node)
            }
            None => {
                if key_type.is_multivalued() && !presence {
                    let kind = CheckErrorKind::MultivaluedWithoutQuantifier {
                        key: condition.key.node.clone(),
                    };
                    self.problem(condition.key.span, kind);
                }
                None
            }
        }
    }
}

/// What a statement's action items grant.
#[derive(Default)]
struct Grants {
    /// The actions to write: patterns as written, then access levels
    /// expanded.
    written: Vec<String>,
    /// Each action item with the catalog actions it names.
    origins: Vec<ActionOrigin>,
    /// Every catalog action granted.
    actions: Vec<Action<'static>>,
    /// The services of those actions.
    services: BTreeSet<&'static str>,
}

/// `ForAllValues:` is also true when the request has no value for the key
/// at all, so `allow ... when all K == v` would allow requests without K.
/// Unless the program says `K exists` itself, an allow requires the key to
/// be present (`Null: false`), which is what "all values of K" means to a
/// reader.
fn guard_all_values(conditions: &mut Vec<ConditionDef>) {
    let all_keys: Vec<String> = conditions
        .iter()
        .filter(|c| c.operator.quantifier == Some(Quantifier::All))
        .map(|c| c.key.clone())
        .collect();
    for key in all_keys {
        let guarded = conditions
            .iter()
            .any(|c| c.operator == ConditionOperator::NULL && c.key.eq_ignore_ascii_case(&key));
        if !guarded {
            conditions.push(ConditionDef {
                operator: ConditionOperator::NULL,
                key,
                values: vec![Value::literal("false")],
            });
        }
    }
}

/// The operators that fit a family, as written, for the help.
fn operators_of(family: OperatorFamily) -> &'static str {
    match family {
        OperatorFamily::String => "`==`, `!=`, `like`, `not like`",
        OperatorFamily::Numeric | OperatorFamily::Date => "`==`, `!=`, `<`, `<=`, `>`, `>=`",
        OperatorFamily::Bool => "`is true`, `is false`",
        OperatorFamily::IpAddress => "`ip`, `not ip`",
        OperatorFamily::Arn => "`==`, `!=`, `like`, `not like`",
        OperatorFamily::Binary => "`==`",
    }
}

/// The resource types the actions accept, for the help.
fn accepted_types(actions: &[Action<'_>]) -> Vec<String> {
    let mut types: Vec<String> = Vec::new();
    for action in actions {
        for resource in action.resource_types() {
            let name = resource.resource_type.name().to_string();
            if !types.contains(&name) {
                types.push(name);
            }
        }
    }
    types.truncate(6);
    types
}

fn path_written(path: &Value) -> String {
    path.pieces
        .iter()
        .map(|piece| match piece {
            Piece::Literal(text) | Piece::ServerlessVar(text) => text.clone(),
            Piece::PolicyVar(key) => format!("$<{key}>"),
            Piece::Ref { .. } | Piece::Import(_) => piece.written(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::ConditionOp;

    /// The help of E0408 (operator mismatch) names exactly the
    /// operators that fit the family (`==` on a Bool key fits but is not
    /// advertised: `is true` / `is false` say it better).
    #[test]
    fn the_operator_help_names_the_operators_that_fit() {
        for family in OperatorFamily::ALL {
            let listed: Vec<&str> = operators_of(family).split(", ").collect();
            for op in ConditionOp::ALL.into_iter().filter(|op| !op.is_presence()) {
                let shown = listed.contains(&format!("`{}`", op.keyword()).as_str());
                let fits = op.to_iam(family).is_some();
                let advertised =
                    fits && !(family == OperatorFamily::Bool && op == ConditionOp::Equals);
                assert_eq!(shown, advertised, "{family:?} {}", op.keyword());
            }
        }
    }
}
