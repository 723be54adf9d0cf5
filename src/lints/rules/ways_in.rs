//! N0611: an identity pool nobody can get credentials from.
//!
//! Cognito gives credentials to two kinds of identities (Amazon Cognito
//! Developer Guide, "Using identity pools (federated identities)",
//! <https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools.html>):
//! authenticated ones, "authenticated by any supported identity provider"
//! (the pool's user pools, login providers, OIDC and SAML providers, and
//! its developer provider), and unauthenticated ones, guests, when
//! `AllowUnauthenticatedIdentities` is true ("TRUE if the identity pool
//! supports unauthenticated logins", `CreateIdentityPool`). A pool with
//! neither has no way in. AWS does not say in so many words that such a
//! pool refuses every request, so this is a note, not a warning.
//!
//! Guests must be off by the program's own word, `guests false`: a pool
//! without a `guests` line or a guest role has guests off by default, and
//! is also how small programs and examples leave out the providers they do
//! not need. A template always says `AllowUnauthenticatedIdentities`
//! (CloudFormation requires it), so a pool read from one carries its value
//! as `GuestsDef::Fixed` and is judged the same way.

use super::{Finding, LintKind};
use crate::check::ir::{Checked, GuestsDef, Pool};

/// N0611 for every pool with no provider whose guests are off by its own
/// word.
pub fn review(checked: &Checked) -> Vec<Finding> {
    checked
        .pools()
        .iter()
        .filter(|pool| !has_provider(pool) && guests_off(pool))
        .map(|pool| Finding {
            kind: LintKind::NoWayIn {
                pool: pool.logical_id.clone(),
                guest_role: pool.allows_guests(),
            },
            span: pool.span,
        })
        .collect()
}

/// Whether the pool names an identity provider of any kind; a developer
/// provider is one (its users sign in through the app's own backend).
fn has_provider(pool: &Pool) -> bool {
    !pool.user_pools.is_empty()
        || !pool.login_providers.is_empty()
        || !pool.oidc_providers.is_empty()
        || !pool.saml_providers.is_empty()
        || pool.developer_provider.is_some()
}

/// Whether `AllowUnauthenticatedIdentities` is written as false (`guests
/// false`). A parameter or condition decides at deploy time, and no line
/// at all is the default (see the module's documentation): not judged.
fn guests_off(pool: &Pool) -> bool {
    match &pool.guests {
        Some(GuestsDef::Fixed(allowed)) => !allowed,
        Some(GuestsDef::Parameter(_) | GuestsDef::Condition(_)) | None => false,
    }
}
