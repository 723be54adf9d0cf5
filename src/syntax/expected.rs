//! Turning pest's errors into [`ParseError`]s that say, as typed
//! [`Expected`] values, what would have fitted.

use super::Rule;
use super::ast::Span;
use super::{ParseError, ParseErrorKind};
use crate::source::FileId;
use pest::error::{ErrorVariant, InputLocation};

/// What the parser would have accepted where it stopped; worded only when
/// the error is shown (`syntax/diagnostic.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// A keyword or punctuation, as written (shown in backticks).
    Token(&'static str),
    /// The end of the file.
    EndOfFile,
    /// A top-level item.
    Item,
    /// An access level.
    AccessLevel,
    /// A condition key.
    ConditionKey,
    /// A condition's operator.
    ConditionOperator,
    /// A condition's value.
    ConditionValue,
    /// A `provider` line's provider.
    LoginProvider,
    /// A provider a `map` or `principal_tags` line names.
    ProviderRef,
    /// A rule of a rules mapping.
    MappingRule,
    /// A rule's match operator.
    MatchOperator,
    /// The claim of an `expect ... only via` test.
    Claim,
    /// A principal tag mapping.
    TagMapping,
    /// The `>` that closes a policy variable.
    PolicyVarEnd,
    /// A logical ID.
    Name,
    /// A resource kind after `use`; `or_stack_file` when a quoted stack
    /// file would fit too.
    ResourceKind {
        /// Whether `"path"` would fit as well.
        or_stack_file: bool,
    },
    /// An action.
    Action,
    /// A string in double quotes.
    String,
    /// A resource path.
    ResourcePath,
    /// An attribute name.
    Attribute,
    /// An escape in a string.
    Escape,
    /// A policy variable's key.
    PolicyVarKey,
    /// A whole number.
    Number,
    /// What a `$(` reference names.
    ReferenceTarget,
    /// The export's name in `$(import NAME)`.
    ExportName,
    /// pest's own words (a custom error).
    Other(String),
}

/// Converts a pest error: rule names become what a user knows, and the
/// span covers the offending token so the underline shows what is wrong.
pub(super) fn from_pest(source: &str, err: pest::error::Error<Rule>, file: FileId) -> ParseError {
    let at = match err.location {
        InputLocation::Pos(pos) => pos,
        InputLocation::Span((start, _)) => start,
    };
    if let Some((word, span)) = name_with_punctuation(source, at, file) {
        return ParseError {
            kind: ParseErrorKind::NameWithPunctuation { word },
            span,
        };
    }
    let mut expected: Vec<Expected> = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => positives
            .iter()
            .flat_map(|rule| describe_all(*rule))
            .collect(),
        ErrorVariant::CustomError { message } => vec![Expected::Other(message.clone())],
    };
    // Keywords and punctuation first, descriptions after, so the message
    // reads "expected `policy`, `allow`, `deny` or `}`".
    expected.sort_by_cached_key(|e| rank(&e.to_string()));
    expected.dedup();
    // The provider keywords are all in the description of a provider.
    if expected.contains(&Expected::LoginProvider) {
        let keywords = ["user_pool", "developer", "oidc", "saml"];
        expected.retain(|e| !matches!(e, Expected::Token(k) if keywords.contains(k)));
    }
    // After `use`, a `"` opens the path of a stack file.
    let quote = Expected::Token("\"");
    if let Some(kind) = expected
        .iter()
        .position(|e| matches!(e, Expected::ResourceKind { .. }))
        && expected.contains(&quote)
    {
        expected[kind] = Expected::ResourceKind {
            or_stack_file: true,
        };
        expected.retain(|e| *e != quote);
    }
    let (found, span) = found_at(source, at, file);
    ParseError {
        kind: ParseErrorKind::Unexpected { expected, found },
        span,
    }
}

/// Keywords and punctuation (as shown) before descriptions.
fn rank(word: &str) -> (bool, String) {
    (!word.starts_with('`'), word.to_string())
}

/// The parser stopped at a `_` or `-` inside a word that starts like a
/// logical ID (`my_bucket`, `attachments-bucket`): the whole word and its
/// span. Not for action names (`s3:Get_Object`) or keywords.
fn name_with_punctuation(source: &str, at: usize, file: FileId) -> Option<(String, Span)> {
    let rest = source.get(at..)?;
    if !rest.starts_with(['_', '-']) {
        return None;
    }
    let before = source.get(..at)?;
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let start = before.rfind(|c: char| !is_word(c)).map_or(0, |i| {
        i + before[i..].chars().next().map_or(1, char::len_utf8)
    });
    let head = &source[start..at];
    let preceded_by = source[..start].chars().next_back();
    if !head.starts_with(|c: char| c.is_ascii_alphabetic())
        || super::is_reserved(head)
        || matches!(preceded_by, Some(':' | '-' | '/' | '.' | '$' | '<'))
    {
        return None;
    }
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    let end = at + len;
    Some((source[start..end].to_string(), Span::new(file, start, end)))
}

/// What a rule means to a user, as one or more entries of "expected ...".
fn describe_all(rule: Rule) -> Vec<Expected> {
    let tokens = |words: &[&'static str]| words.iter().copied().map(Expected::Token).collect();
    match rule {
        Rule::pool_role | Rule::role_usage => {
            tokens(&["authenticated role", "unauthenticated role"])
        }
        Rule::statement | Rule::effect => tokens(&["allow", "deny"]),
        Rule::quantifier => tokens(&["any", "all"]),
        Rule::retention => tokens(&["retain", "delete", "retain_except_on_create"]),
        Rule::federation_provider | Rule::federation_keyword => tokens(&["oidc", "saml"]),
        // After `expect`: a form's first word; after its `cannot`-form's
        // subject, a role's name is one of the subjects.
        Rule::expect_cannot | Rule::expect_who => {
            let mut words: Vec<Expected> = tokens(&["guests", "signed_in", "anyone"]);
            words.push(Expected::Name);
            words
        }
        _ => describe(rule).into_iter().collect(),
    }
}

/// What a rule means to a user; `None` for rules that never appear alone.
fn describe(rule: Rule) -> Option<Expected> {
    description(rule)
        .or_else(|| item_keyword(rule).map(Expected::Token))
        .or_else(|| operator_keyword(rule).map(Expected::Token))
}

/// Rules a user knows by a description rather than a keyword.
fn description(rule: Rule) -> Option<Expected> {
    Some(match rule {
        Rule::EOI => Expected::EndOfFile,
        // pest names the whole program when the first item fails at once.
        Rule::program => Expected::Item,
        Rule::access_level
        | Rule::kw_list
        | Rule::kw_read
        | Rule::kw_write
        | Rule::kw_tagging
        | Rule::kw_permissions => Expected::AccessLevel,
        Rule::condition | Rule::condition_key => Expected::ConditionKey,
        Rule::unary_test | Rule::condition_op => Expected::ConditionOperator,
        Rule::condition_value => Expected::ConditionValue,
        Rule::login_provider | Rule::login_keyword => Expected::LoginProvider,
        Rule::provider_ref | Rule::provider_keyword => Expected::ProviderRef,
        Rule::mapping_rule => Expected::MappingRule,
        Rule::match_op => Expected::MatchOperator,
        Rule::claim_test | Rule::claim => Expected::Claim,
        Rule::expect_only_via => Expected::Name,
        Rule::tag_mapping => Expected::TagMapping,
        Rule::rangle => Expected::PolicyVarEnd,
        Rule::if_clause => Expected::Token("if"),
        Rule::name | Rule::named_resource | Rule::output_target => Expected::Name,
        Rule::kind => Expected::ResourceKind {
            or_stack_file: false,
        },
        Rule::action | Rule::any_action | Rule::service_prefix | Rule::action_name => {
            Expected::Action
        }
        Rule::arn_resource | Rule::string => Expected::String,
        Rule::resource_path | Rule::path_text => Expected::ResourcePath,
        Rule::attribute => Expected::Attribute,
        Rule::number => Expected::Number,
        Rule::escape => Expected::Escape,
        Rule::policy_var | Rule::policy_var_name => Expected::PolicyVarKey,
        Rule::reference | Rule::reference_target => Expected::ReferenceTarget,
        // Not `import_value`: tried wherever a string goes on, where "a
        // reference" already says what a `$(` opens.
        Rule::import_name | Rule::import_text => Expected::ExportName,
        _ => return None,
    })
}

/// The keyword that starts an item, a pool line or a role line.
fn item_keyword(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::use_kind | Rule::use_file | Rule::kw_use => "use",
        Rule::identity_pool | Rule::kw_identity_pool => "identity_pool",
        Rule::output | Rule::kw_output => "output",
        Rule::output_body => "{",
        Rule::output_description => "description",
        Rule::output_export => "export",
        Rule::pool_name | Rule::kw_name => "name",
        Rule::provider | Rule::kw_provider => "provider",
        Rule::user_pool_provider | Rule::kw_user_pool => "user_pool",
        Rule::kw_client => "client",
        Rule::kw_server_side_token_check => "server_side_token_check",
        Rule::kw_authenticated => "authenticated",
        Rule::kw_unauthenticated => "unauthenticated",
        Rule::kw_role | Rule::role_decl => "role",
        Rule::role_body => "{",
        Rule::policy_name | Rule::kw_policy => "policy",
        Rule::kw_allow => "allow",
        Rule::kw_deny => "deny",
        Rule::kw_on => "on",
        Rule::kw_when => "when",
        Rule::kw_and => "and",
        Rule::classic_flow | Rule::kw_classic_flow => "classic_flow",
        Rule::pool_tag | Rule::role_tag | Rule::kw_tag => "tag",
        Rule::developer_provider | Rule::kw_developer => "developer",
        Rule::kw_google => "google",
        Rule::kw_facebook => "facebook",
        Rule::kw_amazon => "amazon",
        Rule::kw_apple => "apple",
        Rule::kw_twitter => "twitter",
        Rule::kw_oidc => "oidc",
        Rule::kw_saml => "saml",
        Rule::role_mapping | Rule::kw_map => "map",
        Rule::kw_by => "by",
        Rule::token_mapping | Rule::kw_token => "token",
        Rule::rules_mapping | Rule::kw_rules => "rules",
        Rule::otherwise | Rule::kw_otherwise => "otherwise",
        Rule::principal_tags | Rule::kw_principal_tags => "principal_tags",
        Rule::kw_default => "default",
        Rule::managed_policy
        | Rule::managed_policy_ref
        | Rule::managed_policy_decl
        | Rule::kw_managed_policy => "managed_policy",
        Rule::managed_policy_name => "name",
        Rule::managed_policy_description => "description",
        Rule::policy_block => "policy",
        Rule::boundary | Rule::kw_boundary => "boundary",
        Rule::kw_parameter => "parameter",
        Rule::kw_condition => "condition",
        Rule::kw_if => "if",
        Rule::kw_guests | Rule::guests => "guests",
        Rule::use_parameter => "use",
        Rule::use_condition => "use",
        Rule::kw_attachment | Rule::attachment => "attachment",
        Rule::kw_as => "as",
        Rule::kw_deletion_policy | Rule::deletion_policy => "deletion_policy",
        Rule::kw_update_replace_policy | Rule::update_replace_policy => "update_replace_policy",
        Rule::kw_depends_on | Rule::depends_on => "depends_on",
        Rule::kw_metadata | Rule::metadata => "metadata",
        Rule::kw_role_name | Rule::role_name => "role_name",
        Rule::kw_description | Rule::role_description => "description",
        Rule::kw_max_session_duration | Rule::max_session_duration => "max_session_duration",
        Rule::kw_path | Rule::role_path => "path",
        Rule::kw_export => "export",
        Rule::kw_retain => "retain",
        Rule::kw_delete => "delete",
        Rule::kw_retain_except_on_create => "retain_except_on_create",
        _ => return expect_keyword(rule),
    })
}

/// The keywords inside an `expect`. Not `expect` itself: the items a
/// top-level error lists stay the ones a program is made of (an `expect`
/// claims, it builds nothing).
fn expect_keyword(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::expect_isolated | Rule::kw_isolated => "isolated",
        Rule::kw_cannot => "cannot",
        Rule::kw_signed_in => "signed_in",
        Rule::kw_anyone => "anyone",
        Rule::expect_pool | Rule::kw_of => "of",
        Rule::kw_only => "only",
        Rule::kw_via => "via",
        Rule::kw_or => "or",
        _ => return None,
    })
}

/// The keywords and punctuation of conditions, rules and values.
fn operator_keyword(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::kw_any => "any",
        Rule::kw_all => "all",
        Rule::kw_not => "not",
        Rule::kw_like => "like",
        Rule::kw_ip => "ip",
        Rule::kw_is => "is",
        Rule::kw_true => "true",
        Rule::kw_false => "false",
        Rule::kw_exists => "exists",
        Rule::op_le => "<=",
        Rule::op_lt => "<",
        Rule::op_ge => ">=",
        Rule::op_gt => ">",
        Rule::op_eq => "==",
        Rule::op_ne => "!=",
        Rule::kw_contains => "contains",
        Rule::kw_starts_with => "starts_with",
        Rule::arrow => "=>",
        Rule::lbracket => "[",
        Rule::rbracket => "]",
        Rule::rparen => ")",
        Rule::lbrace => "{",
        Rule::rbrace => "}",
        Rule::comma => ",",
        Rule::equals => "=",
        Rule::dot => ".",
        Rule::quote => "\"",
        Rule::any_resource => "*",
        _ => return None,
    })
}

/// What the parser found where it stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// The end of the file.
    EndOfFile,
    /// The end of a line (an unterminated string, say).
    EndOfLine,
    /// A word (letters, digits, `_`) or a single other character.
    Token {
        /// The text, at most its first 40 bytes.
        text: String,
        /// Whether the word was longer and `text` is its start.
        cut: bool,
    },
}

/// How much of a long word is kept (and shown) as [`Found::Token`].
const FOUND_CHARS: usize = 40;

/// The token at `at` and its span: a word, a single character, or an
/// empty span at the end of the file or line.
fn found_at(source: &str, at: usize, file: FileId) -> (Found, Span) {
    let rest = source.get(at..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return (Found::EndOfFile, Span::new(file, at, at));
    };
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let len = if is_word(first) {
        rest.find(|c: char| !is_word(c)).unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    let token = &rest[..len];
    if token == "\n" || token == "\r" {
        // An empty span at the end of the line: a span covering the line
        // break would be drawn across two lines.
        let at = if token == "\n"
            && source
                .get(..at)
                .is_some_and(|before| before.ends_with('\r'))
        {
            at - 1
        } else {
            at
        };
        return (Found::EndOfLine, Span::new(file, at, at));
    }
    let found = Found::Token {
        text: truncate(token, FOUND_CHARS).to_string(),
        cut: len > FOUND_CHARS,
    };
    (found, Span::new(file, at, at + len))
}

fn truncate(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
