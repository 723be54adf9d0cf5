//! Conversions for the forms inside `identity_pool` beyond the basics:
//! providers, role mappings, principal tags, and top-level roles.

use super::ast::*;
use super::{Cx, ParseError, Rule, if_clause, name, required_name, role_body, string_text};
use pest::iterators::Pair;

pub(super) fn provider(cx: Cx, pair: Pair<Rule>) -> Result<PoolItem, ParseError> {
    let Some(form) = pair.into_inner().find(|p| p.as_rule() != Rule::kw_provider) else {
        return Ok(PoolItem::ClassicFlow);
    };
    match form.as_rule() {
        Rule::login_provider => {
            let mut provider = Spanned::new(LoginProvider::Google, Span::synthetic());
            let mut id = Text::default();
            for part in form.into_inner() {
                match part.as_rule() {
                    Rule::login_keyword => {
                        let which = match part.as_str() {
                            "facebook" => LoginProvider::Facebook,
                            "amazon" => LoginProvider::Amazon,
                            "apple" => LoginProvider::Apple,
                            "twitter" => LoginProvider::Twitter,
                            _ => LoginProvider::Google,
                        };
                        provider = Spanned::new(which, cx.span(part.as_span()));
                    }
                    Rule::string => id = string_text(cx, part),
                    _ => {}
                }
            }
            Ok(PoolItem::LoginProvider { provider, id })
        }
        Rule::federation_provider => {
            let mut protocol = Spanned::new(Federation::Oidc, Span::synthetic());
            let mut provider = ProviderArn::Arn(Text::default());
            for part in form.into_inner() {
                match part.as_rule() {
                    Rule::federation_keyword => {
                        let which = if part.as_str() == "saml" {
                            Federation::Saml
                        } else {
                            Federation::Oidc
                        };
                        protocol = Spanned::new(which, cx.span(part.as_span()));
                    }
                    Rule::string => provider = ProviderArn::Arn(string_text(cx, part)),
                    Rule::name => provider = ProviderArn::Named(name(cx, part)?),
                    _ => {}
                }
            }
            Ok(PoolItem::FederationProvider { protocol, provider })
        }
        Rule::developer_provider => Ok(PoolItem::DeveloperProvider(
            strings(cx, form).next().unwrap_or_default(),
        )),
        _ => {
            let mut names = Vec::new();
            let mut texts = Vec::new();
            let mut server_side_token_check = None;
            for pair in form.into_inner() {
                match pair.as_rule() {
                    Rule::name => names.push(name(cx, pair)?),
                    Rule::string => texts.push(string_text(cx, pair)),
                    Rule::kw_server_side_token_check => {
                        server_side_token_check = Some(cx.span(pair.as_span()))
                    }
                    _ => {}
                }
            }
            if !texts.is_empty() {
                let mut texts = texts.into_iter();
                return Ok(PoolItem::UserPoolText(UserPoolText {
                    provider_name: texts.next().unwrap_or_default(),
                    client_id: texts.next().unwrap_or_default(),
                    server_side_token_check,
                }));
            }
            let mut names = names.into_iter();
            Ok(PoolItem::UserPoolProvider(UserPoolProvider {
                user_pool: required_name(names.next()),
                client: required_name(names.next()),
                server_side_token_check,
            }))
        }
    }
}

fn provider_ref(cx: Cx, pair: Pair<Rule>) -> Result<Spanned<ProviderRef>, ParseError> {
    let span: Span = cx.span(pair.as_span());
    let Some(inner) = pair.into_inner().next() else {
        return Ok(Spanned::new(
            ProviderRef::Login(LoginProvider::Google),
            span,
        ));
    };
    let provider = match inner.as_rule() {
        Rule::name => ProviderRef::UserPool(name(cx, inner)?),
        _ => match inner.as_str() {
            "google" => ProviderRef::Login(LoginProvider::Google),
            "facebook" => ProviderRef::Login(LoginProvider::Facebook),
            "amazon" => ProviderRef::Login(LoginProvider::Amazon),
            "apple" => ProviderRef::Login(LoginProvider::Apple),
            "twitter" => ProviderRef::Login(LoginProvider::Twitter),
            "saml" => ProviderRef::Federation(Federation::Saml),
            _ => ProviderRef::Federation(Federation::Oidc),
        },
    };
    Ok(Spanned::new(provider, span))
}

pub(super) fn role_mapping(cx: Cx, pair: Pair<Rule>) -> Result<RoleMapping, ParseError> {
    let mut provider = Spanned::new(ProviderRef::Login(LoginProvider::Google), Span::synthetic());
    let mut by = MappingKind::Token;
    let mut otherwise_clause = None;
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::provider_ref => provider = provider_ref(cx, part)?,
            Rule::token_mapping => {
                for inner in part.into_inner() {
                    if inner.as_rule() == Rule::otherwise {
                        otherwise_clause = Some(otherwise(cx, inner));
                    }
                }
            }
            Rule::rules_mapping => {
                let block: Span = cx.span(part.as_span());
                let mut rules = Vec::new();
                for inner in part.into_inner() {
                    match inner.as_rule() {
                        Rule::mapping_rule => rules.push(mapping_rule(cx, inner)?),
                        Rule::otherwise => otherwise_clause = Some(otherwise(cx, inner)),
                        _ => {}
                    }
                }
                by = MappingKind::Rules { rules, block };
            }
            _ => {}
        }
    }
    Ok(RoleMapping {
        provider,
        by,
        otherwise: otherwise_clause,
    })
}

fn mapping_rule(cx: Cx, pair: Pair<Rule>) -> Result<Spanned<MappingRule>, ParseError> {
    let span: Span = cx.span(pair.as_span());
    let mut texts = Vec::new();
    let mut op = Spanned::new(MatchOp::Equals, Span::synthetic());
    let mut role = None;
    for part in pair.into_inner() {
        let part_span: Span = cx.span(part.as_span());
        match part.as_rule() {
            Rule::string => texts.push(string_text(cx, part)),
            Rule::match_op => {
                let value = MatchOp::from_keyword(part.as_str()).unwrap_or(MatchOp::Equals);
                op = Spanned::new(value, part_span);
            }
            Rule::name => role = Some(name(cx, part)?),
            _ => {}
        }
    }
    let mut texts = texts.into_iter();
    let rule = MappingRule {
        claim: texts.next().unwrap_or_default(),
        op,
        value: texts.next().unwrap_or_default(),
        role: required_name(role),
    };
    Ok(Spanned::new(rule, span))
}

fn otherwise(cx: Cx, pair: Pair<Rule>) -> Spanned<Otherwise> {
    let span: Span = cx.span(pair.as_span());
    let deny = pair.into_inner().any(|p| p.as_rule() == Rule::kw_deny);
    let value = if deny {
        Otherwise::Deny
    } else {
        Otherwise::Authenticated
    };
    Spanned::new(value, span)
}

pub(super) fn principal_tags(cx: Cx, pair: Pair<Rule>) -> Result<PrincipalTags, ParseError> {
    let mut provider = Spanned::new(ProviderRef::Login(LoginProvider::Google), Span::synthetic());
    let mut tags = Vec::new();
    let mut tags_name = None;
    let mut default = None;
    for part in pair.into_inner() {
        let span: Span = cx.span(part.as_span());
        match part.as_rule() {
            Rule::provider_ref => provider = provider_ref(cx, part)?,
            Rule::name => tags_name = Some(name(cx, part)?),
            Rule::kw_default => default = Some(span),
            Rule::tag_mapping => {
                let mut strings = strings(cx, part);
                let tag = strings.next().unwrap_or_default();
                let claim = strings.next().unwrap_or_default();
                tags.push(Spanned::new((tag, claim), span));
            }
            _ => {}
        }
    }
    Ok(PrincipalTags {
        provider,
        name: tags_name,
        tags,
        default,
    })
}

pub(super) fn pool_tag(cx: Cx, pair: Pair<Rule>) -> PoolItem {
    let mut strings = strings(cx, pair);
    let key = strings.next().unwrap_or_default();
    let value = strings.next().unwrap_or_default();
    PoolItem::Tag { key, value }
}

pub(super) fn role_decl(cx: Cx, pair: Pair<Rule>) -> Result<RoleDecl, ParseError> {
    let mut role_name = None;
    let mut body = Spanned::new(Vec::new(), Span::synthetic());
    let mut condition = None;
    for part in pair.into_inner() {
        let span: Span = cx.span(part.as_span());
        match part.as_rule() {
            Rule::name => role_name = Some(name(cx, part)?),
            Rule::if_clause => condition = Some(if_clause(cx, part)?),
            Rule::role_body => body = Spanned::new(role_body(cx, part)?, span),
            _ => {}
        }
    }
    Ok(RoleDecl {
        name: required_name(role_name),
        body,
        condition,
    })
}

/// `attachment`, `deletion_policy`, `update_replace_policy`, `depends_on`
/// and `metadata` lines of a pool.
pub(super) fn pool_attribute(cx: Cx, pair: Pair<Rule>) -> Result<PoolItem, ParseError> {
    let rule = pair.as_rule();
    let mut names = Vec::new();
    let mut policy = None;
    let mut text = None;
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::name => names.push(name(cx, part)?),
            Rule::retention => policy = Some(retention(cx, part)),
            Rule::string => text = Some(string_text(cx, part)),
            _ => {}
        }
    }
    let policy = || policy.unwrap_or(Spanned::new(RetentionPolicy::Retain, Span::synthetic()));
    Ok(match rule {
        Rule::attachment => PoolItem::Attachment(required_name(names.into_iter().next())),
        Rule::deletion_policy => PoolItem::DeletionPolicy(policy()),
        Rule::update_replace_policy => PoolItem::UpdateReplacePolicy(policy()),
        Rule::metadata => PoolItem::Metadata(text.unwrap_or_default()),
        _ => PoolItem::DependsOn(names),
    })
}

fn retention(cx: Cx, pair: Pair<Rule>) -> Spanned<RetentionPolicy> {
    let value = RetentionPolicy::from_word(pair.as_str()).unwrap_or(RetentionPolicy::Retain);
    Spanned::new(value, cx.span(pair.as_span()))
}

/// `role_name`, `description`, `max_session_duration`, `path`, `tag` and
/// `depends_on` lines of a role.
pub(super) fn role_property(cx: Cx, pair: Pair<Rule>) -> Result<RoleItem, ParseError> {
    let rule = pair.as_rule();
    let mut names = Vec::new();
    let mut texts = Vec::new();
    let mut number = Spanned::new(0, Span::synthetic());
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::name => names.push(name(cx, part)?),
            Rule::string => texts.push(string_text(cx, part)),
            Rule::number => {
                // Digits only (the grammar's); too many saturate, and the
                // checker's range refuses them.
                let value = part.as_str().parse::<u64>().unwrap_or(u64::MAX);
                number = Spanned::new(value, cx.span(part.as_span()));
            }
            _ => {}
        }
    }
    let mut texts = texts.into_iter();
    let mut text = || texts.next().unwrap_or_default();
    Ok(match rule {
        Rule::role_name => RoleItem::RoleName(text()),
        Rule::role_description => RoleItem::Description(text()),
        Rule::max_session_duration => RoleItem::MaxSessionDuration(number),
        Rule::role_path => RoleItem::Path(text()),
        Rule::role_tag => RoleItem::Tag {
            key: text(),
            value: text(),
        },
        _ => RoleItem::DependsOn(names),
    })
}

/// `guests Param` / `guests if Cond`.
pub(super) fn guests(cx: Cx, pair: Pair<Rule>) -> Result<Guests, ParseError> {
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::kw_true => return Ok(Guests::Fixed(true)),
            Rule::kw_false => return Ok(Guests::Fixed(false)),
            Rule::if_clause => return Ok(Guests::Condition(if_clause(cx, part)?)),
            Rule::name => return Ok(Guests::Parameter(name(cx, part)?)),
            _ => {}
        }
    }
    Ok(Guests::Parameter(required_name(None)))
}

/// The strings directly inside a pair, in order.
fn strings(cx: Cx, pair: Pair<Rule>) -> impl Iterator<Item = Text> {
    pair.into_inner()
        .filter(|p| p.as_rule() == Rule::string)
        .map(move |p| string_text(cx, p))
}
