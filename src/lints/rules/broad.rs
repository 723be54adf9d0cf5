//! Which resources are "broad" for an action: `*`, or an ARN pattern that
//! matches every resource of a type the action acts on, in an account and
//! Region (`arn:aws:s3:::*` every bucket and every object,
//! `arn:aws:iam::*:role/*` every role, `arn:aws:dynamodb:*:*:table/*` every
//! table). A pattern that names some resources of a type
//! (`arn:aws:s3:::notes-files/*`, the objects of one bucket;
//! `arn:aws:iam::*:role/app-*`) is not broad, nor is a path under a named
//! resource (`Files/public/*`): that is one resource's contents.

use super::arn_set::Pattern;
use crate::catalog::Action;
use crate::check::ir::ResourceDef;
use std::cell::RefCell;
use std::collections::HashMap;

/// A resource that may be broad, with the answers worked out so far.
pub struct Broad {
    /// `None` for `*`.
    pattern: Option<Pattern>,
    /// As written (`None` for `*`).
    written: Option<String>,
    /// (service, resource type) → whether the pattern matches every
    /// resource of it.
    types: RefCell<HashMap<(&'static str, &'static str), bool>>,
}

impl Broad {
    /// `*` or an ARN string; `None` for a named resource (one resource, or
    /// a path under it).
    pub fn of(resource: &ResourceDef) -> Option<Broad> {
        let (pattern, written) = match resource {
            ResourceDef::Any => (None, None),
            ResourceDef::Arn(value) => (
                Some(Pattern::of_value(value)),
                Some(super::written(resource)),
            ),
            ResourceDef::Of { .. } => return None,
        };
        Some(Broad {
            pattern,
            written,
            types: RefCell::new(HashMap::new()),
        })
    }

    /// Whether the resource is broad for `action`: `Some` with the
    /// resource type it matches every resource of (`s3 object`), or
    /// `Some(None)` for `*`; `None` when it is not broad.
    pub fn covers(&self, action: &Action<'static>) -> Option<Option<String>> {
        let Some(pattern) = &self.pattern else {
            return Some(None);
        };
        let mut types = self.types.borrow_mut();
        action.resource_types().iter().find_map(|resource| {
            let rt = resource.resource_type;
            let every = *types
                .entry((rt.service().prefix(), rt.name()))
                .or_insert_with(|| rt.arn_formats().any(|format| pattern.matches_every(format)));
            every.then(|| Some(format!("{} {}", rt.service().prefix(), rt.name())))
        })
    }

    /// The pattern as written; `None` for `*`.
    pub fn written(&self) -> Option<String> {
        self.written.clone()
    }
}

/// Actions AWS serves without the caller's credentials: a grant of them
/// changes nothing, so writing it on `*` is no risk. "Calling
/// AssumeRoleWithWebIdentity does not require the use of AWS security
/// credentials" (AWS STS API Reference, AssumeRoleWithWebIdentity,
/// <https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html>).
const UNSIGNED_ACTIONS: &[&str] = &["sts:AssumeRoleWithWebIdentity"];

/// Whether `action` is served without the caller's credentials.
pub(super) fn needs_no_credentials(action: &crate::catalog::Action) -> bool {
    let name = action.full_name();
    UNSIGNED_ACTIONS
        .iter()
        .any(|a| a.eq_ignore_ascii_case(&name))
}
