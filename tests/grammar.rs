//! The grammar, form by form: what each parses to, and what a mistake in it
//! is called. Messages speak the user's words, never grammar rule names.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use idpc::diag::{Sources, ToDiagnostic, render_plain};
use idpc::syntax::ast::*;
use idpc::syntax::{ParseErrorKind, parse};
use std::path::Path;

fn sp<T>(node: T) -> Spanned<T> {
    Spanned::new(node, Span::synthetic())
}

fn name(text: &str) -> Name {
    sp(text.to_string())
}

fn items(source: &str) -> Vec<Item> {
    match parse(source, 0) {
        Ok(parsed) => parsed.into_program().items,
        Err(err) => panic!("{source:?} should parse: {err:?}"),
    }
}

/// The only item of a program.
fn item(source: &str) -> Item {
    let mut items = items(source);
    assert_eq!(items.len(), 1, "{source:?}");
    items.remove(0)
}

fn pool(source: &str) -> IdentityPool {
    match item(source) {
        Item::IdentityPool(pool) => pool,
        other => panic!("not a pool: {other:?}"),
    }
}

/// The statements of the only role of the only pool.
fn role(body: &str) -> PoolRole {
    let pool = pool(&format!(
        "identity_pool P {{ authenticated role {{ {body} }} }}"
    ));
    match &pool.body[..] {
        [item] => match &item.node {
            PoolItem::Role(role) => role.clone(),
            other => panic!("not a role: {other:?}"),
        },
        other => panic!("expected one pool item: {other:?}"),
    }
}

fn statement(text: &str) -> Statement {
    let body = role(text).body.expect("a role with a body");
    match &body.node[..] {
        [item] => match &item.node {
            RoleItem::Statement(statement) => statement.clone(),
            other => panic!("not a statement: {other:?}"),
        },
        other => panic!("expected one role item: {other:?}"),
    }
}

fn literal(text: &str) -> Spanned<TextPart> {
    sp(TextPart::Literal(text.to_string()))
}

fn text(parts: Vec<Spanned<TextPart>>) -> Text {
    Text {
        parts,
        span: Span::synthetic(),
    }
}

/// The rendered diagnostic for a program that must not parse.
fn error(source: &str) -> String {
    let err = match parse(source, 0) {
        Ok(_) => panic!("{source:?} should not parse"),
        Err(err) => err,
    };
    let mut sources = Sources::new();
    sources.add("test.idp", source);
    render_plain(&[err.to_diagnostic()], &sources)
}

// ---------------------------------------------------------------------------
// Forms that parse

#[test]
fn empty_and_comment_only_programs_have_no_items() {
    assert!(items("").is_empty());
    assert!(items("# just a comment\n\n  # another\n").is_empty());
}

#[test]
fn use_declares_names_of_one_kind() {
    let expected = Item::Use(UseKind {
        kind: sp(Kind::Bucket),
        names: vec![name("AttachmentsBucket"), name("OtherBucket")],
    });
    assert_eq!(item("use bucket AttachmentsBucket, OtherBucket"), expected);
}

#[test]
fn every_kind_keyword_is_accepted_by_use() {
    for kind in Kind::ALL {
        let parsed = item(&format!("use {} Thing", kind.keyword()));
        let Item::Use(use_kind) = parsed else {
            panic!("not a use")
        };
        assert_eq!(use_kind.kind.node, kind);
    }
}

#[test]
fn longer_kind_keywords_win_over_their_prefixes() {
    let Item::Use(use_kind) = item("use user_pool_client C") else {
        panic!("not a use")
    };
    assert_eq!(use_kind.kind.node, Kind::UserPoolClient);
}

#[test]
fn pool_with_name_and_provider() {
    let parsed = pool(
        "identity_pool NotesPool {\n  name \"Notes\"\n  provider user_pool U client C server_side_token_check\n}",
    );
    assert_eq!(parsed.name, name("NotesPool"));
    assert_eq!(parsed.body.len(), 2);
    assert_eq!(
        parsed.body[0].node,
        PoolItem::PoolName(text(vec![literal("Notes")]))
    );
    let PoolItem::UserPoolProvider(provider) = &parsed.body[1].node else {
        panic!("not a provider")
    };
    assert_eq!(provider.user_pool, name("U"));
    assert_eq!(provider.client, name("C"));
    assert!(provider.server_side_token_check.is_some());
}

#[test]
fn provider_without_token_check() {
    let parsed = pool("identity_pool P { provider user_pool U client C }");
    let PoolItem::UserPoolProvider(provider) = &parsed.body[0].node else {
        panic!("not a provider")
    };
    assert_eq!(provider.server_side_token_check, None);
}

#[test]
fn user_pool_provider_given_as_text() {
    let parsed = pool(
        "identity_pool P { provider user_pool \"cognito-idp.x/y_1\" client \"abc\" server_side_token_check }",
    );
    let PoolItem::UserPoolText(provider) = &parsed.body[0].node else {
        panic!("not a provider given as text: {:?}", parsed.body[0].node)
    };
    assert_eq!(
        provider.provider_name,
        text(vec![literal("cognito-idp.x/y_1")])
    );
    assert_eq!(provider.client_id, text(vec![literal("abc")]));
    assert!(provider.server_side_token_check.is_some());
    // A name and a string do not mix.
    error("identity_pool P { provider user_pool U client \"abc\" }");
}

#[test]
fn a_pool_role_given_by_its_arn_has_no_name_or_body() {
    let parsed = pool(
        "identity_pool P { authenticated role \"arn:aws:iam::123456789012:role/R\" if IsProd }",
    );
    let PoolItem::Role(role) = &parsed.body[0].node else {
        panic!("not a role")
    };
    assert_eq!(role.name, None);
    assert_eq!(role.body, None);
    assert_eq!(role.condition, Some(name("IsProd")));
    assert_eq!(
        role.arn,
        Some(text(vec![literal("arn:aws:iam::123456789012:role/R")]))
    );
    // An ARN role has no body: its permissions are the stack's.
    error("identity_pool P { authenticated role \"arn:aws:iam::123456789012:role/R\" { } }");
}

#[test]
fn item_spans_end_at_their_last_token() {
    let source = "identity_pool P {\n  provider user_pool U client C   # comment\n}";
    let parsed = pool(source);
    let span = parsed.body[0].span;
    assert_eq!(
        &source[span.start..span.end],
        "provider user_pool U client C"
    );
}

#[test]
fn roles_named_and_unnamed() {
    let parsed = pool(
        "identity_pool P { authenticated role { } unauthenticated role GuestRole { policy \"Guests\" } }",
    );
    let roles: Vec<&PoolRole> = parsed
        .body
        .iter()
        .map(|item| match &item.node {
            PoolItem::Role(role) => role,
            other => panic!("not a role: {other:?}"),
        })
        .collect();
    assert_eq!(roles[0].usage.node, RoleUsage::Authenticated);
    assert_eq!(roles[0].name, None);
    assert!(roles[0].body.as_ref().expect("a body").node.is_empty());
    assert_eq!(roles[1].usage.node, RoleUsage::Unauthenticated);
    assert_eq!(roles[1].name, Some(name("GuestRole")));
    assert_eq!(
        roles[1].body.as_ref().expect("a body").node,
        vec![sp(RoleItem::PolicyName(text(vec![literal("Guests")])))]
    );
}

#[test]
fn statement_with_actions_and_every_kind_of_resource() {
    let parsed = statement(
        "deny s3:Get*, cognito-identity:?et*, execute-api:Invoke on *, \"arn:aws:s3:::b/*\", Bucket, Bucket/private/$<sub>/*",
    );
    assert_eq!(parsed.effect.node, Effect::Deny);
    let patterns: Vec<ActionPattern> = parsed
        .actions
        .iter()
        .map(|a| match &a.node {
            ActionItem::Pattern(pattern) => pattern.clone(),
            other => panic!("not a pattern: {other:?}"),
        })
        .collect();
    let actions: Vec<String> = patterns.iter().map(ToString::to_string).collect();
    assert_eq!(
        actions,
        ["s3:Get*", "cognito-identity:?et*", "execute-api:Invoke"]
    );
    assert_eq!(patterns[0].service, "s3");
    assert_eq!(patterns[0].action, "Get*");
    assert_eq!(
        parsed.resources,
        vec![
            sp(Resource::Any),
            sp(Resource::Arn(text(vec![literal("arn:aws:s3:::b/*")]))),
            sp(Resource::Named {
                name: name("Bucket"),
                path: None
            }),
            sp(Resource::Named {
                name: name("Bucket"),
                path: Some(text(vec![
                    literal("private/"),
                    sp(TextPart::PolicyVar("sub".to_string())),
                    literal("/*"),
                ])),
            }),
        ]
    );
}

#[test]
fn strings_hold_escapes_and_both_kinds_of_variable() {
    let parsed = pool(
        r#"identity_pool P { name "a\"b\\c\nd ${self:custom.${opt:stage}}-$<aws:username>" }"#,
    );
    assert_eq!(
        parsed.body[0].node,
        PoolItem::PoolName(text(vec![
            literal("a\"b\\c\nd "),
            sp(TextPart::ServerlessVar(
                "${self:custom.${opt:stage}}".to_string()
            )),
            literal("-"),
            sp(TextPart::PolicyVar("aws:username".to_string())),
        ]))
    );
}

#[test]
fn strings_hold_references_to_parameters_pseudo_parameters_and_attributes() {
    let parsed =
        pool(r#"identity_pool P { name "$(AWS::StackName)-$(Stage)/$(Bucket.DomainName)$" }"#);
    let reference = |target: &str, attribute: Option<&str>| {
        sp(TextPart::Reference(Reference {
            target: target.to_string(),
            attribute: attribute.map(str::to_string),
        }))
    };
    assert_eq!(
        parsed.body[0].node,
        PoolItem::PoolName(text(vec![
            reference("AWS::StackName", None),
            literal("-"),
            reference("Stage", None),
            literal("/"),
            reference("Bucket", Some("DomainName")),
            literal("$"),
        ]))
    );
    // A `$(` opens a reference or is an error, never literal text.
    for bad in [
        r#""$()""#,
        r#""$(Stage""#,
        r#""$(Stage Name)""#,
        r#""$(-x)""#,
    ] {
        let source = format!("identity_pool P {{ name {bad} }}");
        assert!(error(&source).contains("E0001"), "{bad}");
    }
}

#[test]
fn strings_hold_imports_of_named_exports() {
    let parsed = pool(
        r#"identity_pool P { name "arn:$(AWS::Partition):$(import $(Stage)-${sls:stage}-Api.Id):$(import x)" }"#,
    );
    let reference = |target: &str| {
        sp(TextPart::Reference(Reference {
            target: target.to_string(),
            attribute: None,
        }))
    };
    let import = |parts| sp(TextPart::ImportValue(text(parts)));
    assert_eq!(
        parsed.body[0].node,
        PoolItem::PoolName(text(vec![
            literal("arn:"),
            reference("AWS::Partition"),
            literal(":"),
            import(vec![
                reference("Stage"),
                literal("-"),
                sp(TextPart::ServerlessVar("${sls:stage}".to_string())),
                literal("-Api.Id"),
            ]),
            literal(":"),
            import(vec![literal("x")]),
        ]))
    );
    // `$(import)` is a reference to a logical ID `import`, as it always was.
    assert_eq!(
        pool(r#"identity_pool P { name "$(import)" }"#).body[0].node,
        PoolItem::PoolName(text(vec![reference("import")]))
    );
    // An export's name is not empty and holds no white space, quote,
    // backslash, `$` that opens nothing, or policy variable.
    for bad in [
        r#""$(import )""#,
        r#""$(import a b)""#,
        r#""$(import a\b)""#,
        r#""$(import a$b)""#,
        r#""$(import $<sub>)""#,
        r#""$(import a""#,
    ] {
        let source = format!("identity_pool P {{ name {bad} }}");
        assert!(error(&source).contains("E0001"), "{bad}");
    }
}

/// `depends_on` on the attachment's line is the attachment's; on the next
/// line, the pool's own (the one place a line break is significant: both
/// forms were asked for, and a program written before the attachment had
/// one keeps its meaning).
#[test]
fn an_attachment_line_may_end_with_its_depends_on() {
    let attachment = |name: &str, depends_on: &[&str]| PoolItem::Attachment {
        name: self::name(name),
        depends_on: depends_on.iter().map(|n| self::name(n)).collect(),
    };
    let same_line = pool("identity_pool P {\n  attachment A depends_on R,\n    # why\n    S\n}\n");
    assert_eq!(same_line.body.len(), 1);
    assert_eq!(same_line.body[0].node, attachment("A", &["R", "S"]));
    let next_line = pool("identity_pool P {\n  attachment A\n  depends_on R\n}\n");
    assert_eq!(next_line.body[0].node, attachment("A", &[]));
    assert_eq!(next_line.body[1].node, PoolItem::DependsOn(vec![name("R")]));
    let commented =
        pool("identity_pool P {\n  attachment # the stack's\n    A # name\n  depends_on R\n}\n");
    assert_eq!(commented.body[0].node, attachment("A", &[]));
    assert_eq!(commented.body[1].node, PoolItem::DependsOn(vec![name("R")]));
}

#[test]
fn if_clauses_use_lines_and_guests() {
    let items = items(
        "use parameter Stage, Guests\nuse condition IsProd\nidentity_pool P if IsProd {\n  guests Guests\n  guests if IsProd\n  unauthenticated role R if IsProd\n}\noutput O = P if IsProd\n",
    );
    assert_eq!(
        items[0],
        Item::UseParameter(vec![name("Stage"), name("Guests")])
    );
    assert_eq!(items[1], Item::UseCondition(vec![name("IsProd")]));
    let Item::IdentityPool(pool) = &items[2] else {
        panic!("{:?}", items[2]);
    };
    assert_eq!(pool.condition, Some(name("IsProd")));
    assert_eq!(
        pool.body[0].node,
        PoolItem::Guests(Guests::Parameter(name("Guests")))
    );
    assert_eq!(
        pool.body[1].node,
        PoolItem::Guests(Guests::Condition(name("IsProd")))
    );
    let PoolItem::Role(role) = &pool.body[2].node else {
        panic!("{:?}", pool.body[2]);
    };
    assert_eq!(role.condition, Some(name("IsProd")));
    let Item::Output(output) = &items[3] else {
        panic!("{:?}", items[3]);
    };
    assert_eq!(output.condition, Some(name("IsProd")));
}

#[test]
fn outputs_with_and_without_attribute() {
    assert_eq!(
        item("output Id = NotesPool"),
        Item::Output(Output {
            name: name("Id"),
            target: name("NotesPool"),
            attribute: None,
            body: None,
            condition: None,
        })
    );
    assert_eq!(
        item("output Opt = Fn.SnapStartResponse.ApplyOn"),
        Item::Output(Output {
            name: name("Opt"),
            target: name("Fn"),
            attribute: Some(sp("SnapStartResponse.ApplyOn".to_string())),
            body: None,
            condition: None,
        })
    );
}

#[test]
fn an_output_block_holds_its_description_and_export() {
    let Item::Output(output) =
        item("output Id = NotesPool { description \"Id\" export \"notes-id\" }")
    else {
        panic!("not an output")
    };
    let body = output.body.expect("a block");
    let items: Vec<&OutputItem> = body.node.iter().map(|i| &i.node).collect();
    assert!(
        matches!(items.as_slice(), [OutputItem::Description(d), OutputItem::Export(e)]
        if d.as_written() == "Id" && e.as_written() == "notes-id")
    );
    // An empty block is a block, and prints back as one.
    let Item::Output(empty) = item("output Id = NotesPool {}") else {
        panic!("not an output")
    };
    assert_eq!(empty.body.map(|b| b.node.len()), Some(0));
}

#[test]
fn keywords_may_start_a_name() {
    // `user` and `policy` are keywords; `UserPolicy` and `policyArn` are not.
    let Item::Use(use_kind) = item("use bucket useful, policyArn, Output") else {
        panic!("not a use")
    };
    let names: Vec<&str> = use_kind.names.iter().map(|n| n.node.as_str()).collect();
    assert_eq!(names, ["useful", "policyArn", "Output"]);
}

#[test]
fn crlf_line_endings_parse_like_lf() {
    let lf = "use bucket B\nidentity_pool P {\n  name \"x\"\n}\n";
    assert_eq!(items(lf), items(&lf.replace('\n', "\r\n")));
}

// ---------------------------------------------------------------------------
// Mistakes, in the user's words

#[test]
fn missing_brace_says_which() {
    let rendered = error("identity_pool P\n  authenticated role { }\n}");
    assert!(
        // `if Cond` may come between the name and the brace.
        rendered.contains("expected `if` or `{`, found `authenticated`"),
        "{rendered}"
    );
}

#[test]
fn action_without_service() {
    let rendered = error("identity_pool P { authenticated role { allow GetObject on * } }");
    assert!(
        rendered.contains("or an action such as `s3:GetObject`, found `GetObject`"),
        "{rendered}"
    );
}

#[test]
fn keyword_as_name_gets_help() {
    let rendered = error("output output = P");
    assert!(rendered.contains("found `output`"), "{rendered}");
    assert!(rendered.contains("`output` is a keyword"), "{rendered}");
}

#[test]
fn unterminated_string_points_at_the_end_of_its_line() {
    let source = "identity_pool P {\n  name \"abc\n}";
    let err = parse(source, 0).unwrap_err();
    let line_end = source.find("abc").unwrap() + 3;
    assert_eq!((err.span.start, err.span.end), (line_end, line_end));
    let ParseErrorKind::Unexpected { found, .. } = &err.kind else {
        panic!("{err:?}")
    };
    assert_eq!(*found, idpc::syntax::Found::EndOfLine);
    // Same place for CRLF files: before the `\r`, not after it.
    let crlf = source.replace('\n', "\r\n");
    let err = parse(&crlf, 0).unwrap_err();
    let line_end = crlf.find("abc").unwrap() + 3;
    assert_eq!((err.span.start, err.span.end), (line_end, line_end));
}

#[test]
fn found_tokens_are_quoted_as_written() {
    assert!(error("use bucket B\"").contains("found `\"`"));
    assert!(error("use bucket B'").contains("found `'`"));
    assert!(error("identity_pool P { name \"a\\tb\" }").contains("found `\\`"));
    // Invisible characters are escaped so they can be seen.
    assert!(error("use bucket B\u{7}").contains("found `\\u{7}`"));
}

#[test]
fn end_of_file_is_named() {
    let rendered = error("identity_pool P {");
    assert!(rendered.contains("found end of file"), "{rendered}");
}

#[test]
fn name_longer_than_255_is_e0002() {
    let err = parse(&format!("use bucket {}", "N".repeat(256)), 0).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::NameTooLong { len: 256 });
    assert!(parse(&format!("use bucket {}", "N".repeat(255)), 0).is_ok());
}

#[test]
fn deep_nesting_is_refused_quickly_without_exhausting_the_stack() {
    let source = format!("identity_pool P {}", "{".repeat(100_000));
    assert!(parse(&source, 0).is_err());
    // Unclosed `${` used to be rescanned per nesting level (cubic time: 400
    // of them took 20 s); 100 000 must be refused at once, not hang.
    let source = format!("identity_pool P {{ name \"{}\" }}", "${".repeat(100_000));
    assert!(parse(&source, 0).is_err());
}

/// Internal names that must never reach a user.
const INTERNAL: [&str; 12] = [
    "kw_",
    "lbrace",
    "rbrace",
    "rangle",
    "Rule::",
    "EOI",
    "SOI",
    "pool_item",
    "role_item",
    "named_resource",
    "string_text",
    "policy_var_name",
];

fn assert_no_internal_names(what: &str, rendered: &str) {
    for internal in INTERNAL {
        assert!(
            !rendered.contains(internal),
            "{what}: message mentions `{internal}`:\n{rendered}"
        );
    }
}

#[test]
fn syntax_ui_cases_never_mention_rule_names() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/syntax");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "idp") {
            let source = std::fs::read_to_string(&path).unwrap();
            if parse(&source, 0).is_err() {
                assert_no_internal_names(&path.display().to_string(), &error(&source));
                seen += 1;
            }
        }
    }
    assert!(seen >= 10, "only {seen} syntax cases fail to parse");
}

#[test]
fn truncations_of_a_program_never_mention_rule_names() {
    // Every prefix of a real program is a syntax error somewhere (or fine):
    // each such message must still be in the user's words.
    let notes =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/notes.idp"))
            .unwrap();
    for (end, _) in notes.char_indices() {
        let prefix = &notes[..end];
        if parse(prefix, 0).is_err() {
            assert_no_internal_names(&format!("prefix of {end} bytes"), &error(prefix));
        }
    }
}

#[test]
fn a_comment_inside_a_two_word_operator_changes_nothing() {
    // Found by formatting generated programs with comments between every
    // two tokens: `is # ...\n true` was read as `==` with no value.
    for (written, op) in [
        ("is # why\n true", ConditionOp::IsTrue),
        ("not # why\n like \"a\"", ConditionOp::NotLike),
        ("not\n# why\nexists", ConditionOp::NotExists),
        ("not   ip \"10.0.0.0/8\"", ConditionOp::NotIp),
    ] {
        let source = format!("allow s3:GetObject on * when aws:SourceIp {written}");
        let condition = &statement(&source).conditions[0].node;
        assert_eq!(condition.op.node, op, "{written}");
    }
}

// ---------------------------------------------------------------------------
// `expect` (issue 19)

fn expect_form(source: &str) -> (ExpectForm, String, String) {
    match item(source) {
        Item::Expect(expect) => {
            let whole = source[expect.span.range()].to_string();
            let head = source[expect.head.range()].to_string();
            (expect.form, whole, head)
        }
        other => panic!("not an expect: {other:?}"),
    }
}

fn named(resource: &str, path: Option<&str>) -> Spanned<Resource> {
    sp(Resource::Named {
        name: name(resource),
        path: path.map(|p| text(vec![literal(p)])),
    })
}

#[test]
fn expect_isolated_takes_a_statements_resources() {
    let source = "expect isolated Media/private/$<sub>/*, \"arn:aws:s3:::b/$<sub>\"  # c\n";
    let (form, whole, head) = expect_form(source);
    let ExpectForm::Isolated { resources } = form else {
        panic!("{form:?}")
    };
    assert_eq!(resources.len(), 2);
    let Resource::Named {
        path: Some(path), ..
    } = &resources[0].node
    else {
        panic!("{resources:?}")
    };
    assert_eq!(path.as_written(), "private/$<sub>/*");
    assert!(matches!(&resources[1].node, Resource::Arn(_)));
    assert_eq!(
        whole,
        "expect isolated Media/private/$<sub>/*, \"arn:aws:s3:::b/$<sub>\""
    );
    assert_eq!(head, "expect isolated");
}

#[test]
fn expect_cannot_names_who_an_optional_pool_actions_and_resources() {
    let (form, whole, head) =
        expect_form("expect guests of NotesPool cannot write, s3:Get* on Media/*, *");
    assert_eq!(
        form,
        ExpectForm::Cannot {
            who: sp(Who::Guests),
            pool: Some(name("NotesPool")),
            actions: vec![
                sp(ActionItem::Level(AccessLevel::Write)),
                sp(ActionItem::Pattern(ActionPattern {
                    service: "s3".into(),
                    action: "Get*".into()
                })),
            ],
            resources: vec![named("Media", Some("*")), sp(Resource::Any)],
        }
    );
    assert_eq!(
        whole,
        "expect guests of NotesPool cannot write, s3:Get* on Media/*, *"
    );
    assert_eq!(head, "expect guests of NotesPool cannot");
    for (word, who) in [
        ("signed_in", Who::SignedIn),
        ("anyone", Who::Anyone),
        ("AdminRole", Who::Role(name("AdminRole"))),
    ] {
        let (form, _, _) = expect_form(&format!("expect {word} cannot * on *"));
        let ExpectForm::Cannot {
            who: found, pool, ..
        } = form
        else {
            panic!("{form:?}")
        };
        assert_eq!((found.node, pool), (who, None));
    }
}

/// Issue 19 writes `expect guests cannot write Media/*`: the actions end
/// where no comma follows one, and the tree is the one `on` gives.
#[test]
fn the_on_of_expect_cannot_may_be_left_out() {
    let (without, _, _) = expect_form("expect guests cannot write Media/*");
    let (with, _, _) = expect_form("expect guests cannot write on Media/*");
    assert_eq!(without, with);
    let (star, _, _) = expect_form("expect anyone cannot s3:PutObject *");
    let ExpectForm::Cannot { resources, .. } = star else {
        panic!("{star:?}")
    };
    assert_eq!(resources, vec![sp(Resource::Any)]);
}

#[test]
fn expect_only_via_takes_claims_quoted_or_bare_joined_by_or() {
    let (form, whole, head) = expect_form(
        "expect AdminRole only via cognito:groups contains \"admins\" or \"custom:team\" starts_with \"ops\"",
    );
    let ExpectForm::OnlyVia { role, alternatives } = form else {
        panic!("{form:?}")
    };
    assert_eq!(role, name("AdminRole"));
    let tests: Vec<(String, MatchOp, String)> = alternatives
        .iter()
        .map(|t| {
            (
                t.node.claim.as_written(),
                t.node.op.node,
                t.node.value.as_written(),
            )
        })
        .collect();
    assert_eq!(
        tests,
        [
            ("cognito:groups".into(), MatchOp::Contains, "admins".into()),
            ("custom:team".into(), MatchOp::StartsWith, "ops".into()),
        ]
    );
    assert!(whole.ends_with("starts_with \"ops\""));
    assert_eq!(head, "expect AdminRole only via");
    // Bare and quoted claims are the same tree.
    let (bare, _, _) = expect_form("expect R only via cognito:groups == \"a\"");
    let (quoted, _, _) = expect_form("expect R only via \"cognito:groups\" == \"a\"");
    assert_eq!(bare, quoted);
}

#[test]
fn the_words_of_expect_are_keywords() {
    for word in [
        "expect",
        "isolated",
        "cannot",
        "signed_in",
        "anyone",
        "of",
        "only",
        "via",
        "or",
    ] {
        assert!(idpc::syntax::is_reserved(word), "{word}");
    }
    // Words they are prefixes of, or that are prefixes of them, stay names.
    for word in ["expected", "isolate", "onl", "ors", "offset", "anyones"] {
        assert!(!idpc::syntax::is_reserved(word), "{word}");
    }
}

#[test]
fn mistakes_in_expect_say_what_would_fit() {
    let cases = [
        (
            "expect\n",
            "expected `anyone`, `guests`, `isolated`, `signed_in` or a name",
        ),
        ("expect AdminRole\n", "expected `cannot`, `of` or `only`"),
        ("expect AdminRole only\n", "expected `via`"),
        (
            "expect R only via == \"a\"\n",
            "expected a claim: bare with a `:` such as `cognito:groups`, or quoted such as `\"email\"`, found `=`",
        ),
        (
            "expect R only via cognito:groups is \"a\"\n",
            "expected `==`, `!=`, `contains` or `starts_with`, found `is`",
        ),
        ("expect guests cannot on *\n", "found `on`"),
        ("expect isolated\n", "found end of file"),
    ];
    for (source, message) in cases {
        let rendered = error(source);
        assert!(rendered.contains(message), "{source:?}:\n{rendered}");
        assert!(rendered.contains("E0001"), "{rendered}");
    }
}
