//! The one place where stage errors become diagnostics: the wording, the
//! labels and the help of every code live here.

use super::{Code, Diagnostic, FileId};
use crate::check::{CheckError, CheckErrorKind, Declared};
use crate::syntax::{MAX_NAME_LEN, ParseError, ParseErrorKind};

/// A parse error in `file`.
pub fn from_parse(error: &ParseError, file: FileId) -> Diagnostic {
    match &error.kind {
        ParseErrorKind::Unexpected { expected, found } => {
            let wanted = one_of(expected);
            let message = format!("expected {wanted}, found {found}");
            let mut diagnostic = Diagnostic::new(Code::E0001, message, file, error.span)
                .with_label(format!("expected {wanted}"));
            let keyword = found.trim_matches('`');
            let wants_name = expected.iter().any(|e| e.starts_with("a name"));
            if wants_name && is_reserved(keyword) {
                diagnostic = diagnostic.with_help(format!(
                    "`{keyword}` is a keyword; a logical ID must not be one (write it with a capital letter, e.g. `{}`)",
                    capitalize(keyword)
                ));
            } else if found.starts_with("`_") || found.contains('_') && wants_name {
                diagnostic = diagnostic.with_help(
                    "logical IDs are letters and digits only (`[A-Za-z][A-Za-z0-9]*`), no `_` or `-`",
                );
            }
            diagnostic
        }
        ParseErrorKind::NameTooLong { len } => Diagnostic::new(
            Code::E0002,
            format!("this logical ID is {len} characters long; CloudFormation allows at most {MAX_NAME_LEN}"),
            file,
            error.span,
        )
        .with_label("too long")
        .with_help(format!("shorten it to {MAX_NAME_LEN} characters or fewer")),
        ParseErrorKind::NotUtf8 { offset } => Diagnostic::unlabelled(
            Code::E0003,
            format!("the file is not UTF-8: invalid byte at offset {offset}"),
        )
        .with_help("save the file as UTF-8"),
    }
}

/// "`a`", "`a` or `b`", "`a`, `b` or `c`".
fn one_of(items: &[String]) -> String {
    match items {
        [] => "something else".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn is_reserved(word: &str) -> bool {
    crate::syntax::is_reserved(word)
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.filter(|c| *c != '_'))
            .collect(),
        None => String::new(),
    }
}

/// A checker problem in `file`.
pub fn from_check(error: &CheckError, file: FileId) -> Diagnostic {
    let span = error.span;
    match &error.kind {
        CheckErrorKind::UnknownName {
            name,
            suggestion,
            wanted,
        } => {
            let diagnostic = Diagnostic::new(Code::E0101, format!("unknown resource `{name}`"), file, span)
                .with_label("not declared anywhere");
            match suggestion {
                Some(suggestion) => diagnostic.with_help(format!("did you mean `{suggestion}`?")),
                None => diagnostic.with_help(format!(
                    "declare it with `use KIND {name}` (the place wants {wanted}), or define it in this file"
                )),
            }
        }
        CheckErrorKind::WrongKind {
            name,
            expected,
            found,
            declared,
        } => {
            let expected = one_of(&expected.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>());
            let diagnostic = Diagnostic::new(
                Code::E0102,
                format!("`{name}` is {found}, but this place needs {expected}"),
                file,
                span,
            )
            .with_label(format!("expected {expected}"));
            declared_here(diagnostic, declared, file, &format!("`{name}` is declared here as {found}"))
                .with_help(format!("name a resource of kind {expected} here"))
        }
        CheckErrorKind::DuplicateName { name, first, this } => {
            let message = match this {
                Some(what) => format!("the {what} this pool generates would be named `{name}`, which is already taken"),
                None => format!("`{name}` is declared more than once"),
            };
            let diagnostic = Diagnostic::new(Code::E0103, message, file, span).with_label(match this {
                Some(_) => "the generated name clashes".to_string(),
                None => "declared again here".to_string(),
            });
            let help = match this {
                Some(what) if what.ends_with("role") => {
                    "give the role a name of its own: `authenticated role MyAuthRole { ... }`"
                }
                Some(_) => "rename the pool or the other resource",
                None => "logical IDs are unique within a stack: rename one of them",
            };
            declared_here(diagnostic, first, file, &format!("`{name}` first declared here")).with_help(help)
        }
        CheckErrorKind::NoArn {
            name,
            kind,
            declared,
        } => {
            let diagnostic = Diagnostic::new(
                Code::E0104,
                format!("`{name}` is {kind}, which has no ARN a policy can name"),
                file,
                span,
            )
            .with_label("has no ARN");
            declared_here(diagnostic, declared, file, "declared here").with_help(
                "a statement's resources must be resources with an ARN, `*`, or an ARN string",
            )
        }
        CheckErrorKind::UnknownPolicyVar { key, suggestion } => {
            let diagnostic = Diagnostic::new(
                Code::E0105,
                format!("unknown policy variable `$<{key}>`"),
                file,
                span,
            )
            .with_label("IAM has no such variable");
            match suggestion {
                Some(suggestion) => diagnostic.with_help(format!("did you mean `$<{suggestion}>`?")),
                None => diagnostic.with_help(
                    "use `$<sub>`, `$<aud>`, `$<amr>` (the Cognito identity) or a global key such as `$<aws:username>`",
                ),
            }
        }
        CheckErrorKind::UnknownAttribute {
            attribute,
            target,
            cfn_type,
            known,
            suggestion,
        } => {
            let diagnostic = Diagnostic::new(
                Code::E0106,
                format!("`{cfn_type}` has no attribute `{attribute}`"),
                file,
                span,
            )
            .with_label(format!("not an attribute of `{target}`"))
            .with_note(format!(
                "`{cfn_type}` has: {}",
                known.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
            ));
            match suggestion {
                Some(suggestion) => diagnostic.with_help(format!("did you mean `{target}.{suggestion}`?")),
                None => diagnostic.with_help(format!(
                    "use one of the attributes above, or `{target}` alone for its `Ref` value"
                )),
            }
        }
        CheckErrorKind::DuplicateSetting { what, first } => Diagnostic::new(
            Code::E0107,
            format!("{what} is given twice"),
            file,
            span,
        )
        .with_label("given again here")
        .with_secondary(file, *first, "first given here")
        .with_help("keep one of them"),
        CheckErrorKind::ServerlessVarInCloudFormation { var } => Diagnostic::new(
            Code::E0108,
            format!("`{var}` is a Serverless variable, but the target is plain CloudFormation"),
            file,
            span,
        )
        .with_label("CloudFormation would deploy this text literally")
        .with_help("build with `--target serverless`, or write the value itself"),
        CheckErrorKind::GeneratedNameTooLong { name } => Diagnostic::new(
            Code::E0109,
            format!(
                "the generated logical ID `{}...` is {} characters long; CloudFormation allows at most {MAX_NAME_LEN}",
                name.chars().take(32).collect::<String>(),
                name.len()
            ),
            file,
            span,
        )
        .with_label("generated from this name")
        .with_help("shorten the pool's name, or name its roles yourself"),
        CheckErrorKind::NotAnArn { text } => Diagnostic::new(
            Code::E0110,
            format!("`{text}` is not an ARN"),
            file,
            span,
        )
        .with_label("expected a string starting with `arn:`")
        .with_help("write a full ARN such as \"arn:aws:s3:::my-bucket/*\", or name a resource without quotes"),
        CheckErrorKind::UnusedUse { name } => Diagnostic::new(
            Code::W0101,
            format!("`{name}` is declared but never used"),
            file,
            span,
        )
        .with_label("nothing refers to this")
        .with_help("remove it from the `use` line, or refer to it"),
    }
}

fn declared_here(
    diagnostic: Diagnostic,
    declared: &Declared,
    file: FileId,
    message: &str,
) -> Diagnostic {
    match declared {
        Declared::Use(span) | Declared::Defined(span) => {
            diagnostic.with_secondary(file, *span, message)
        }
        Declared::Generated { pool, what } => {
            diagnostic.with_secondary(file, *pool, format!("the {what} of this pool"))
        }
    }
}
