//! How parse errors read: the message, label and help of every
//! [`ParseErrorKind`], and the words for each [`Expected`].

use super::expected::{Expected, Found};
use super::{MAX_NAME_LEN, ParseError, ParseErrorKind, is_reserved};
use crate::diag::{Code, Diagnostic, ToDiagnostic, one_of};
use std::fmt;

impl ParseErrorKind {
    /// The code it is reported under.
    pub fn code(&self) -> Code {
        match self {
            ParseErrorKind::Unexpected { .. } | ParseErrorKind::NameWithPunctuation { .. } => {
                Code::E0001
            }
            ParseErrorKind::NameTooLong { .. } => Code::E0002,
            ParseErrorKind::NotUtf8 { .. } => Code::E0003,
            ParseErrorKind::StrayLineBreak { .. } => Code::E0004,
        }
    }
}

impl ToDiagnostic for ParseError {
    fn code(&self) -> Code {
        self.kind.code()
    }

    fn to_diagnostic(&self) -> Diagnostic {
        let says = |message: String| Diagnostic::new(self.kind.code(), message, self.span);
        match &self.kind {
            ParseErrorKind::Unexpected { expected, found } => unexpected(says, expected, found),
            ParseErrorKind::NameWithPunctuation { word } => says(format!("`{word}` is not a logical ID"))
                .with_label("a logical ID is letters and digits only")
                .with_help(format!(
                    "logical IDs are letters and digits only (`[A-Za-z][A-Za-z0-9]*`), no `_` or `-`: write e.g. `{}`",
                    camel_case(word)
                )),
            ParseErrorKind::NameTooLong { len } => says(format!(
                "this logical ID is {len} characters long; CloudFormation allows at most {MAX_NAME_LEN}"
            ))
            .with_label("too long")
            .with_help(format!("shorten it to {MAX_NAME_LEN} characters or fewer")),
            ParseErrorKind::NotUtf8 { offset } => Diagnostic::unlabelled(
                self.kind.code(),
                format!("the file is not UTF-8: invalid byte at offset {offset}"),
            )
            .with_help("save the file as UTF-8"),
            ParseErrorKind::StrayLineBreak { found } => stray_line_break(says, *found),
        }
    }
}

fn unexpected(
    says: impl Fn(String) -> Diagnostic,
    expected: &[Expected],
    found: &Found,
) -> Diagnostic {
    if expected.is_empty() {
        return says(format!("unexpected {found}")).with_label("not expected here");
    }
    let wanted = one_of(&expected.iter().map(Expected::to_string).collect::<Vec<_>>());
    let diagnostic =
        says(format!("expected {wanted}, found {found}")).with_label(format!("expected {wanted}"));
    let (word, cut) = match found {
        Found::Token { text, cut } => (text.as_str(), *cut),
        Found::EndOfFile | Found::EndOfLine => ("", false),
    };
    let wants_name = expected.contains(&Expected::Name);
    if let Some(keyword) = (wants_name && !cut && is_reserved(word)).then_some(word) {
        diagnostic.with_help(format!(
            "`{keyword}` is a keyword; a logical ID must not be one (write it with a capital letter, e.g. `{}`)",
            capitalize(keyword)
        ))
    } else if wants_name && word.contains('_') {
        diagnostic.with_help(
            "logical IDs are letters and digits only (`[A-Za-z][A-Za-z0-9]*`), no `_` or `-`",
        )
    } else {
        diagnostic
    }
}

fn stray_line_break(says: impl Fn(String) -> Diagnostic, found: char) -> Diagnostic {
    let (name, fix) = match found {
        '\r' => (
            "a carriage return (CR) without a newline after it",
            "end lines with LF or CRLF: most editors convert line endings (e.g. \"CRLF\"/\"LF\" in the status bar), or `tr '\\r' '\\n'`",
        ),
        _ => (
            "a Unicode line break character",
            "replace it with an ordinary newline (LF), or remove it",
        ),
    };
    says(format!("{name} (U+{:04X})", u32::from(found)))
        .with_label("editors may end the line here; idpc would not")
        .with_note("idpc ends lines only at LF (and CRLF): were this a line break, code after it on a `#` comment's line would be read as part of the comment")
        .with_help(fix)
}

/// `attachments_bucket` → `AttachmentsBucket`.
fn camel_case(word: &str) -> String {
    word.split(['_', '-']).map(capitalize).collect()
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

impl fmt::Display for Expected {
    /// One entry of "expected ...", in the user's words.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words = match self {
            Expected::Token(token) => return write!(f, "`{token}`"),
            Expected::Other(words) => words,
            Expected::EndOfFile => "end of file",
            Expected::Item => "an item: `use`, `identity_pool`, `role` or `output`",
            Expected::AccessLevel => {
                "an access level (`list`, `read`, `write`, `tagging`, `permissions`)"
            }
            Expected::ConditionKey => "a condition key such as `s3:prefix` or `aws:SourceIp`",
            Expected::ConditionOperator => {
                "an operator: `==`, `!=`, `<`, `<=`, `>`, `>=`, `like`, `not like`, `ip`, `not ip`, `is true`, `is false`, `exists` or `not exists`"
            }
            Expected::ConditionValue => "a value: a string or `[\"a\", \"b\"]`",
            Expected::LoginProvider => {
                "a provider: `user_pool`, `google`, `facebook`, `amazon`, `apple`, `twitter`, `oidc`, `saml` or `developer`"
            }
            Expected::ProviderRef => {
                "a provider: a user pool's name, `google`, `facebook`, `amazon`, `apple`, `twitter`, `oidc` or `saml`"
            }
            Expected::MappingRule => {
                "a rule such as `\"cognito:groups\" contains \"admin\" => AdminRole`"
            }
            Expected::MatchOperator => "`==`, `!=`, `contains` or `starts_with`",
            Expected::Claim => {
                "a claim: bare with a `:` such as `cognito:groups`, or quoted such as `\"email\"`"
            }
            Expected::TagMapping => {
                "a tag mapping such as `\"department\" = \"custom:department\"`"
            }
            Expected::PolicyVarEnd => "`>` to close the policy variable",
            Expected::Name => "a name (a logical ID such as `AttachmentsBucket`)",
            Expected::ResourceKind { or_stack_file } => {
                f.write_str("a resource kind such as `bucket` or `user_pool`")?;
                if *or_stack_file {
                    f.write_str(", or a stack file in double quotes such as `\"serverless.yml\"`")?;
                }
                return Ok(());
            }
            Expected::Action => "an action such as `s3:GetObject`",
            Expected::String => "a string in double quotes",
            Expected::ResourcePath => "a resource path such as `private/*`",
            Expected::Attribute => "an attribute name such as `Arn`",
            Expected::Escape => "an escape: `\\\"`, `\\\\` or `\\n`",
            Expected::PolicyVarKey => "a policy variable key such as `sub`",
            Expected::Number => "a whole number such as `3600`",
            Expected::ReferenceTarget => "a reference such as `$(Stage)` or `$(AWS::StackName)`",
            Expected::ExportName => {
                "the name of an export, such as `$(import shared-bucket-arn)` (not empty; no space, `)`, quote or backslash)"
            }
        };
        f.write_str(words)
    }
}

impl fmt::Display for Found {
    /// What was found, in the user's words: a token in backticks (control
    /// characters escaped, a long word cut with `...`), or the end of the
    /// file or line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::EndOfFile => f.write_str("end of file"),
            Found::EndOfLine => f.write_str("end of line"),
            Found::Token { text, cut: true } => write!(f, "`{text}...`"),
            Found::Token { text, .. } if text.starts_with(char::is_control) => {
                write!(f, "`{}`", text.escape_debug())
            }
            Found::Token { text, .. } => write!(f, "`{text}`"),
        }
    }
}
