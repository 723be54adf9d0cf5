//! The diff engine on hand-built models, decided by a small stand-in for
//! Cognito (default roles, rules in order, the role's policies).

use serde_json::{Value, json};

use super::*;
use crate::access::eval::{Request, evaluate};
use crate::access::model::{Mapping, Provider, ProviderKind, RoleChoice, Rule, TagMapping};
use crate::access::policy::Origin;

/// Guests get the unauthenticated role; a signed-in caller the first rule
/// whose claim matches, else the authenticated role (or nothing with
/// `deny_otherwise`); the role's policies decide.
fn stand_in(
    model: &Model,
    caller: &Caller,
    action: &str,
    resource: &Concrete,
    context: &Context,
) -> Answer {
    let pool = model.pool(&caller.pool).unwrap_or_else(|| unreachable!());
    let mut context = context.clone();
    context.set(
        "cognito-identity.amazonaws.com:sub",
        vec![Concrete::literal(&caller.identity)],
    );
    let role = match &caller.kind {
        CallerKind::Guest => pool.unauthenticated.as_ref().map(|c| c.role.clone()),
        CallerKind::SignedIn { provider, claims } => {
            for tags in &pool.principal_tags {
                for (tag, claim) in &tags.tags {
                    if let Some((_, v)) = claims.iter().find(|(c, _)| c == claim) {
                        context.set(
                            &format!("aws:PrincipalTag/{tag}"),
                            vec![Concrete::literal(v)],
                        );
                    }
                }
            }
            let mapping = pool
                .mappings
                .iter()
                .find(|m| Some(&m.provider) == provider.as_ref());
            match mapping {
                Some(m) => {
                    let claim = |name: &str| claims.iter().find(|(c, _)| c == name).map(|(_, v)| v);
                    let hit = m.rules.iter().flatten().find(|r| match claim(&r.claim) {
                        Some(v) => match r.match_type.as_str() {
                            "Equals" => *v == r.value,
                            "Contains" => v.contains(&r.value),
                            "StartsWith" => v.starts_with(&r.value),
                            _ => *v != r.value,
                        },
                        None => false,
                    });
                    match hit {
                        Some(rule) => Some(rule.role.clone()),
                        None if m.deny_otherwise => None,
                        None => pool.authenticated.as_ref().map(|c| c.role.clone()),
                    }
                }
                None => pool.authenticated.as_ref().map(|c| c.role.clone()),
            }
        }
    };
    let Some(role_ref) = role else {
        return answer(Decision::ImplicitDeny, None, Vec::new());
    };
    let RoleRef::Role(id) = &role_ref else {
        return answer(Decision::Unknown, Some(role_ref), Vec::new());
    };
    let role = model.role(id).unwrap_or_else(|| unreachable!());
    if !role.unknown_policies.is_empty() {
        return answer(Decision::Unknown, Some(role_ref), Vec::new());
    }
    let policies: Vec<&Policy> = role.policies.iter().collect();
    let request = Request {
        action: action.to_string(),
        resource: resource.clone(),
        context,
    };
    let verdict = evaluate(&policies, &request);
    answer(verdict.decision, Some(role_ref), verdict.deciding)
}

fn answer(
    decision: Decision,
    role: Option<RoleRef>,
    statements: Vec<(super::super::policy::Effect, Origin)>,
) -> Answer {
    Answer {
        decision,
        role,
        reason: String::new(),
        statements,
        chain: Vec::new(),
    }
}

/// A role whose policy is `statements`; each statement's origin is its
/// place in the list (as spans would be), so reordering changes origins.
fn role(id: &str, statements: Value) -> RoleAccess {
    let document = json!({"Version": "2012-10-17", "Statement": statements});
    let mut policy = Policy::from_json(&format!("policy of {id}"), &document)
        .unwrap_or_else(|e| unreachable!("{e}"));
    for (i, statement) in policy.statements.iter_mut().enumerate() {
        statement.origin.span = Some(crate::source::Span::new(0, i, i + 1));
    }
    RoleAccess {
        id: id.to_string(),
        trust: Policy::default(),
        policies: vec![policy],
        unknown_policies: Vec::new(),
        boundary: None,
        condition: None,
        unread: Vec::new(),
        span: None,
    }
}

fn choice(id: &str) -> Option<RoleChoice> {
    Some(RoleChoice {
        role: RoleRef::Role(id.to_string()),
        condition: None,
    })
}

const PROVIDER: &str = "cognito-idp.$(AWS::Region).amazonaws.com/$(UserPool):$(Client)";

/// A pool `MediaPool` with a guest role and an authenticated role.
fn pool(guest: Option<&str>, auth: Option<&str>) -> PoolAccess {
    PoolAccess {
        id: "MediaPool".into(),
        guests: Tri::from_bool(guest.is_some()),
        classic_flow: false,
        providers: vec![Provider {
            kind: ProviderKind::UserPool,
            name: PROVIDER.into(),
            aliases: vec!["UserPool".into()],
        }],
        authenticated: auth.and_then(choice),
        unauthenticated: guest.and_then(choice),
        mappings: Vec::new(),
        principal_tags: Vec::new(),
        condition: None,
        span: None,
    }
}

fn model(pool: PoolAccess, roles: Vec<RoleAccess>) -> Model {
    Model {
        pools: vec![pool],
        roles,
        resources: Vec::new(),
        whole_names: Default::default(),
    }
}

fn media(path: &str) -> Value {
    json!(format!("arn:aws:s3:::$(Media){path}"))
}

/// `arn:aws:s3:::$(Media)...` with `$(Media)` opaque, as the model holds it.
fn opaque_media(model: &mut Model) {
    for role in &mut model.roles {
        for policy in &mut role.policies {
            for statement in &mut policy.statements {
                let (Resources::Only(list) | Resources::AllBut(list)) = &mut statement.resources;
                for text in list {
                    let mut pieces = Vec::new();
                    for piece in std::mem::take(&mut text.pieces) {
                        match piece {
                            Piece::Lit(s) if s.contains("$(Media)") => {
                                let (a, b) = s.split_once("$(Media)").unwrap_or_default();
                                pieces.push(Piece::Lit(a.into()));
                                pieces.push(Piece::Opaque("$(Media)".into()));
                                pieces.push(Piece::Lit(b.into()));
                            }
                            other => pieces.push(other),
                        }
                    }
                    text.pieces = pieces;
                }
            }
        }
    }
}

fn run(mut old: Model, mut new: Model) -> Diff {
    opaque_media(&mut old);
    opaque_media(&mut new);
    diff_with(&old, &new, &stand_in)
}

fn lines(diff: &Diff) -> Vec<String> {
    diff.changes
        .iter()
        .map(|c| {
            format!(
                "{} {}: {} {} on {} [{}] (e.g. {} {})",
                c.who,
                c.role.as_deref().unwrap_or("-"),
                c.kind.as_str(),
                c.actions.join(", "),
                c.resources.join(", "),
                c.conditions.join("; "),
                c.example.action,
                c.example.resource
            )
        })
        .collect()
}

fn guest_model(statements: Value) -> Model {
    model(
        pool(Some("GuestRole"), None),
        vec![role("GuestRole", statements)],
    )
}

#[test]
fn a_wider_resource_is_added_with_an_example() {
    let old = guest_model(
        json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": media("/public/*")}]),
    );
    let new = guest_model(json!([
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": media("/public/*")},
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": media("/public/*")}
    ]));
    assert_eq!(
        lines(&run(old.clone(), new.clone())),
        [
            "guests GuestRole: added s3:PutObject on arn:aws:s3:::$(Media)/public/* [] (e.g. s3:PutObject arn:aws:s3:::$(Media)/public/x)"
        ]
    );
    assert_eq!(
        lines(&run(new, old)),
        [
            "guests GuestRole: removed s3:PutObject on arn:aws:s3:::$(Media)/public/* [] (e.g. s3:PutObject arn:aws:s3:::$(Media)/public/x)"
        ]
    );
}

#[test]
fn meaning_preserving_rewrites_are_no_change() {
    let old = guest_model(json!([
        {"Effect": "Allow", "Action": ["s3:Get*", "s3:PutObject"], "Resource": [media("/public/*"), media("/shared/*")]},
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": media("/public/secret/*")}
    ]));
    let get_list: Vec<String> = Catalog::get()
        .actions_matching("s3:Get*")
        .iter()
        .map(|a| a.full_name())
        .collect();
    // Reordered, split, `s3:Get*` spelled out, the role renamed.
    let new = model(
        pool(Some("Visitors"), None),
        vec![role(
            "Visitors",
            json!([
                {"Effect": "Deny", "Action": "s3:GetObject", "Resource": media("/public/secret/*")},
                {"Effect": "Allow", "Action": "s3:PutObject", "Resource": [media("/shared/*"), media("/public/*")]},
                {"Effect": "Allow", "Action": get_list, "Resource": media("/shared/*")},
                {"Effect": "Allow", "Action": get_list, "Resource": media("/public/*")}
            ]),
        )],
    );
    assert_eq!(lines(&run(old, new)), Vec::<String>::new());
}

#[test]
fn a_new_deny_removes_and_a_wildcard_shows_as_its_pattern() {
    let old =
        guest_model(json!([{"Effect": "Allow", "Action": "s3:Get*", "Resource": media("/*")}]));
    let new = guest_model(json!([
        {"Effect": "Allow", "Action": "s3:Get*", "Resource": media("/*")},
        {"Effect": "Deny", "Action": "s3:*", "Resource": media("/private/*")}
    ]));
    assert_eq!(
        lines(&run(old, new)),
        [
            "guests GuestRole: removed s3:Get* on arn:aws:s3:::$(Media)/* [] (e.g. s3:GetAccelerateConfiguration arn:aws:s3:::$(Media)/private/x)"
        ]
    );
}

#[test]
fn own_prefix_opened_to_everyone_is_added_for_other_identities() {
    let statements = |path: &str| json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": media(path)}]);
    let old = model(
        pool(None, Some("Auth")),
        vec![role(
            "Auth",
            statements("/private/${cognito-identity.amazonaws.com:sub}/*"),
        )],
    );
    let new = model(
        pool(None, Some("Auth")),
        vec![role("Auth", statements("/private/*"))],
    );
    let diff = run(old, new);
    assert_eq!(
        lines(&diff),
        [
            "users signed in with UserPool Auth: added s3:GetObject on arn:aws:s3:::$(Media)/private/* [] (e.g. s3:GetObject arn:aws:s3:::$(Media)/private/x)"
        ]
    );
    assert!(diff.broadens());
}

#[test]
fn rules_reach_their_roles_in_order() {
    let mapped = |first: &str| {
        let mut pool = pool(None, Some("Reader"));
        pool.mappings = vec![Mapping {
            provider: PROVIDER.into(),
            rules: Some(vec![
                Rule {
                    claim: "cognito:groups".into(),
                    match_type: "Contains".into(),
                    value: "admin".into(),
                    role: RoleRef::Role(first.into()),
                },
                Rule {
                    claim: "custom:team".into(),
                    match_type: "Equals".into(),
                    value: "editors".into(),
                    role: RoleRef::Role("Editor".into()),
                },
            ]),
            deny_otherwise: true,
        }];
        model(
            pool,
            vec![
                role(
                    "Reader",
                    json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": media("/published/*")}]),
                ),
                role(
                    "Admin",
                    json!([{"Effect": "Allow", "Action": ["s3:GetObject", "s3:DeleteObject"], "Resource": media("/*")}]),
                ),
                role(
                    "Editor",
                    json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": media("/*")}]),
                ),
            ],
        )
    };
    // Admins now get the editors' role: they lose DeleteObject.
    let diff = run(mapped("Admin"), mapped("Editor"));
    assert_eq!(
        lines(&diff),
        [
            "users signed in with UserPool whose \"cognito:groups\" contains \"admin\" Admin: removed s3:DeleteObject on arn:aws:s3:::$(Media)/* [] (e.g. s3:DeleteObject arn:aws:s3:::$(Media)/x)"
        ]
    );
    assert!(!diff.broadens());
}

#[test]
fn principal_tags_and_conditions_are_asked() {
    let mut tagged = pool(None, Some("Docs"));
    tagged.principal_tags = vec![TagMapping {
        provider: PROVIDER.into(),
        tags: vec![("department".into(), "custom:department".into())],
        use_defaults: false,
    }];
    let docs = |statements: Value| model(tagged.clone(), vec![role("Docs", statements)]);
    let old = docs(json!([{"Effect": "Allow", "Action": "s3:GetObject",
        "Resource": media("/departments/${aws:PrincipalTag/department}/*")}]));
    let new = docs(json!([{"Effect": "Allow", "Action": "s3:GetObject",
        "Resource": media("/departments/*"),
        "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}]));
    assert_eq!(
        lines(&run(old, new)),
        [
            "users signed in with UserPool Docs: removed s3:GetObject on arn:aws:s3:::$(Media)/departments/${aws:PrincipalTag/department}/* [] (e.g. s3:GetObject arn:aws:s3:::$(Media)/departments/tag-value/x)",
            "users signed in with UserPool Docs: added s3:GetObject on arn:aws:s3:::$(Media)/departments/* [StringEquals aws:SourceVpce vpce-1] (e.g. s3:GetObject arn:aws:s3:::$(Media)/departments/x)"
        ]
    );
}

#[test]
fn an_unknown_policy_is_an_unknown_change() {
    let old = guest_model(
        json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": media("/public/*")}]),
    );
    let mut new = old.clone();
    new.roles[0]
        .unknown_policies
        .push("arn:aws:iam::aws:policy/Mystery".into());
    let diff = run(old, new);
    assert_eq!(diff.changes.len(), 1, "{:?}", lines(&diff));
    assert_eq!(diff.changes[0].kind, ChangeKind::Unknown);
}

#[test]
fn a_new_pool_adds_everything_it_grants() {
    let old = Model::default();
    let new = guest_model(
        json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": media("/public/*")}]),
    );
    assert_eq!(
        lines(&run(old, new)),
        [
            "guests GuestRole: added s3:GetObject on arn:aws:s3:::$(Media)/public/* [] (e.g. s3:GetObject arn:aws:s3:::$(Media)/public/x)"
        ]
    );
}

#[test]
fn equal_pools_are_not_asked() {
    let old = guest_model(
        json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": media("/public/*")}]),
    );
    let asked = std::cell::Cell::new(0);
    let counting = |m: &Model, c: &Caller, a: &str, r: &Concrete, x: &Context| {
        asked.set(asked.get() + 1);
        stand_in(m, c, a, r, x)
    };
    let mut moved = old.clone();
    moved.roles[0].span = Some(crate::source::Span::new(0, 5, 9));
    assert_eq!(diff_with(&old, &moved, &counting), Diff::default());
    assert_eq!(asked.get(), 0);
}

#[test]
fn a_condition_added_to_a_grant_removes_only_what_it_excludes() {
    let grant = |condition: Option<Value>| {
        let mut statement =
            json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": media("/public/*")});
        if let Some(condition) = condition {
            statement["Condition"] = condition;
        }
        guest_model(json!([statement]))
    };
    let old = grant(None);
    let new = grant(Some(json!({"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}})));
    let diff = run(old, new);
    // Without the key, the new grant does not apply; from inside the range it
    // does, so nothing else changed.
    assert_eq!(
        lines(&diff),
        [
            "guests GuestRole: removed s3:GetObject on arn:aws:s3:::$(Media)/public/* [] (e.g. s3:GetObject arn:aws:s3:::$(Media)/public/x)"
        ]
    );
    assert!(diff.changes[0].example.context.is_empty());
}
