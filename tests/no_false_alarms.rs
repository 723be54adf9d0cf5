//! No false alarms (issue 13, "Every warning is true"): correct programs,
//! each following an AWS or Amplify documentation page named in its header
//! comment, in `tests/fixtures/no_false_alarms/`. For every one of them:
//!
//! - it compiles with no diagnostic of any severity, except the ones listed
//!   in [`KNOWN`] (each a reported false alarm or note, which must still
//!   fire: when it is fixed, its entry goes and this test holds it to zero);
//! - it is already in `idpc fmt`'s layout, and builds for both targets;
//! - it means what its page means: each program's test below asks the
//!   compiled roles about concrete requests (tests/support/access.rs).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use idpc::diag::Sources;
use idpc::{Options, Target, compile};
use std::path::{Path, PathBuf};
use support::access::{Context, Fragment, SUB};

const DIR: &str = "tests/fixtures/no_false_alarms";

/// A diagnostic a correct program of this suite still draws.
struct Known {
    program: &'static str,
    code: &'static str,
    /// The text the primary label underlines.
    underlined: &'static str,
}

/// N0602 notes `$<sub>` in the documented `dynamodb:LeadingKeys`,
/// `geo:DeviceIds` and rule conditions: a true note (a table keyed by the
/// user pool's `sub` would never match), kept here so that the suite stays
/// at zero for everything else.
const KNOWN: &[Known] = &[
    Known {
        program: "guest_device_positions.idp",
        code: "N0602",
        underlined: "$<sub>",
    },
    Known {
        program: "group_roles_by_rules.idp",
        code: "N0602",
        underlined: "$<sub>",
    },
    Known {
        program: "leaderboard.idp",
        code: "N0602",
        underlined: "$<sub>",
    },
    Known {
        program: "location_maps_trackers.idp",
        code: "N0602",
        underlined: "$<sub>",
    },
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every program of the suite, sorted.
fn programs() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root().join(DIR))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "idp"))
        .collect();
    found.sort();
    found
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// Compiles a program of the suite for `target`: the output, and each
/// diagnostic as (code, underlined text, rendered).
fn compile_program(name: &str, target: Target) -> (Option<String>, Vec<(String, String, String)>) {
    let path = root().join(DIR).join(name);
    let source = std::fs::read(&path).unwrap();
    let options = Options {
        target,
        base_dir: path.parent().map(Path::to_path_buf),
        ..Options::default()
    };
    let mut sources = Sources::new();
    let compiled = compile(name, &source, &options, &mut sources);
    let diagnostics = compiled
        .diagnostics
        .iter()
        .map(|d| {
            let underlined = d
                .primary()
                .map(|label| {
                    sources.text(label.span.file)[label.span.start..label.span.end].to_string()
                })
                .unwrap_or_default();
            let rendered = idpc::diag::render_plain(std::slice::from_ref(d), &sources);
            (d.code.as_str().to_string(), underlined, rendered)
        })
        .collect();
    (compiled.output, diagnostics)
}

/// The compiled YAML of a program, which must have compiled.
fn built(name: &str) -> String {
    let (output, diagnostics) = compile_program(name, Target::Serverless);
    output.unwrap_or_else(|| panic!("{name} does not compile: {diagnostics:#?}"))
}

#[test]
fn the_suite_has_a_dozen_programs_each_citing_its_source() {
    let programs = programs();
    assert!(programs.len() >= 12, "{programs:?}");
    for path in programs {
        let source = std::fs::read_to_string(&path).unwrap();
        let header: String = source
            .lines()
            .take_while(|line| line.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            header.contains("Follows:") && header.contains("https://docs."),
            "{} does not cite the page it follows in its header:\n{header}",
            path.display()
        );
    }
}

#[test]
fn every_program_compiles_with_no_diagnostic_but_the_known_ones() {
    let mut unexpected = Vec::new();
    let mut fired = vec![false; KNOWN.len()];
    for path in programs() {
        let name = file_name(&path);
        let (output, diagnostics) = compile_program(&name, Target::Serverless);
        assert!(output.is_some(), "{name} has errors: {diagnostics:#?}");
        for (code, underlined, rendered) in diagnostics {
            let known = KNOWN
                .iter()
                .position(|k| k.program == name && k.code == code && k.underlined == underlined);
            match known {
                Some(index) => fired[index] = true,
                None => unexpected.push(format!("{name}:\n{rendered}")),
            }
        }
    }
    assert!(
        unexpected.is_empty(),
        "correct programs drew diagnostics:\n{}",
        unexpected.join("\n")
    );
    for (known, fired) in KNOWN.iter().zip(fired) {
        assert!(
            fired,
            "{} no longer draws {} on `{}`: remove it from KNOWN",
            known.program, known.code, known.underlined
        );
    }
}

#[test]
fn every_program_is_in_the_canonical_layout() {
    for path in programs() {
        let source = std::fs::read_to_string(&path).unwrap();
        let formatted = idpc::formatter::format(&source, 0)
            .unwrap_or_else(|err| panic!("{} does not parse: {err:?}", path.display()));
        assert_eq!(formatted, source, "{} is not formatted", path.display());
    }
}

#[test]
fn every_program_builds_as_a_whole_cloudformation_template_too() {
    for path in programs() {
        let name = file_name(&path);
        let (output, diagnostics) = compile_program(&name, Target::CloudFormation);
        let output = output.unwrap_or_else(|| panic!("{name}: {diagnostics:#?}"));
        assert!(
            output.contains("AWSTemplateFormatVersion"),
            "{name}:\n{output}"
        );
    }
}

/// Identity ids of two users, `region:guid` as Cognito writes them.
const ALICE: &str = "us-east-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const BOB: &str = "us-east-1:11111111-2222-3333-4444-555555555555";

#[test]
fn storage_guests_read_public_and_protected_members_own_their_folders() {
    let bucket = "arn:aws:s3:::photos-uploads";
    let f = Fragment::new(
        &built("storage_access_levels.idp"),
        &[("<GetAtt:UploadsBucket.Arn>", bucket)],
    );
    assert!(f.allows_guests("PhotosIdentityPool"));
    assert_eq!(
        f.default_roles("PhotosIdentityPool"),
        (
            Some("PhotosMemberRole".into()),
            Some("PhotosGuestRole".into())
        )
    );
    let guest = Context::identity(BOB);
    let alice = Context::identity(ALICE);
    let object = |key: &str| format!("{bucket}/{key}");

    // Guests read `public/` and everyone's `protected/`, never `private/`,
    // and write nothing.
    let g = "PhotosGuestRole";
    assert!(f.allows(g, "s3:GetObject", &object("public/cat.jpg"), &guest));
    assert!(f.allows(
        g,
        "s3:GetObject",
        &object(&format!("protected/{ALICE}/cat.jpg")),
        &guest
    ));
    assert!(!f.allows(
        g,
        "s3:GetObject",
        &object(&format!("private/{ALICE}/cat.jpg")),
        &guest
    ));
    assert!(!f.allows(
        g,
        "s3:GetObject",
        &object(&format!("private/{BOB}/cat.jpg")),
        &guest
    ));
    assert!(!f.allows(g, "s3:PutObject", &object("public/cat.jpg"), &guest));
    assert!(!f.allows(g, "s3:DeleteObject", &object("public/cat.jpg"), &guest));
    // ... and list `public/`, but not anyone's `private/` folder.
    let listing = |prefix: &str| guest.clone().with("s3:prefix", &[prefix]);
    assert!(f.allows(g, "s3:ListBucket", bucket, &listing("public/")));
    assert!(!f.allows(
        g,
        "s3:ListBucket",
        bucket,
        &listing(&format!("private/{ALICE}/"))
    ));
    assert!(!f.allows(g, "s3:ListBucket", bucket, &guest));

    // Members write `public/`, their own `protected/` and `private/`
    // folders, read everyone's `protected/`, and nobody else's `private/`.
    let m = "PhotosMemberRole";
    for key in [
        "public/cat.jpg".to_string(),
        format!("protected/{ALICE}/cat.jpg"),
        format!("private/{ALICE}/cat.jpg"),
    ] {
        for action in ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"] {
            assert!(f.allows(m, action, &object(&key), &alice), "{action} {key}");
        }
    }
    assert!(f.allows(
        m,
        "s3:GetObject",
        &object(&format!("protected/{BOB}/cat.jpg")),
        &alice
    ));
    assert!(!f.allows(
        m,
        "s3:PutObject",
        &object(&format!("protected/{BOB}/cat.jpg")),
        &alice
    ));
    assert!(!f.allows(
        m,
        "s3:GetObject",
        &object(&format!("private/{BOB}/cat.jpg")),
        &alice
    ));
    assert!(!f.allows(
        m,
        "s3:DeleteObject",
        &object(&format!("private/{BOB}/cat.jpg")),
        &alice
    ));
    // The scoping is the identity-id variable, not a fixed id: Bob gets his
    // own folder with the same role.
    assert!(f.allows(
        m,
        "s3:PutObject",
        &object(&format!("private/{BOB}/x")),
        &Context::identity(BOB)
    ));
    let listing = |prefix: &str| alice.clone().with("s3:prefix", &[prefix]);
    assert!(f.allows(
        m,
        "s3:ListBucket",
        bucket,
        &listing(&format!("private/{ALICE}/"))
    ));
    assert!(f.allows(
        m,
        "s3:ListBucket",
        bucket,
        &listing(&format!("private/{ALICE}/2024/"))
    ));
    assert!(!f.allows(
        m,
        "s3:ListBucket",
        bucket,
        &listing(&format!("private/{BOB}/"))
    ));
    assert!(!f.allows(m, "s3:ListBucket", bucket, &listing("private/")));
}

#[test]
fn graphql_guests_read_posts_and_members_also_create_them() {
    let api = "arn:aws:appsync:us-east-1:123456789012:apis/blogapi1234";
    let f = Fragment::new(
        &built("guest_graphql_api.idp"),
        &[("<GetAtt:BlogApi.Arn>", api)],
    );
    assert!(f.allows_guests("BlogIdentityPool"));
    let field = |ty: &str, name: &str| format!("{api}/types/{ty}/fields/{name}");
    let anyone = Context::identity(BOB);
    let (g, m) = ("BlogReaderRole", "BlogWriterRole");
    assert!(f.allows(g, "appsync:GraphQL", &field("Query", "getPost"), &anyone));
    assert!(f.allows(g, "appsync:GraphQL", &field("Query", "listPosts"), &anyone));
    assert!(!f.allows(g, "appsync:GraphQL", &field("Query", "listDrafts"), &anyone));
    assert!(!f.allows(
        g,
        "appsync:GraphQL",
        &field("Mutation", "createPost"),
        &anyone
    ));
    assert!(f.allows(m, "appsync:GraphQL", &field("Query", "listDrafts"), &anyone));
    assert!(f.allows(
        m,
        "appsync:GraphQL",
        &field("Mutation", "createPost"),
        &anyone
    ));
    assert!(!f.allows(
        m,
        "appsync:GraphQL",
        &field("Mutation", "deletePost"),
        &anyone
    ));
    let other_api = "arn:aws:appsync:us-east-1:123456789012:apis/otherapi9876";
    assert!(!f.allows(
        m,
        "appsync:GraphQL",
        &format!("{other_api}/types/Query/fields/getPost"),
        &anyone
    ));
}

#[test]
fn lambda_guests_invoke_the_one_function() {
    let function = "arn:aws:lambda:us-east-1:123456789012:function:slot-pull";
    let f = Fragment::new(
        &built("guest_lambda_invoke.idp"),
        &[("<GetAtt:SlotPullLambdaFunction.Arn>", function)],
    );
    assert!(f.allows_guests("SlotMachineIdentityPool"));
    assert_eq!(
        f.default_roles("SlotMachineIdentityPool"),
        (None, Some("SlotMachineGuestRole".into()))
    );
    let guest = Context::identity(BOB);
    let g = "SlotMachineGuestRole";
    assert!(f.allows(g, "lambda:InvokeFunction", function, &guest));
    assert!(!f.allows(
        g,
        "lambda:InvokeFunction",
        "arn:aws:lambda:us-east-1:123456789012:function:admin",
        &guest
    ));
    assert!(!f.allows(g, "lambda:UpdateFunctionCode", function, &guest));
}

#[test]
fn leaderboard_players_own_their_items_and_everyone_queries_the_index() {
    let table = "arn:aws:dynamodb:us-east-1:123456789012:table/GameScores";
    let f = Fragment::new(
        &built("leaderboard.idp"),
        &[("<GetAtt:GameScores.Arn>", table)],
    );
    let index = format!("{table}/index/TopScores");
    let alice = Context::identity(ALICE);
    let keys = |keys: &[&str]| alice.clone().with("dynamodb:LeadingKeys", keys);
    let p = "PlayerRole";
    for action in [
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
    ] {
        assert!(f.allows(p, action, table, &keys(&[ALICE])), "{action}");
        assert!(!f.allows(p, action, table, &keys(&[BOB])), "{action}");
        assert!(
            !f.allows(p, action, table, &keys(&[ALICE, BOB])),
            "{action}"
        );
    }
    // A request without a partition key (a Scan) is not let through by
    // `ForAllValues` on an empty set: the program also requires the key.
    assert!(!f.allows(p, "dynamodb:Scan", table, &alice));
    assert!(!f.allows(p, "dynamodb:Query", table, &alice));
    assert!(f.allows(p, "dynamodb:Query", &index, &alice));
    // Guests read the leaderboard index, nothing else.
    let g = "LeaderboardGuestRole";
    let guest = Context::identity(BOB);
    assert!(f.allows(g, "dynamodb:Query", &index, &guest));
    assert!(!f.allows(
        g,
        "dynamodb:Query",
        table,
        &guest.clone().with("dynamodb:LeadingKeys", &[BOB])
    ));
    assert!(!f.allows(
        g,
        "dynamodb:PutItem",
        table,
        &guest.clone().with("dynamodb:LeadingKeys", &[BOB])
    ));
}

#[test]
fn iot_members_connect_and_talk_only_as_themselves() {
    let f = Fragment::new(&built("iot_per_identity.idp"), &[]);
    let iot = "arn:aws:iot:us-east-1:123456789012";
    let alice = Context::identity(ALICE);
    let m = "ChatMemberRole";
    assert!(f.allows(m, "iot:Connect", &format!("{iot}:client/{ALICE}"), &alice));
    assert!(!f.allows(m, "iot:Connect", &format!("{iot}:client/{BOB}"), &alice));
    assert!(f.allows(
        m,
        "iot:Publish",
        &format!("{iot}:topic/chat/{ALICE}/out"),
        &alice
    ));
    assert!(!f.allows(
        m,
        "iot:Publish",
        &format!("{iot}:topic/chat/{BOB}/out"),
        &alice
    ));
    assert!(!f.allows(m, "iot:Publish", &format!("{iot}:topic/chat/lobby"), &alice));
    assert!(f.allows(
        m,
        "iot:Subscribe",
        &format!("{iot}:topicfilter/chat/{ALICE}/in"),
        &alice
    ));
    assert!(f.allows(
        m,
        "iot:Subscribe",
        &format!("{iot}:topicfilter/chat/lobby"),
        &alice
    ));
    assert!(!f.allows(
        m,
        "iot:Subscribe",
        &format!("{iot}:topicfilter/chat/{BOB}/in"),
        &alice
    ));
    assert!(f.allows(m, "iot:Receive", &format!("{iot}:topic/chat/lobby"), &alice));
    assert!(!f.allows(
        m,
        "iot:Receive",
        &format!("{iot}:topic/chat/{BOB}/in"),
        &alice
    ));
    assert!(!f.allows_guests("ChatIdentityPool"));
}

#[test]
fn location_guests_see_the_map_and_couriers_report_only_their_own_device() {
    let map = "arn:aws:geo:us-east-1:123456789012:map/DeliveryMap";
    let f = Fragment::new(
        &built("location_maps_trackers.idp"),
        &[("<GetAtt:DeliveryMap.Arn>", map)],
    );
    let tracker = "arn:aws:geo:us-east-1:123456789012:tracker/Couriers";
    let guest = Context::identity(BOB);
    for role in ["MapViewerRole", "CourierRole"] {
        for action in [
            "geo:GetMapTile",
            "geo:GetMapStyleDescriptor",
            "geo:GetMapGlyphs",
            "geo:GetMapSprites",
        ] {
            assert!(f.allows(role, action, map, &guest), "{role} {action}");
        }
    }
    assert!(!f.allows(
        "MapViewerRole",
        "geo:BatchUpdateDevicePosition",
        tracker,
        &guest.clone().with("geo:DeviceIds", &[BOB])
    ));
    let c = "CourierRole";
    let alice = Context::identity(ALICE);
    let devices = |ids: &[&str]| alice.clone().with("geo:DeviceIds", ids);
    assert!(f.allows(
        c,
        "geo:BatchUpdateDevicePosition",
        tracker,
        &devices(&[ALICE])
    ));
    assert!(f.allows(c, "geo:GetDevicePosition", tracker, &devices(&[ALICE])));
    assert!(!f.allows(
        c,
        "geo:BatchUpdateDevicePosition",
        tracker,
        &devices(&[BOB])
    ));
    assert!(!f.allows(
        c,
        "geo:BatchUpdateDevicePosition",
        tracker,
        &devices(&[ALICE, BOB])
    ));
    assert!(!f.allows(c, "geo:BatchUpdateDevicePosition", tracker, &alice));
    assert!(!f.allows(
        c,
        "geo:BatchUpdateDevicePosition",
        "arn:aws:geo:us-east-1:123456789012:tracker/Other",
        &devices(&[ALICE])
    ));
}

#[test]
fn runners_move_only_their_own_dot() {
    let f = Fragment::new(&built("guest_device_positions.idp"), &[]);
    assert!(f.allows_guests("RunnersIdentityPool"));
    let tracker = "arn:aws:geo:us-east-1:123456789012:tracker/Runners";
    let runner = Context::identity(BOB);
    let devices = |ids: &[&str]| runner.clone().with("geo:DeviceIds", ids);
    let r = "RunnerRole";
    assert!(f.allows(
        r,
        "geo:BatchUpdateDevicePosition",
        tracker,
        &devices(&[BOB])
    ));
    assert!(!f.allows(
        r,
        "geo:BatchUpdateDevicePosition",
        tracker,
        &devices(&[ALICE])
    ));
    assert!(!f.allows(
        r,
        "geo:BatchUpdateDevicePosition",
        tracker,
        &devices(&[BOB, ALICE])
    ));
    assert!(!f.allows(r, "geo:BatchUpdateDevicePosition", tracker, &runner));
    assert!(!f.allows(r, "geo:GetDevicePosition", tracker, &devices(&[ALICE])));
    assert!(!f.allows(
        r,
        "geo:BatchDeleteDevicePositionHistory",
        tracker,
        &devices(&[BOB])
    ));
}

#[test]
fn pinpoint_events_go_to_the_one_project() {
    let f = Fragment::new(&built("pinpoint_analytics.idp"), &[]);
    let app =
        "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef0123456789abcdef";
    let other =
        "arn:aws:mobiletargeting:us-east-1:123456789012:apps/ffffffffffffffffffffffffffffffff";
    let anyone = Context::identity(BOB);
    for role in ["ShopGuestRole", "ShopMemberRole"] {
        assert!(f.allows(role, "mobiletargeting:PutEvents", app, &anyone));
        assert!(f.allows(
            role,
            "mobiletargeting:UpdateEndpoint",
            &format!("{app}/endpoints/device-1"),
            &anyone
        ));
        assert!(!f.allows(role, "mobiletargeting:PutEvents", other, &anyone));
        assert!(!f.allows(role, "mobiletargeting:DeleteApp", app, &anyone));
        assert!(!f.allows(
            role,
            "mobiletargeting:GetEndpoint",
            &format!("{app}/endpoints/device-1"),
            &anyone
        ));
    }
}

#[test]
fn members_read_every_parameter_of_the_amplify_hierarchy_and_no_other() {
    let f = Fragment::new(&built("ssm_parameter_hierarchy.idp"), &[]);
    let anyone = Context::identity(BOB);
    let parameter = |name: &str| format!("arn:aws:ssm:us-east-2:111122223333:parameter/{name}");
    assert!(!f.allows_guests("P"));
    for name in ["amplify/api-key", "amplify/shop/dev/STRIPE_KEY"] {
        assert!(f.allows("PAuthRole", "ssm:GetParameter", &parameter(name), &anyone));
        assert!(!f.allows("PAuthRole", "ssm:PutParameter", &parameter(name), &anyone));
    }
    assert!(!f.allows(
        "PAuthRole",
        "ssm:GetParameter",
        &parameter("Dev/ERP/Oracle/addUsers"),
        &anyone
    ));
    assert!(!f.allows(
        "PAuthRole",
        "ssm:GetParameter",
        &parameter("amplify"),
        &anyone
    ));
}

#[test]
fn build_agents_pull_from_the_namespaced_repository_only() {
    let f = Fragment::new(&built("ecr_namespaced_repository.idp"), &[]);
    let anyone = Context::identity(BOB);
    let repository = |name: &str| format!("arn:aws:ecr:us-east-1:123456789012:repository/{name}");
    let nginx = repository("project-a/nginx-web-app");
    assert!(f.allows("BuildAgentRole", "ecr:BatchGetImage", &nginx, &anyone));
    assert!(f.allows(
        "BuildAgentRole",
        "ecr:GetDownloadUrlForLayer",
        &nginx,
        &anyone
    ));
    assert!(!f.allows("BuildAgentRole", "ecr:PutImage", &nginx, &anyone));
    for other in [
        "nginx-web-app",
        "project-b/nginx-web-app",
        "project-a/nginx-web-app/x",
    ] {
        assert!(!f.allows(
            "BuildAgentRole",
            "ecr:BatchGetImage",
            &repository(other),
            &anyone
        ));
    }
}

#[test]
fn clickstream_guests_only_append_to_the_delivery_stream() {
    let stream = "arn:aws:kinesis:us-east-1:123456789012:stream/activity";
    let f = Fragment::new(
        &built("kinesis_streams.idp"),
        &[("<GetAtt:ActivityStream.Arn>", stream)],
    );
    let clicks = "arn:aws:firehose:us-east-1:123456789012:deliverystream/clicks";
    let anyone = Context::identity(BOB);
    let (g, m) = ("ClickstreamGuestRole", "ClickstreamMemberRole");
    assert!(f.allows(g, "firehose:PutRecordBatch", clicks, &anyone));
    assert!(!f.allows(g, "firehose:DeleteDeliveryStream", clicks, &anyone));
    assert!(!f.allows(g, "kinesis:PutRecords", stream, &anyone));
    assert!(f.allows(m, "firehose:PutRecordBatch", clicks, &anyone));
    assert!(f.allows(m, "kinesis:PutRecords", stream, &anyone));
    assert!(!f.allows(m, "kinesis:GetRecords", stream, &anyone));
    assert!(!f.allows(
        m,
        "firehose:PutRecordBatch",
        "arn:aws:firehose:us-east-1:123456789012:deliverystream/other",
        &anyone
    ));
}

#[test]
fn group_rules_hand_out_admin_agent_and_customer_roles() {
    let table = "arn:aws:dynamodb:us-east-1:123456789012:table/Tickets";
    let f = Fragment::new(
        &built("group_roles_by_rules.idp"),
        &[("<GetAtt:TicketsTable.Arn>", table)],
    );
    let pool = "DeskIdentityPool";
    assert!(!f.allows_guests(pool));
    let groups = |names: &'static [&'static str]| [("cognito:groups", names)];
    assert_eq!(
        f.mapped_role(pool, "DeskUserPool", &groups(&["admin"]))
            .as_deref(),
        Some("DeskAdminRole")
    );
    // First matching rule wins: an admin who is also an agent is an admin.
    assert_eq!(
        f.mapped_role(pool, "DeskUserPool", &groups(&["agents", "admin"]))
            .as_deref(),
        Some("DeskAdminRole")
    );
    assert_eq!(
        f.mapped_role(pool, "DeskUserPool", &groups(&["agents"]))
            .as_deref(),
        Some("DeskAgentRole")
    );
    assert_eq!(
        f.mapped_role(pool, "DeskUserPool", &groups(&["beta"]))
            .as_deref(),
        Some("DeskCustomerRole")
    );
    assert_eq!(
        f.mapped_role(pool, "DeskUserPool", &[]).as_deref(),
        Some("DeskCustomerRole")
    );

    let alice = Context::identity(ALICE);
    let own = alice.clone().with("dynamodb:LeadingKeys", &[ALICE]);
    let others = alice.clone().with("dynamodb:LeadingKeys", &[BOB]);
    assert!(f.allows("DeskAdminRole", "dynamodb:DeleteItem", table, &others));
    assert!(f.allows("DeskAgentRole", "dynamodb:UpdateItem", table, &others));
    assert!(!f.allows("DeskAgentRole", "dynamodb:DeleteItem", table, &others));
    assert!(f.allows("DeskCustomerRole", "dynamodb:PutItem", table, &own));
    assert!(!f.allows("DeskCustomerRole", "dynamodb:GetItem", table, &others));
    assert!(!f.allows("DeskCustomerRole", "dynamodb:Scan", table, &alice));
}

#[test]
fn prediction_guests_call_the_four_services_and_nothing_else() {
    let f = Fragment::new(&built("guest_predictions.idp"), &[]);
    let guest = Context::identity(BOB);
    let g = "PredictionsGuestRole";
    for action in [
        "translate:TranslateText",
        "polly:SynthesizeSpeech",
        "rekognition:DetectLabels",
        "comprehend:DetectSentiment",
    ] {
        assert!(f.allows(g, action, "*", &guest), "{action}");
    }
    assert!(!f.allows(
        g,
        "rekognition:DeleteCollection",
        "arn:aws:rekognition:us-east-1:123456789012:collection/faces",
        &guest
    ));
    assert!(!f.allows(
        g,
        "polly:PutLexicon",
        "arn:aws:polly:us-east-1:123456789012:lexicon/names",
        &guest
    ));
}

#[test]
fn api_members_call_notes_and_read_their_profile() {
    let f = Fragment::new(
        &built("signed_in_api_gateway.idp"),
        &[("<Ref:ApiGatewayRestApi>", "a1b2c3d4e5")],
    );
    assert!(!f.allows_guests("NotesIdentityPool"));
    let api = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5";
    let alice = Context::identity(ALICE);
    let m = "NotesMemberRole";
    assert!(f.allows(
        m,
        "execute-api:Invoke",
        &format!("{api}/prod/GET/notes"),
        &alice
    ));
    assert!(f.allows(
        m,
        "execute-api:Invoke",
        &format!("{api}/prod/POST/notes"),
        &alice
    ));
    assert!(f.allows(
        m,
        "execute-api:Invoke",
        &format!("{api}/prod/DELETE/notes/42"),
        &alice
    ));
    assert!(f.allows(
        m,
        "execute-api:Invoke",
        &format!("{api}/prod/GET/profile"),
        &alice
    ));
    assert!(!f.allows(
        m,
        "execute-api:Invoke",
        &format!("{api}/prod/PUT/profile"),
        &alice
    ));
    assert!(!f.allows(
        m,
        "execute-api:Invoke",
        &format!("{api}/dev/GET/notes"),
        &alice
    ));
    assert!(!f.allows(
        m,
        "execute-api:Invoke",
        &format!("{api}/prod/GET/admin"),
        &alice
    ));
}

#[test]
fn departments_read_only_documents_tagged_with_their_own_department() {
    let bucket = "arn:aws:s3:::documents";
    let f = Fragment::new(
        &built("principal_tag_departments.idp"),
        &[("<GetAtt:DocumentsBucket.Arn>", bucket)],
    );
    let r = "DepartmentReaderRole";
    let sales = Context::identity(ALICE).with("aws:PrincipalTag/department", &["sales"]);
    let doc = |tag: &str| {
        sales
            .clone()
            .with("s3:ExistingObjectTag/department", &[tag])
    };
    let object = format!("{bucket}/q3/report.pdf");
    assert!(f.allows(r, "s3:GetObject", &object, &doc("sales")));
    assert!(!f.allows(r, "s3:GetObject", &object, &doc("legal")));
    assert!(!f.allows(r, "s3:GetObject", &object, &sales));
    assert!(!f.allows(r, "s3:PutObject", &object, &doc("sales")));
    // No department tag on the session: nothing.
    let untagged = Context::identity(ALICE).with("s3:ExistingObjectTag/department", &["sales"]);
    assert!(!f.allows(r, "s3:GetObject", &object, &untagged));
    // The claim is mapped to the tag, and the role may be assumed with tags.
    assert_eq!(
        f.at("/Resources/DocumentsIdentityPoolStaffUserPoolPrincipalTags/Properties/PrincipalTags"),
        &serde_json::json!({"department": "custom:department"})
    );
    let trust = f.at(
        "/Resources/DepartmentReaderRole/Properties/AssumeRolePolicyDocument/Statement/0/Action",
    );
    assert!(
        trust
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("sts:TagSession")),
        "{trust}"
    );
}

#[test]
fn store_locator_guests_search_and_route_with_the_stores_resources_only() {
    let index = "arn:aws:geo:us-east-1:123456789012:place-index/Stores";
    let f = Fragment::new(
        &built("guest_place_search.idp"),
        &[("<GetAtt:StoresPlaceIndex.Arn>", index)],
    );
    assert!(f.allows_guests("StoreLocatorIdentityPool"));
    let calculator = "arn:aws:geo:us-east-1:123456789012:route-calculator/StoresRoutes";
    let guest = Context::identity(BOB);
    let g = "StoreLocatorGuestRole";
    assert!(f.allows(g, "geo:SearchPlaceIndexForText", index, &guest));
    assert!(f.allows(g, "geo:SearchPlaceIndexForPosition", index, &guest));
    assert!(f.allows(g, "geo:CalculateRoute", calculator, &guest));
    assert!(!f.allows(
        g,
        "geo:SearchPlaceIndexForText",
        "arn:aws:geo:us-east-1:123456789012:place-index/Other",
        &guest
    ));
    assert!(!f.allows(g, "geo:DeletePlaceIndex", index, &guest));
    assert!(!f.allows(
        g,
        "geo:CalculateRoute",
        "arn:aws:geo:us-east-1:123456789012:route-calculator/Other",
        &guest
    ));
}

/// The evaluator itself can say no, and reads variables from the request.
#[test]
fn the_evaluator_substitutes_the_identity_id_and_denies_by_default() {
    let f = Fragment::new(
        &built("storage_access_levels.idp"),
        &[("<GetAtt:UploadsBucket.Arn>", "arn:aws:s3:::b")],
    );
    let private = format!("arn:aws:s3:::b/private/{ALICE}/x");
    // No identity id in the request: the `$<sub>` statement matches nothing.
    assert!(!f.allows(
        "PhotosMemberRole",
        "s3:GetObject",
        &private,
        &Context::default()
    ));
    assert!(f.allows(
        "PhotosMemberRole",
        "s3:GetObject",
        &private,
        &Context::default().with(SUB, &[ALICE])
    ));
    // Resource names are case-sensitive; actions are not.
    assert!(!f.allows(
        "PhotosMemberRole",
        "s3:GetObject",
        "arn:aws:s3:::b/PUBLIC/x",
        &Context::identity(ALICE)
    ));
    assert!(f.allows(
        "PhotosMemberRole",
        "S3:getobject",
        "arn:aws:s3:::b/public/x",
        &Context::identity(ALICE)
    ));
}

#[test]
fn developer_users_own_their_notes_and_guests_get_nothing() {
    let bucket = "arn:aws:s3:::notes-files";
    let f = Fragment::new(
        &built("developer_identities.idp"),
        &[("<GetAtt:NotesBucket.Arn>", bucket)],
    );
    let pool = "NotesIdentityPool";
    assert!(!f.allows_guests(pool));
    assert_eq!(
        f.at(&format!(
            "/Resources/{pool}/Properties/DeveloperProviderName"
        ))
        .as_str(),
        Some("login.notes.example")
    );
    assert_eq!(
        f.default_roles(pool),
        (Some("NotesMemberRole".into()), None)
    );
    let alice = Context::identity(ALICE);
    let own = format!("{bucket}/private/{ALICE}/todo.txt");
    let bobs = format!("{bucket}/private/{BOB}/todo.txt");
    for action in ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] {
        assert!(f.allows("NotesMemberRole", action, &own, &alice));
        assert!(!f.allows("NotesMemberRole", action, &bobs, &alice));
    }
}

#[test]
fn unmatched_readers_fall_back_to_the_least_of_the_library_roles() {
    let bucket = "arn:aws:s3:::media-library";
    let f = Fragment::new(
        &built("tiered_roles_by_rules.idp"),
        &[("<GetAtt:MediaBucket.Arn>", bucket)],
    );
    let pool = "LibraryIdentityPool";
    let groups = |names: &'static [&'static str]| [("cognito:groups", names)];
    let role = |claims: &[(&str, &[&str])]| f.mapped_role(pool, "LibraryUserPool", claims);
    assert_eq!(
        role(&groups(&["publishers"])).as_deref(),
        Some("LibraryPublisherRole")
    );
    assert_eq!(
        role(&groups(&["editors"])).as_deref(),
        Some("LibraryEditorRole")
    );
    // No rule matches: the default authenticated role.
    assert_eq!(role(&[]).as_deref(), Some("LibraryReaderRole"));
    assert_eq!(
        role(&groups(&["beta"])).as_deref(),
        Some("LibraryReaderRole")
    );

    // What the fallback allows, every rule role allows too.
    let anyone = Context::identity(ALICE);
    let published = format!("{bucket}/published/cover.jpg");
    let draft = format!("{bucket}/drafts/cover.jpg");
    for r in [
        "LibraryReaderRole",
        "LibraryEditorRole",
        "LibraryPublisherRole",
    ] {
        assert!(f.allows(r, "s3:GetObject", &published, &anyone), "{r}");
    }
    assert!(!f.allows("LibraryReaderRole", "s3:GetObject", &draft, &anyone));
    assert!(!f.allows("LibraryReaderRole", "s3:PutObject", &published, &anyone));
    assert!(f.allows("LibraryEditorRole", "s3:PutObject", &draft, &anyone));
    assert!(!f.allows("LibraryEditorRole", "s3:PutObject", &published, &anyone));
    assert!(f.allows(
        "LibraryPublisherRole",
        "s3:DeleteObject",
        &published,
        &anyone
    ));
}
