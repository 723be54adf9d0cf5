//! `idpc diff`: what a change grants, and to whom.
//!
//! Both versions are read as `idpc check` reads them (a program, or a
//! template or `serverless.yml`); if either does not check, its
//! diagnostics are printed and nothing is compared (exit 1). The change in
//! access ([`idpc::access::diff`]) is printed as grouped lines, JSON or a
//! Markdown table; `--fail-on broadening` exits 1 when NEW grants anything
//! OLD did not.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::build::{base_dir, lint_levels, read};
use super::{Cli, EXIT_IO, EXIT_OK, EXIT_PROGRAM, refused_model, report};
use clap::{Args, ValueEnum};
use idpc::Options;
use idpc::access::diff::{Change, Diff, diff};
use idpc::access::load;
use idpc::access::model::Model;
use idpc::diag::{Code, Diagnostic, Sources};
use serde_json::{Value, json};

/// `idpc diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// OLD and NEW (programs or templates); with `--git`, the one FILE.
    #[arg(required = true, num_args = 1..=2, value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
    /// Compare FILE at this git revision (OLD) with FILE as it is (NEW).
    #[arg(long, value_name = "REV")]
    pub git: Option<String>,
    /// How to print the changes.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Exit 1 when NEW grants anything OLD did not.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub fail_on: Option<FailOn>,
}

/// `idpc diff --format`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DiffFormat {
    /// One line per change.
    Human,
    /// `{"changes": [...]}`.
    Json,
    /// A table for a pull-request comment.
    Markdown,
}

/// `idpc diff --fail-on`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FailOn {
    /// Anything added.
    Broadening,
}

/// Compares the two versions and prints the change.
pub(super) fn run(cli: &Cli, args: &DiffArgs) -> u8 {
    let mut sources = Sources::new();
    let versions = match versions(args) {
        Ok(versions) => versions,
        Err(diagnostic) => {
            report(cli, &[diagnostic], &sources);
            return EXIT_IO;
        }
    };
    let mut models = Vec::new();
    for version in &versions {
        match load(cli, version, &mut sources) {
            Ok(model) => models.push(model),
            Err(code) => return code,
        }
    }
    let [old, new] = models.as_slice() else {
        return EXIT_IO;
    };
    let change = diff(old, new);
    for note in &change.notes {
        eprintln!("note: {note}");
    }
    print!(
        "{}",
        match args.format {
            DiffFormat::Human => human(&change),
            DiffFormat::Json => json_text(&change),
            DiffFormat::Markdown => markdown(&change),
        }
    );
    match args.fail_on {
        Some(FailOn::Broadening) if change.broadens() => EXIT_PROGRAM,
        _ => EXIT_OK,
    }
}

/// One version: its name in messages, its bytes, and the file it is (or
/// stands for, at a git revision), which decides how it is read and where
/// its `use "path"` files are.
struct Version {
    name: String,
    bytes: Vec<u8>,
    path: PathBuf,
    /// The git revision, when not the file as it is.
    revision: Option<String>,
}

/// OLD and NEW: two files, or `--git REV FILE`'s file at REV and as it is.
fn versions(args: &DiffArgs) -> Result<[Version; 2], Diagnostic> {
    let file = |path: &Path| -> Result<Version, Diagnostic> {
        Ok(Version {
            name: path.display().to_string(),
            bytes: read(path)?,
            path: path.to_path_buf(),
            revision: None,
        })
    };
    match (&args.git, args.files.as_slice()) {
        (None, [old, new]) => Ok([file(old)?, file(new)?]),
        (Some(rev), [path]) => Ok([at_revision(rev, path)?, file(path)?]),
        (None, _) => usage("`idpc diff` takes two files, OLD and NEW"),
        (Some(_), _) => usage("`idpc diff --git REV` takes one file, compared with itself at REV"),
    }
}

/// A usage error, as clap reports its own (exit 2).
fn usage(message: &str) -> ! {
    use clap::CommandFactory;
    Cli::command()
        .error(clap::error::ErrorKind::WrongNumberOfValues, message)
        .exit()
}

/// `path` as git revision `rev` has it (`git show REV:./path`, run in the
/// file's directory).
fn at_revision(rev: &str, path: &Path) -> Result<Version, Diagnostic> {
    let dir = base_dir(path).filter(|d| !d.as_os_str().is_empty());
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let Some(file_name) = file_name else {
        usage(&format!("`{}` is not a file", path.display()));
    };
    let cannot = |why: String| {
        Diagnostic::unlabelled(
            Code::E0901,
            format!(
                "cannot read `{}` at git revision `{rev}`: {why}",
                path.display()
            ),
        )
    };
    if rev.starts_with('-') {
        return Err(cannot("a revision does not start with `-`".into()));
    }
    let mut git = Command::new("git");
    if let Some(dir) = &dir {
        git.arg("-C").arg(dir);
    }
    let output = git
        .arg("show")
        .arg(format!("{rev}:./{file_name}"))
        .output()
        .map_err(|err| cannot(format!("cannot run git: {err}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(cannot(stderr.trim().to_string()));
    }
    Ok(Version {
        name: format!("{}@{rev}", path.display()),
        bytes: output.stdout,
        path: path.to_path_buf(),
        revision: Some(rev.to_string()),
    })
}

/// Reads a version as `idpc check` does (a program with the levels of its
/// `idpc.toml`, or a template); on errors, reports them and returns the
/// exit code (2 when a file cannot be read, else 1).
fn load(cli: &Cli, version: &Version, sources: &mut Sources) -> Result<Model, u8> {
    let loaded = if idpc::audit::is_template(&version.path) {
        match &version.revision {
            None => load::from_template(&version.path, sources),
            Some(_) => {
                let text = String::from_utf8_lossy(&version.bytes);
                load::from_template_text(&version.name, &text, sources)
            }
        }
    } else {
        let base_dir = base_dir(&version.path);
        let (lints, config_problems) = lint_levels(cli, base_dir.as_deref(), sources)?;
        if !config_problems.is_empty() {
            report(cli, &config_problems, sources);
            return Err(EXIT_PROGRAM);
        }
        let options = Options {
            base_dir,
            lints,
            ..Options::default()
        };
        load::from_program(&version.name, &version.bytes, &options, sources)
    };
    loaded.map_err(|diagnostics| refused_model(cli, &diagnostics, sources))
}

/// How a change reads in a sentence.
fn sentence(change: &Change) -> String {
    let mut line = format!(
        "{} of {}: {} {}",
        change.who,
        change.pool,
        change.kind.as_str(),
        change.actions.join(", "),
    );
    if !change.resources.is_empty() {
        line.push_str(&format!(" on {}", change.resources.join(", ")));
    }
    if !change.conditions.is_empty() {
        line.push_str(&format!(" when {}", change.conditions.join(" and ")));
    }
    let role = match &change.role {
        Some(role) => format!("role {role}"),
        None => "no role".to_string(),
    };
    line.push_str(&format!(" ({role}; e.g. {}", example(change)));
    if let Some(why) = &change.example.why {
        line.push_str(&format!("; unknown because {why}"));
    }
    line.push(')');
    line
}

/// The example request in words: action, resource, and what it carries.
fn example(change: &Change) -> String {
    let e = &change.example;
    let mut text = format!("{} {}", e.action, e.resource);
    let pairs = |items: &[(String, String)]| {
        items
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !e.claims.is_empty() {
        text.push_str(&format!(" with claims {}", pairs(&e.claims)));
    }
    if !e.context.is_empty() {
        text.push_str(&format!(" with context {}", pairs(&e.context)));
    }
    text
}

/// One line per change.
fn human(change: &Diff) -> String {
    if change.changes.is_empty() {
        return "No change in access.\n".into();
    }
    change
        .changes
        .iter()
        .map(|c| format!("{}\n", sentence(c)))
        .collect()
}

/// `{"changes": [...]}`.
fn json_text(change: &Diff) -> String {
    let object = |items: &[(String, String)]| -> Value {
        Value::Object(
            items
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect(),
        )
    };
    let changes: Vec<Value> = change
        .changes
        .iter()
        .map(|c| {
            json!({
                "change": c.kind.as_str(),
                "who": c.who,
                "pool": c.pool,
                "role": c.role,
                "actions": c.actions,
                "resources": c.resources,
                "conditions": c.conditions,
                "example": {
                    "action": c.example.action,
                    "resource": c.example.resource.to_string(),
                    "identity": c.example.identity,
                    "claims": object(&c.example.claims),
                    "context": object(&c.example.context),
                },
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&json!({ "changes": changes }))
        .unwrap_or_else(|_| "{\"changes\": []}".into());
    text.push('\n');
    text
}

/// A table for a pull-request comment.
fn markdown(change: &Diff) -> String {
    if change.changes.is_empty() {
        return "No change in access.\n".into();
    }
    let cell = |text: &str| text.replace('|', "\\|");
    let code = |items: &[String]| {
        items
            .iter()
            .map(|i| format!("`{}`", cell(i)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::from(
        "| Change | Who | Pool | Role | Actions | Resources | Conditions | Example |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for c in &change.changes {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            c.kind.as_str(),
            cell(&c.who),
            cell(&c.pool),
            c.role.as_deref().map(cell).unwrap_or_else(|| "none".into()),
            code(&c.actions),
            code(&c.resources),
            code(&c.conditions),
            cell(&match &c.example.why {
                Some(why) => format!("{}; unknown because {why}", example(c)),
                None => example(c),
            }),
        ));
    }
    out
}
