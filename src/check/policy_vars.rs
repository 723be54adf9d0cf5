//! Which `$<...>` policy variables exist.
//!
//! A policy variable is an IAM request-context key that IAM substitutes into
//! a resource or condition value at request time. The list follows the IAM
//! User Guide ("IAM policy elements: Variables and tags" and "AWS global
//! condition context keys"): keys whose value is present for a federated
//! Cognito identity or for every request.

/// The Cognito identity keys, by their short names: `$<sub>` is
/// `cognito-identity.amazonaws.com:sub`.
pub const COGNITO_SHORT: [&str; 3] = ["sub", "aud", "amr"];

/// The prefix of the Cognito identity keys.
pub const COGNITO_PREFIX: &str = "cognito-identity.amazonaws.com:";

/// The caller's identity id (`$<sub>`): `region:guid`, one per identity.
pub const SUB: &str = "cognito-identity.amazonaws.com:sub";

/// Global and identity-provider keys that IAM substitutes as variables.
/// Matching is case-insensitive, as IAM's is for key names.
const KNOWN: &[&str] = &[
    "cognito-identity.amazonaws.com:sub",
    "cognito-identity.amazonaws.com:aud",
    "cognito-identity.amazonaws.com:amr",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:TokenIssueTime",
    "aws:PrincipalType",
    "aws:SecureTransport",
    "aws:SourceIp",
    "aws:UserAgent",
    "aws:userid",
    "aws:username",
    "aws:FederatedProvider",
    "aws:PrincipalAccount",
    "aws:PrincipalOrgID",
    "aws:PrincipalArn",
    "aws:RequestedRegion",
    "aws:SourceIdentity",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:Referer",
    "www.amazon.com:app_id",
    "www.amazon.com:user_id",
    "graph.facebook.com:app_id",
    "graph.facebook.com:id",
    "accounts.google.com:aud",
    "accounts.google.com:oaud",
    "accounts.google.com:sub",
    "saml:sub",
    "saml:sub_type",
    "saml:aud",
    "saml:iss",
];

/// Keys that take a suffix, such as `aws:PrincipalTag/department`.
pub const PRINCIPAL_TAG_PREFIX: &str = "aws:PrincipalTag/";

/// What a `$<...>` key means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyVar {
    /// A known key, spelled as IAM documents it (`aws:username`).
    Key(String),
    /// `aws:PrincipalTag/<tag>`: valid only where the pool maps that tag.
    PrincipalTag(String),
}

/// Resolves a key as written inside `$<...>`.
pub fn resolve(written: &str) -> Option<PolicyVar> {
    if COGNITO_SHORT.contains(&written) {
        return Some(PolicyVar::Key(format!("{COGNITO_PREFIX}{written}")));
    }
    if let Some(tag) = strip_prefix_ignore_case(written, PRINCIPAL_TAG_PREFIX)
        && !tag.is_empty()
    {
        return Some(PolicyVar::PrincipalTag(tag.to_string()));
    }
    if let Some(known) = KNOWN
        .iter()
        .find(|known| known.eq_ignore_ascii_case(written))
    {
        return Some(PolicyVar::Key((*known).to_string()));
    }
    // Global keys the catalog marks as usable in `${...}`.
    crate::catalog::Catalog::get()
        .global_condition_key(written)
        .filter(|key| key.is_policy_variable() && !key.is_template())
        .map(|key| PolicyVar::Key(key.name().to_string()))
}

/// Every spelling a user could mean, for "did you mean".
pub fn candidates() -> impl Iterator<Item = &'static str> {
    COGNITO_SHORT.iter().chain(KNOWN.iter()).copied()
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_cognito_names_expand() {
        assert_eq!(
            resolve("sub"),
            Some(PolicyVar::Key("cognito-identity.amazonaws.com:sub".into()))
        );
    }

    #[test]
    fn global_keys_are_case_insensitive_and_canonical() {
        assert_eq!(
            resolve("AWS:USERNAME"),
            Some(PolicyVar::Key("aws:username".into()))
        );
    }

    #[test]
    fn principal_tags_keep_their_tag() {
        assert_eq!(
            resolve("aws:PrincipalTag/department"),
            Some(PolicyVar::PrincipalTag("department".into()))
        );
        assert_eq!(resolve("aws:PrincipalTag/"), None);
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert_eq!(resolve("subb"), None);
        assert_eq!(resolve("aws:nothing"), None);
    }
}
