//! `idpc can`: whether a caller of a pool may make one request, with the
//! way there (role, trust, policies, scope-down) and the deciding lines.

use super::{Cli, EXIT_IO, EXIT_OK, EXIT_PROGRAM, refused_model, report};
use clap::{Args, ValueEnum};
use idpc::access::cognito::{self, Answer, Caller, CallerKind, EXAMPLE_IDENTITY};
use idpc::access::eval::{Context, Decision};
use idpc::access::load;
use idpc::access::model::Model;
use idpc::access::text::Concrete;
use idpc::diag::{Code, Diagnostic, Sources};

/// `idpc can`.
#[derive(Debug, Args)]
pub struct CanArgs {
    /// The program, or a template / `serverless.yml`.
    pub file: std::path::PathBuf,
    /// Ask for a guest (an unauthenticated identity).
    #[arg(
        long,
        conflicts_with = "signed_in",
        required_unless_present = "signed_in"
    )]
    pub guest: bool,
    /// Ask for a signed-in user.
    #[arg(long)]
    pub signed_in: bool,
    /// The provider the user signs in with: a user pool's or app client's
    /// logical ID, a login domain (`accounts.google.com`), an OIDC or SAML
    /// provider. Needed when the pool has several.
    #[arg(long, requires = "signed_in", value_name = "PROVIDER")]
    pub provider: Option<String>,
    /// A claim of the user's token, e.g. `cognito:groups=editors`
    /// (repeatable): role mapping rules and principal tags read them.
    #[arg(long, requires = "signed_in", value_name = "NAME=VALUE")]
    pub claim: Vec<String>,
    /// The identity pool (its logical ID); needed when the stack has several.
    #[arg(long, value_name = "POOL")]
    pub pool: Option<String>,
    /// The caller's identity id (`${cognito-identity.amazonaws.com:sub}`).
    #[arg(long, value_name = "ID", default_value = EXAMPLE_IDENTITY)]
    pub identity: String,
    /// A request context key, e.g. `aws:SourceIp=203.0.113.7` (repeatable;
    /// a key given twice has both values). Keys not given are absent.
    #[arg(long, value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// The action, e.g. `s3:GetObject`.
    pub action: String,
    /// The resource: an ARN, `*`, or `Name/path` (`Media/private/x.jpg`).
    pub resource: String,
    /// The output format.
    #[arg(long, value_enum, default_value_t = AnswerFormat::Human)]
    pub format: AnswerFormat,
    /// Exit 1 unless the decision is this (for scripts and CI).
    #[arg(long, value_enum)]
    pub expect: Option<Expected>,
}

/// `idpc can --format`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum AnswerFormat {
    /// The answer and the way to it, in words.
    Human,
    /// One JSON object.
    Json,
}

/// `idpc can --expect`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Expected {
    /// Allowed.
    Allow,
    /// Denied (explicitly or implicitly).
    Deny,
    /// Unknown.
    Unknown,
}

/// Answers the question; exit 0 whatever the answer, unless `--expect`
/// disagrees (1). A program with errors, or a question about what the
/// stack does not have, is an error (1 and 2).
pub(super) fn run(cli: &Cli, args: &CanArgs) -> u8 {
    let mut sources = Sources::new();
    let model = match load::load(&args.file, &idpc::Options::default(), &mut sources) {
        Ok(model) => model,
        Err(diagnostics) => return refused_model(cli, &diagnostics, &sources),
    };
    let question = match question(&model, args) {
        Ok(question) => question,
        Err(message) => {
            let diagnostic = Diagnostic::unlabelled(Code::E0920, message).with_help(
                "name what the stack defines: `idpc can FILE --guest ACTION RESOURCE`; see `idpc explain E0920`",
            );
            report(cli, &[diagnostic], &sources);
            return EXIT_IO;
        }
    };
    let answer = cognito::can(
        &model,
        &question.caller,
        &args.action,
        &question.resource,
        &question.context,
    );
    let shown = match args.format {
        AnswerFormat::Human => human(&answer, &question, args, &sources),
        AnswerFormat::Json => json(&answer, &sources),
    };
    print!("{shown}");
    let decided = match answer.decision {
        Decision::Allow => Expected::Allow,
        Decision::ExplicitDeny | Decision::ImplicitDeny => Expected::Deny,
        Decision::Unknown => Expected::Unknown,
    };
    match args.expect {
        Some(expected) if expected != decided => EXIT_PROGRAM,
        _ => EXIT_OK,
    }
}

/// The question, read against the model.
struct Question {
    caller: Caller,
    resource: Concrete,
    context: Context,
}

fn question(model: &Model, args: &CanArgs) -> Result<Question, String> {
    let pool = match (&args.pool, model.pools.as_slice()) {
        (Some(pool), _) if model.pool(pool).is_some() => pool.clone(),
        (Some(pool), pools) => {
            return Err(format!(
                "the stack has no identity pool `{pool}`; it has {}",
                listed(pools)
            ));
        }
        (None, [one]) => one.id.clone(),
        (None, []) => return Err("the stack defines no identity pool".into()),
        (None, pools) => {
            return Err(format!(
                "the stack has several identity pools: say which with `--pool` ({})",
                listed(pools)
            ));
        }
    };
    let kind = if args.guest {
        CallerKind::Guest
    } else {
        let claims = args
            .claim
            .iter()
            .map(|c| pair(c, "--claim"))
            .collect::<Result<_, _>>()?;
        if let Some(found) = model.pool(&pool) {
            cognito::find_provider(found, args.provider.as_deref())?;
        }
        CallerKind::SignedIn {
            provider: args.provider.clone(),
            claims,
        }
    };
    let mut context = Context::new();
    for entry in &args.context {
        let (key, value) = pair(entry, "--context")?;
        context.add(&key, Concrete::literal(&value));
    }
    if !args.action.contains(':') && args.action != "*" {
        return Err(format!(
            "`{}` is not an action: write `service:Action`, e.g. `s3:GetObject`",
            args.action
        ));
    }
    Ok(Question {
        caller: Caller {
            pool,
            kind,
            identity: args.identity.clone(),
        },
        resource: load::resource_arn(model, &args.resource)?,
        context,
    })
}

fn listed(pools: &[idpc::access::model::PoolAccess]) -> String {
    pools
        .iter()
        .map(|p| format!("`{}`", p.id))
        .collect::<Vec<_>>()
        .join(", ")
}

fn pair(text: &str, flag: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("`{flag} {text}` needs the form NAME=VALUE"))
}

fn decision_word(decision: Decision) -> &'static str {
    match decision {
        Decision::Allow => "allow",
        Decision::ExplicitDeny | Decision::ImplicitDeny => "deny",
        Decision::Unknown => "unknown",
    }
}

/// `file:line`, for a place in a file idpc read.
fn place(span: Option<idpc::source::Span>, sources: &Sources) -> Option<(String, usize)> {
    let span = span?;
    let text = sources.text(span.file);
    let line = text.get(..span.start)?.matches('\n').count() + 1;
    Some((sources.name(span.file).to_string(), line))
}

fn human(answer: &Answer, question: &Question, args: &CanArgs, sources: &Sources) -> String {
    let who = match &question.caller.kind {
        CallerKind::Guest => "a guest".to_string(),
        CallerKind::SignedIn {
            provider: Some(p), ..
        } => format!("a user signed in through `{p}`"),
        CallerKind::SignedIn { .. } => "a signed-in user".to_string(),
    };
    let mut out = format!(
        "{}: {who} of pool `{}` (identity {}) asking `{}` on `{}`\n",
        decision_word(answer.decision),
        question.caller.pool,
        question.caller.identity,
        args.action,
        question.resource,
    );
    for (n, step) in answer.chain.iter().enumerate() {
        let at = place(step.span, sources)
            .map(|(f, l)| format!(" ({f}:{l})"))
            .unwrap_or_default();
        out.push_str(&format!("  {}. {}{at}\n", n + 1, step.text));
    }
    out.push_str(&format!("  => {}\n", answer.reason));
    for (effect, origin) in &answer.statements {
        let at = place(origin.span, sources)
            .map(|(f, l)| format!("{f}:{l}: "))
            .unwrap_or_default();
        let effect = match effect {
            idpc::access::policy::Effect::Allow => "allow",
            idpc::access::policy::Effect::Deny => "deny",
        };
        out.push_str(&format!("  {at}{effect} statement of {}\n", origin.holder));
    }
    out
}

fn json(answer: &Answer, sources: &Sources) -> String {
    let statements: Vec<serde_json::Value> = answer
        .statements
        .iter()
        .map(|(effect, origin)| {
            let (file, line) =
                place(origin.span, sources).map_or((None, None), |(f, l)| (Some(f), Some(l)));
            serde_json::json!({
                "file": file,
                "line": line,
                "effect": match effect {
                    idpc::access::policy::Effect::Allow => "allow",
                    idpc::access::policy::Effect::Deny => "deny",
                },
                "holder": origin.holder,
            })
        })
        .collect();
    let chain: Vec<serde_json::Value> = answer
        .chain
        .iter()
        .map(|step| {
            let (file, line) =
                place(step.span, sources).map_or((None, None), |(f, l)| (Some(f), Some(l)));
            serde_json::json!({"step": step.text, "file": file, "line": line})
        })
        .collect();
    let value = serde_json::json!({
        "decision": decision_word(answer.decision),
        "role": answer.role.as_ref().map(|r| r.name()),
        "reason": answer.reason,
        "statements": statements,
        "chain": chain,
    });
    format!("{value}\n")
}
