//! What guests can get at all in the enhanced flow.
//!
//! In the enhanced (default) flow, Cognito scopes every unauthenticated
//! identity's credentials down with the AWS managed session policy
//! `AmazonCognitoUnAuthedIdentitiesSessionPolicy`: guests get the
//! intersection of their role's permissions and this policy. A grant outside
//! it is accepted by IAM and CloudFormation, and silently does nothing.
//!
//! The table below is the policy's default version, copied from the AWS
//! Managed Policy Reference. When AWS publishes a new version, add it here
//! and move [`CURRENT`] (see `tools/README.md`).

use crate::catalog::glob_ci;

/// A published version of the session policy.
pub struct SessionPolicy {
    /// The managed policy's name.
    pub name: &'static str,
    /// Its version id.
    pub version: &'static str,
    /// When AWS last edited it.
    pub edited: &'static str,
    /// The action patterns of its only statement (`Resource: *`).
    pub actions: &'static [&'static str],
}

/// `AmazonCognitoUnAuthedIdentitiesSessionPolicy` v3, the default version
/// since 2024-11-01
/// (<https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonCognitoUnAuthedIdentitiesSessionPolicy.html>).
pub const V3: SessionPolicy = SessionPolicy {
    name: "AmazonCognitoUnAuthedIdentitiesSessionPolicy",
    version: "v3",
    edited: "2024-11-01",
    actions: &[
        "rum:PutRumEvents",
        "sagemaker:InvokeEndpoint",
        "polly:*",
        "comprehend:*",
        "translate:*",
        "transcribe:*",
        "rekognition:*",
        "mobiletargeting:*",
        "firehose:*",
        "personalize:*",
        "geo:GetMap*",
        "geo:SearchPlaceIndex*",
        "geo:GetPlace",
        "geo:CalculateRoute*",
        "geo:*Geofence",
        "geo:*Geofences",
        "geo:*DevicePosition*",
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncryptTo",
        "kms:ReEncryptFrom",
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyPair",
        "kms:GenerateDataKeyPairWithoutPlaintext",
        "kms:GenerateDataKeyWithoutPlaintext",
    ],
};

/// The version idpc checks against.
pub const CURRENT: &SessionPolicy = &V3;

impl SessionPolicy {
    /// Whether the policy lets guests have `action` (`service:Name`), as IAM
    /// matches actions: case-insensitively, `*` and `?` as wildcards.
    pub fn allows(&self, action: &str) -> bool {
        self.actions.iter().any(|pattern| {
            let (Some((service, name)), Some((action_service, action_name))) =
                (pattern.split_once(':'), action.split_once(':'))
            else {
                return false;
            };
            service.eq_ignore_ascii_case(action_service) && glob_ci(name, action_name)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_policy_matches_like_iam() {
        let policy = CURRENT;
        assert!(policy.allows("geo:GetMapTile"));
        assert!(policy.allows("GEO:getmapstyledescriptor"));
        assert!(policy.allows("geo:BatchPutGeofence"));
        assert!(policy.allows("geo:GetDevicePositionHistory"));
        assert!(policy.allows("polly:SynthesizeSpeech"));
        assert!(policy.allows("kms:Decrypt"));
        assert!(!policy.allows("kms:CreateKey"));
        assert!(!policy.allows("s3:GetObject"));
        assert!(!policy.allows("geo:CreateMap"));
        assert!(!policy.allows("dynamodb:GetItem"));
        assert!(!policy.allows("rum:PutRumEventsX"));
    }

    #[test]
    fn every_pattern_names_actions_the_catalog_has() {
        let catalog = crate::catalog::Catalog::get();
        for pattern in CURRENT.actions {
            assert!(
                !catalog.actions_matching(pattern).is_empty(),
                "{pattern} matches no action of the catalog"
            );
        }
    }
}
