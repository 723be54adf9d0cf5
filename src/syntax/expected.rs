//! Turning pest's errors into [`ParseError`]s that speak the user's language.

use super::Rule;
use super::ast::Span;
use super::{ParseError, ParseErrorKind};
use crate::source::FileId;
use pest::error::{ErrorVariant, InputLocation};

/// Converts a pest error: rule names become the words a user knows, and the
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
    let mut expected: Vec<String> = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => positives
            .iter()
            .flat_map(|rule| describe_all(*rule))
            .map(str::to_string)
            .collect(),
        ErrorVariant::CustomError { message } => vec![message.clone()],
    };
    expected.sort_by_key(|word| rank(word));
    expected.dedup();
    // The provider keywords are all in the description of a provider.
    if expected
        .iter()
        .any(|e| e.starts_with("a provider: `user_pool`"))
    {
        let keywords = ["`user_pool`", "`developer`", "`oidc`", "`saml`"];
        expected.retain(|e| !keywords.contains(&e.as_str()));
    }
    // After `use`, a `"` opens the path of a stack file.
    let quote = "`\"`";
    if let Some(kind) = expected
        .iter()
        .position(|e| e.starts_with("a resource kind"))
        && expected.iter().any(|e| e == quote)
    {
        expected[kind].push_str(", or a stack file in double quotes such as `\"serverless.yml\"`");
        expected.retain(|e| e != quote);
    }
    let (found, span) = found_at(source, at, file);
    ParseError {
        kind: ParseErrorKind::Unexpected { expected, found },
        span,
    }
}

/// Keywords and punctuation first, descriptions after, so the message reads
/// "expected `policy`, `allow`, `deny` or `}`".
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
fn describe_all(rule: Rule) -> Vec<&'static str> {
    match rule {
        Rule::pool_role | Rule::role_usage => {
            vec!["`authenticated role`", "`unauthenticated role`"]
        }
        Rule::statement | Rule::effect => vec!["`allow`", "`deny`"],
        Rule::quantifier => vec!["`any`", "`all`"],
        Rule::federation_provider | Rule::federation_keyword => vec!["`oidc`", "`saml`"],
        _ => describe(rule).into_iter().collect(),
    }
}

/// What a rule means to a user; `None` for rules that never appear alone.
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "end of file",
        // pest names the whole program when the first item fails at once.
        Rule::program => "an item: `use`, `identity_pool`, `role` or `output`",
        Rule::use_kind | Rule::use_file | Rule::kw_use => "`use`",
        Rule::identity_pool | Rule::kw_identity_pool => "`identity_pool`",
        Rule::output | Rule::kw_output => "`output`",
        Rule::pool_name | Rule::kw_name => "`name`",
        Rule::provider | Rule::kw_provider => "`provider`",
        Rule::user_pool_provider | Rule::kw_user_pool => "`user_pool`",
        Rule::kw_client => "`client`",
        Rule::kw_server_side_token_check => "`server_side_token_check`",
        Rule::kw_authenticated => "`authenticated`",
        Rule::kw_unauthenticated => "`unauthenticated`",
        Rule::kw_role => "`role`",
        Rule::role_body => "`{`",
        Rule::policy_name | Rule::kw_policy => "`policy`",
        Rule::kw_allow => "`allow`",
        Rule::kw_deny => "`deny`",
        Rule::kw_on => "`on`",
        Rule::kw_when => "`when`",
        Rule::kw_and => "`and`",
        Rule::access_level
        | Rule::kw_list
        | Rule::kw_read
        | Rule::kw_write
        | Rule::kw_tagging
        | Rule::kw_permissions => {
            "an access level (`list`, `read`, `write`, `tagging`, `permissions`)"
        }
        Rule::condition | Rule::condition_key => {
            "a condition key such as `s3:prefix` or `aws:SourceIp`"
        }
        Rule::kw_any => "`any`",
        Rule::kw_all => "`all`",
        Rule::unary_test | Rule::condition_op => {
            "an operator: `==`, `!=`, `<`, `<=`, `>`, `>=`, `like`, `not like`, `ip`, `not ip`, `is true`, `is false`, `exists` or `not exists`"
        }
        Rule::kw_not => "`not`",
        Rule::kw_like => "`like`",
        Rule::kw_ip => "`ip`",
        Rule::kw_is => "`is`",
        Rule::kw_true => "`true`",
        Rule::kw_false => "`false`",
        Rule::kw_exists => "`exists`",
        Rule::op_le => "`<=`",
        Rule::op_lt => "`<`",
        Rule::op_ge => "`>=`",
        Rule::op_gt => "`>`",
        Rule::condition_value => "a value: a string or `[\"a\", \"b\"]`",
        Rule::lbracket => "`[`",
        Rule::rbracket => "`]`",
        Rule::role_decl => "`role`",
        Rule::classic_flow | Rule::kw_classic_flow => "`classic_flow`",
        Rule::pool_tag | Rule::kw_tag => "`tag`",
        Rule::login_provider | Rule::login_keyword => {
            "a provider: `user_pool`, `google`, `facebook`, `amazon`, `apple`, `twitter`, `oidc`, `saml` or `developer`"
        }
        Rule::developer_provider | Rule::kw_developer => "`developer`",
        Rule::kw_google => "`google`",
        Rule::kw_facebook => "`facebook`",
        Rule::kw_amazon => "`amazon`",
        Rule::kw_apple => "`apple`",
        Rule::kw_twitter => "`twitter`",
        Rule::kw_oidc => "`oidc`",
        Rule::kw_saml => "`saml`",
        Rule::role_mapping | Rule::kw_map => "`map`",
        Rule::provider_ref | Rule::provider_keyword => {
            "a provider: a user pool's name, `google`, `facebook`, `amazon`, `apple`, `twitter`, `oidc` or `saml`"
        }
        Rule::kw_by => "`by`",
        Rule::token_mapping | Rule::kw_token => "`token`",
        Rule::rules_mapping | Rule::kw_rules => "`rules`",
        Rule::mapping_rule => "a rule such as `\"cognito:groups\" contains \"admin\" => AdminRole`",
        Rule::match_op => "`==`, `!=`, `contains` or `starts_with`",
        Rule::op_eq => "`==`",
        Rule::op_ne => "`!=`",
        Rule::kw_contains => "`contains`",
        Rule::kw_starts_with => "`starts_with`",
        Rule::arrow => "`=>`",
        Rule::otherwise | Rule::kw_otherwise => "`otherwise`",
        Rule::principal_tags | Rule::kw_principal_tags => "`principal_tags`",
        Rule::kw_default => "`default`",
        Rule::tag_mapping => "a tag mapping such as `\"department\" = \"custom:department\"`",
        Rule::managed_policy | Rule::kw_managed_policy => "`managed_policy`",
        Rule::boundary | Rule::kw_boundary => "`boundary`",
        Rule::lbrace => "`{`",
        Rule::rbrace => "`}`",
        Rule::comma => "`,`",
        Rule::equals => "`=`",
        Rule::dot => "`.`",
        Rule::rangle => "`>` to close the policy variable",
        Rule::quote => "`\"`",
        Rule::name | Rule::named_resource | Rule::output_target => {
            "a name (a logical ID such as `AttachmentsBucket`)"
        }
        Rule::kind => "a resource kind such as `bucket` or `user_pool`",
        Rule::action | Rule::service_prefix | Rule::action_name => {
            "an action such as `s3:GetObject`"
        }
        Rule::any_resource => "`*`",
        Rule::arn_resource | Rule::string => "a string in double quotes",
        Rule::resource_path | Rule::path_text => "a resource path such as `private/*`",
        Rule::attribute => "an attribute name such as `Arn`",
        Rule::escape => "an escape: `\\\"`, `\\\\` or `\\n`",
        Rule::policy_var | Rule::policy_var_name => "a policy variable key such as `sub`",
        Rule::string_text | Rule::serverless_var => return None,
        _ => return None,
    })
}

/// Describes the token at `at` and returns its span: a word, a single
/// character, or an empty span at the end of the file.
fn found_at(source: &str, at: usize, file: FileId) -> (String, Span) {
    let rest = source.get(at..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return ("end of file".to_string(), Span::new(file, at, at));
    };
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let len = if is_word(first) {
        rest.find(|c: char| !is_word(c)).unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    let token = &rest[..len];
    let shown = match token {
        // An empty span at the end of the line: a span covering the line
        // break would be drawn across two lines.
        "\n" | "\r" => {
            let at = if token == "\n"
                && source
                    .get(..at)
                    .is_some_and(|before| before.ends_with('\r'))
            {
                at - 1
            } else {
                at
            };
            return ("end of line".to_string(), Span::new(file, at, at));
        }
        _ if len > 40 => format!("`{}...`", truncate(token, 40)),
        // Quote the text as the user wrote it (`"`, not `\"`); only
        // invisible characters are escaped.
        _ if first.is_control() => format!("`{}`", token.escape_debug()),
        _ => format!("`{token}`"),
    };
    (shown, Span::new(file, at, at + len))
}

fn truncate(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
