//! A pool's role mappings (`map P by ...`) and principal tags
//! (`principal_tags P ...`), and the providers they name.

use super::intrinsic::{self, Part};
use super::pool::{capitalized, get_att_of, is_true, properties, ref_of, seq};
use super::{TemplateReader, span_of, text};
use crate::diag::Code;
use crate::stack_reader::tree::{Node, Value};
use crate::syntax::ast::{
    Federation, LoginProvider, MappingKind, MappingRule, MatchOp, Otherwise, PoolItem,
    PrincipalTags, ProviderRef, RoleMapping, Span, Spanned,
};

/// A pool's providers, to name them in mappings and principal tags.
#[derive(Default)]
pub(super) struct Providers {
    pub(super) user_pools: Vec<(String, String)>,
    pub(super) logins: Vec<LoginProvider>,
    /// OIDC provider ARNs: a literal ARN or a resource's `Ref`.
    pub(super) oidc: Vec<Vec<Part>>,
    pub(super) saml: Vec<Vec<Part>>,
    /// User pools given as text (`provider user_pool "NAME" client "ID"`):
    /// the parts of their `ProviderName` and `ClientId`.
    pub(super) given: Vec<(Vec<Part>, Vec<Part>)>,
}

impl TemplateReader<'_> {
    /// Which provider of the pool an `IdentityProvider` /
    /// `IdentityProviderName` names, as `map`/`principal_tags` write it,
    /// with the key idpc derives from it.
    fn provider_named(
        &mut self,
        node: &Node,
        providers: &Providers,
        with_client: bool,
    ) -> Option<(ProviderRef, String)> {
        if let Some((name, arg)) = intrinsic::function(node)
            && name == "Fn::Select"
            && let Some(target) = oidc_host_of(arg)
        {
            let index = providers
                .oidc
                .iter()
                .position(|p| matches!(p.as_slice(), [Part::Ref(r)] if *r == target));
            if let Some(index) = index {
                return Some((
                    ProviderRef::Federation(Federation::Oidc),
                    federation_key("Oidc", index, providers.oidc.len()),
                ));
            }
        }
        let at = self.at(span_of(node));
        let parts = intrinsic::canonical(&intrinsic::parts(node).ok()?);
        match parts.as_slice() {
            [Part::GetAtt(user_pool, attr), rest @ ..] if attr == "ProviderName" => {
                let client = match rest {
                    [] if !with_client => None,
                    [Part::Text(colon), Part::Ref(client)] if with_client && colon == ":" => {
                        Some(client.as_str())
                    }
                    _ => return None,
                };
                user_pool_named(providers, user_pool, client, at)
            }
            [Part::Text(t)] => literal_provider(providers, t),
            [Part::Ref(r)] => {
                let saml = providers
                    .saml
                    .iter()
                    .position(|p| matches!(p.as_slice(), [Part::Ref(x)] if x == r));
                saml.map(|index| {
                    (
                        ProviderRef::Federation(Federation::Saml),
                        federation_key("Saml", index, providers.saml.len()),
                    )
                })
            }
            // A SAML ARN built with references names the provider whose ARN
            // it is, part for part.
            _ => {
                let saml = providers.saml.iter().position(|p| *p == parts)?;
                Some((
                    ProviderRef::Federation(Federation::Saml),
                    federation_key("Saml", saml, providers.saml.len()),
                ))
            }
        }
    }

    /// E0765 when `node` names a user pool given as text, which `map` and
    /// `principal_tags` cannot name; else E0704.
    fn unknown_provider(&mut self, node: &Node, providers: &Providers, with_client: bool) {
        let parts = intrinsic::parts(node).ok();
        let given = providers.given.iter().any(|(name, client)| {
            let mut named = name.clone();
            if with_client {
                push_merged(&mut named, Part::Text(":".into()));
                client
                    .iter()
                    .cloned()
                    .for_each(|p| push_merged(&mut named, p));
            }
            parts.as_ref() == Some(&named)
        });
        if given {
            let what = if with_client {
                "a role mapping"
            } else {
                "principal tags"
            };
            self.report(
                Code::E0765,
                span_of(node),
                format!("{what} of a user pool given as text cannot be written in idp"),
                "the pool's `provider user_pool \"...\" client \"...\"`",
                "`map` and `principal_tags` name a user pool by its logical ID: give the provider as `ProviderName: !GetAtt UserPool.ProviderName` and `ClientId: !Ref Client` of resources of the stack, or keep this resource in CloudFormation",
            );
            return;
        }
        self.report(
            Code::E0704,
            span_of(node),
            "this is not one of the pool's providers as idpc names them",
            "cannot tell which provider this is",
            "name a provider the pool lists: `Fn::Join: ['', [Fn::GetAtt: [UserPool, ProviderName], ':', Ref: Client]]` for a user pool in role mappings, `Fn::GetAtt: [UserPool, ProviderName]` in principal tags, the login domain, the OIDC host or the SAML ARN",
        );
    }

    /// `map P by token|rules ...`.
    pub(super) fn mapping(
        &mut self,
        key: &Node,
        mapping: &Node,
        providers: &Providers,
    ) -> Option<Spanned<PoolItem>> {
        let mut kind = None;
        let mut otherwise = None;
        let mut provider = None;
        let mut rules = None;
        for (k, v) in mapping.as_map().unwrap_or_default() {
            match k.as_str() {
                Some("Type") => kind = v.as_str().map(str::to_owned),
                Some("AmbiguousRoleResolution") => {
                    otherwise = match v.as_str() {
                        Some("AuthenticatedRole") => Some(Otherwise::Authenticated),
                        Some("Deny") => Some(Otherwise::Deny),
                        _ => {
                            self.inexpressible(k, "a role mapping");
                            return None;
                        }
                    }
                    .map(|o| Spanned::new(o, self.at(span_of(v))));
                }
                Some("IdentityProvider") => match self.provider_named(v, providers, true) {
                    Some(p) => provider = Some((p, self.at(span_of(v)))),
                    None => {
                        self.unknown_provider(v, providers, true);
                        return None;
                    }
                },
                Some("RulesConfiguration") => rules = Some(v),
                _ => self.inexpressible(k, "a role mapping"),
            }
        }
        let Some(((provider, derived), provider_at)) = provider else {
            self.inexpressible_node(mapping, "a role mapping without `IdentityProvider`");
            return None;
        };
        if key.as_str() != Some(derived.as_str()) {
            self.report(
                Code::E0706,
                span_of(key),
                format!("this role mapping's key differs from the one idpc writes, `{derived}`"),
                "a different key",
                format!("rename the key to `{derived}` in the template first"),
            );
        }
        let at = self.at(span_of(mapping));
        let by = self.mapping_kind(mapping, kind.as_deref(), rules, &mut otherwise, at)?;
        let mapping = RoleMapping {
            provider: Spanned::new(provider, provider_at),
            by,
            otherwise,
        };
        Some(Spanned::new(PoolItem::RoleMapping(mapping), at))
    }

    /// Token or rules: a token mapping writes `otherwise` only to deny,
    /// rules need it.
    fn mapping_kind(
        &mut self,
        mapping: &Node,
        kind: Option<&str>,
        rules: Option<&Node>,
        otherwise: &mut Option<Spanned<Otherwise>>,
        at: Span,
    ) -> Option<MappingKind> {
        let by = match kind {
            Some("Token") => {
                *otherwise = otherwise.take().filter(|o| o.node == Otherwise::Deny);
                MappingKind::Token
            }
            Some("Rules") => {
                let rules = rules
                    .and_then(|r| r.get("Rules"))
                    .map(seq)
                    .unwrap_or_default();
                let rules = rules
                    .into_iter()
                    .map(|rule| self.rule(rule))
                    .collect::<Option<Vec<_>>>()?;
                if otherwise.is_none() {
                    self.inexpressible_node(
                        mapping,
                        "a rules mapping without `AmbiguousRoleResolution`",
                    );
                    return None;
                }
                MappingKind::Rules { rules, block: at }
            }
            _ => {
                self.inexpressible_node(
                    mapping,
                    "a role mapping whose `Type` is not `Token` or `Rules`",
                );
                return None;
            }
        };
        Some(by)
    }

    /// `"claim" OP "value" => Role`.
    fn rule(&mut self, rule: &Node) -> Option<Spanned<MappingRule>> {
        let mut claim = None;
        let mut op = None;
        let mut value = None;
        let mut role = None;
        for (k, v) in rule.as_map().unwrap_or_default() {
            let at = self.at(span_of(v));
            match k.as_str() {
                Some("Claim") => claim = self.string(v, "a claim"),
                Some("Value") => value = self.string(v, "a claim value"),
                Some("MatchType") => {
                    let found = v.as_str().and_then(MatchOp::from_iam);
                    if found.is_none() {
                        self.inexpressible(k, "a mapping rule");
                    }
                    op = found.map(|o| Spanned::new(o, at));
                }
                Some("RoleARN") => role = get_att_of(v, "Arn").map(|r| Spanned::new(r, at)),
                _ => self.inexpressible(k, "a mapping rule"),
            }
        }
        let at = self.at(span_of(rule));
        match (claim, op, value, role) {
            (Some(claim), Some(op), Some(value), Some(role)) => Some(Spanned::new(
                MappingRule {
                    claim,
                    op,
                    value,
                    role,
                },
                at,
            )),
            // A `RoleARN` that names no role was reported where the
            // attachment's roles are read (E0705, E0750).
            (Some(_), Some(_), Some(_), None) if rule.get("RoleARN").is_some() => None,
            _ => {
                self.inexpressible_node(
                    rule,
                    "a mapping rule without `Claim`, `MatchType`, `Value` and `RoleARN`",
                );
                None
            }
        }
    }

    /// `principal_tags P { ... }` / `principal_tags P default`.
    pub(super) fn principal_tags(
        &mut self,
        pool: &str,
        id: &str,
        key: Span,
        node: &Node,
        providers: &Providers,
    ) -> Option<Spanned<PoolItem>> {
        self.resource_keys(node, "principal tags");
        let mut provider = None;
        let mut tags = Vec::new();
        let mut defaults = None;
        for (k, v) in properties(node) {
            match k.as_str() {
                Some("IdentityPoolId") => {}
                Some("IdentityProviderName") => match self.provider_named(v, providers, false) {
                    Some(p) => provider = Some((p, self.at(span_of(v)))),
                    None => {
                        self.unknown_provider(v, providers, false);
                        return None;
                    }
                },
                Some("PrincipalTags") => {
                    for (tag, claim) in v.as_map().unwrap_or_default() {
                        if let (Some(t), Some(c)) = (
                            tag.as_str().map(str::to_owned),
                            self.string(claim, "a claim"),
                        ) {
                            let at = self.at(tag.span);
                            tags.push(Spanned::new((text::string(&t, at), c), at));
                        }
                    }
                }
                Some("UseDefaults") => match is_true(v) {
                    Some(d) => defaults = d.then(|| self.at(span_of(v))),
                    None => self.inexpressible(k, "principal tags"),
                },
                _ => self.inexpressible(k, "principal tags"),
            }
        }
        let Some(((provider, derived), provider_at)) = provider else {
            self.inexpressible_node(node, "principal tags without `IdentityProviderName`");
            return None;
        };
        // A logical ID other than idpc's default is kept with `as Name`.
        let expected = format!("{pool}{derived}PrincipalTags");
        let name = (id != expected).then(|| Spanned::new(id.to_owned(), self.at(key)));
        if defaults.is_some() && !tags.is_empty() {
            self.inexpressible_node(
                node,
                "principal tags with both `UseDefaults: true` and tags",
            );
            return None;
        }
        let tags = PrincipalTags {
            provider: Spanned::new(provider, provider_at),
            name,
            tags,
            default: defaults,
        };
        Some(Spanned::new(PoolItem::PrincipalTags(tags), self.at(key)))
    }
}

/// The user pool provider (with `client`, one of its clients) a mapping
/// or principal tags name, with the key idpc derives: the user pool's
/// name, followed by the client's when the pool lists the user pool with
/// several clients.
fn user_pool_named(
    providers: &Providers,
    user_pool: &str,
    client: Option<&str>,
    at: Span,
) -> Option<(ProviderRef, String)> {
    let entries: Vec<&(String, String)> = providers
        .user_pools
        .iter()
        .filter(|(u, _)| u == user_pool)
        .collect();
    if entries.is_empty() || client.is_some_and(|c| !entries.iter().any(|(_, cc)| cc == c)) {
        return None;
    }
    let key = match (client, entries.len()) {
        (Some(c), n) if n > 1 => format!("{user_pool}{c}"),
        _ => user_pool.to_owned(),
    };
    let name = Spanned::new(user_pool.to_owned(), at);
    Some((ProviderRef::UserPool(name), key))
}

/// `[1, Fn::Split: ['oidc-provider/', Ref: X]]` (the host of an OIDC
/// provider's ARN): X.
fn oidc_host_of(arg: &Node) -> Option<String> {
    let Value::Seq(items) = &arg.value else {
        return None;
    };
    let [index, split] = items.as_slice() else {
        return None;
    };
    if index.as_str() != Some("1") {
        return None;
    }
    let (name, split_arg) = intrinsic::function(split)?;
    if name != "Fn::Split" {
        return None;
    }
    let Value::Seq(args) = &split_arg.value else {
        return None;
    };
    match args.as_slice() {
        [separator, target] if separator.as_str() == Some("oidc-provider/") => ref_of(target),
        _ => None,
    }
}

/// The provider a literal name is: a login provider's domain, the host of
/// an OIDC provider's ARN, or a SAML provider's ARN.
fn literal_provider(providers: &Providers, t: &str) -> Option<(ProviderRef, String)> {
    if let Some(login) = providers.logins.iter().find(|l| l.domain() == t) {
        return Some((ProviderRef::Login(*login), capitalized(login.keyword())));
    }
    // The host ends the ARN, whatever references come before it
    // (`arn:$(AWS::Partition):iam::...:oidc-provider/host`).
    let oidc = providers.oidc.iter().position(|p| {
        matches!(p.last(), Some(Part::Text(arn)) if arn.split_once("oidc-provider/").is_some_and(|(_, host)| host == t))
    });
    if let Some(index) = oidc {
        return Some((
            ProviderRef::Federation(Federation::Oidc),
            federation_key("Oidc", index, providers.oidc.len()),
        ));
    }
    let saml = providers
        .saml
        .iter()
        .position(|p| matches!(p.as_slice(), [Part::Text(arn)] if arn == t));
    saml.map(|index| {
        (
            ProviderRef::Federation(Federation::Saml),
            federation_key("Saml", index, providers.saml.len()),
        )
    })
}

fn federation_key(base: &str, index: usize, count: usize) -> String {
    if count > 1 {
        format!("{base}{}", index + 1)
    } else {
        base.to_owned()
    }
}

/// Blocks that cover every provider of a kind alike (`map oidc`,
/// `principal_tags oidc`, one `map UserPool` for all of its clients): each
/// provider's first block, and how many times the template gives it.
#[derive(Default)]
pub(super) struct AlikeBlocks {
    seen: Vec<(String, PoolItem, usize)>,
}

impl AlikeBlocks {
    /// Records a `map` or `principal_tags` item: `Ok(true)` for the first
    /// of its provider, `Ok(false)` for a repeat, `Err(provider)` when it
    /// differs from the provider's first.
    pub(super) fn add(&mut self, item: &Spanned<PoolItem>) -> Result<bool, String> {
        let provider = match &item.node {
            PoolItem::RoleMapping(mapping) => provider_name(&mapping.provider.node),
            PoolItem::PrincipalTags(tags) => provider_name(&tags.provider.node),
            _ => String::new(),
        };
        let item = unplaced(&item.node);
        match self.seen.iter_mut().find(|(p, _, _)| *p == provider) {
            Some((_, first, count)) if *first == item => {
                *count += 1;
                Ok(false)
            }
            Some(_) => Err(provider),
            None => {
                self.seen.push((provider, item, 1));
                Ok(true)
            }
        }
    }

    /// The providers given fewer times than they have instances, with the
    /// two counts.
    pub(super) fn short(&self, expected: impl Fn(&str) -> usize) -> Vec<(String, usize, usize)> {
        self.seen
            .iter()
            .map(|(provider, _, count)| (provider.clone(), *count, expected(provider)))
            .filter(|(_, count, expected)| count < expected)
            .collect()
    }
}

/// The item without the spans that `==` compares (those not in a
/// [`Spanned`]), so that items written alike in two places are equal.
fn unplaced(item: &PoolItem) -> PoolItem {
    let mut item = item.clone();
    match &mut item {
        PoolItem::PrincipalTags(tags) => {
            tags.default = tags.default.map(|_| Span::synthetic());
        }
        PoolItem::RoleMapping(RoleMapping {
            by: MappingKind::Rules { block, .. },
            ..
        }) => *block = Span::synthetic(),
        _ => {}
    }
    item
}

/// A provider as the program names it: `UserPool`, `google`, `oidc`.
fn provider_name(provider: &ProviderRef) -> String {
    match provider {
        ProviderRef::UserPool(name) => name.node.clone(),
        ProviderRef::Login(login) => login.keyword().to_owned(),
        ProviderRef::Federation(federation) => federation.keyword().to_owned(),
    }
}

/// Appends a part, merging adjacent literal text as `intrinsic::parts` does.
fn push_merged(parts: &mut Vec<Part>, part: Part) {
    if let (Some(Part::Text(last)), Part::Text(text)) = (parts.last_mut(), &part) {
        last.push_str(text);
        return;
    }
    parts.push(part);
}
