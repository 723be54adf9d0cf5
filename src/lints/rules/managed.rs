//! AWS managed policies known to be broad (W0608).
//!
//! A role's `managed_policy "arn:..."` grants what the policy's default
//! version says; idpc does not see the document. The few AWS managed
//! policies below are known to grant whole services or the whole account,
//! copied from the AWS Managed Policy Reference (each entry cites its
//! page). Any other AWS managed policy whose name ends in `FullAccess` is
//! reported for what its name says, and only that: AWS's name for full
//! access to a service. Only ARNs of the form
//! `arn:<partition>:iam::aws:policy/...` are AWS managed; a customer
//! managed policy (`arn:aws:iam::123456789012:policy/...`) is the
//! account's own, whatever its name.

use crate::check::ir::{Piece, Value};

/// An AWS managed policy known to be broad.
pub struct KnownPolicy {
    /// Its name.
    pub name: &'static str,
    /// What its default version grants, in a few words.
    pub grants: &'static str,
    /// The version read (empty: not recorded).
    pub version: &'static str,
    /// Its page in the AWS Managed Policy Reference.
    pub url: &'static str,
}

/// The broad AWS managed policies idpc knows by name.
pub const KNOWN: &[KnownPolicy] = &[
    KnownPolicy {
        name: "AdministratorAccess",
        grants: "every action of every service on every resource (`*` on `*`)",
        // The version was not read (see the report); the grant is the
        // policy's description on the job-function page.
        version: "",
        url: "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html",
    },
    KnownPolicy {
        name: "PowerUserAccess",
        grants: "every action of every service but IAM, Organizations and Account Management on every resource (`NotAction` `iam:*`, `organizations:*`, `account:*` on `*`), and a few of theirs (`iam:CreateServiceLinkedRole`, `iam:ListRoles`, ...)",
        version: "v12",
        url: "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/PowerUserAccess.html",
    },
    KnownPolicy {
        name: "IAMFullAccess",
        grants: "every IAM action on every resource (`iam:*` on `*`): creating roles and policies and attaching them",
        version: "v2",
        url: "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/IAMFullAccess.html",
    },
    KnownPolicy {
        name: "AdministratorAccess-Amplify",
        // "AWS managed policies for AWS Amplify", Amplify Hosting User
        // Guide (https://docs.aws.amazon.com/amplify/latest/userguide/security-iam-awsmanpol.html):
        // it lets the holder create identities with any permissions, "so
        // this policy should be considered as powerful as the
        // AdministratorAccess policy", and grants `iam:PassRole` on all
        // resources.
        grants: "IAM actions that create identities with any permissions, and `iam:PassRole` on every resource: AWS says to treat it as powerful as `AdministratorAccess`",
        version: "v12",
        url: "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess-Amplify.html",
    },
];

/// What idpc knows of a managed policy ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Broad {
    /// One of [`KNOWN`], by index.
    Known(usize),
    /// An AWS managed policy named `...FullAccess`.
    FullAccessByName(String),
}

/// Whether the policy ARN is an AWS managed policy known (or named) to be
/// broad.
pub fn broad(arn: &Value) -> Option<Broad> {
    let [Piece::Literal(text)] = &arn.pieces[..] else {
        return None;
    };
    let rest = text.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    if !partition.starts_with("aws") {
        return None;
    }
    let path = rest.strip_prefix("iam::aws:policy/")?;
    let name = path.rsplit('/').next()?;
    if let Some(index) = KNOWN.iter().position(|known| known.name == name) {
        return Some(Broad::Known(index));
    }
    (name.ends_with("FullAccess") && name.len() > "FullAccess".len())
        .then(|| Broad::FullAccessByName(name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(arn: &str) -> Option<Broad> {
        broad(&Value::literal(arn))
    }

    #[test]
    fn known_policies_by_their_aws_arn() {
        assert_eq!(
            of("arn:aws:iam::aws:policy/AdministratorAccess"),
            Some(Broad::Known(0))
        );
        assert_eq!(
            of("arn:aws-cn:iam::aws:policy/PowerUserAccess"),
            Some(Broad::Known(1))
        );
        assert_eq!(
            of("arn:aws:iam::aws:policy/IAMFullAccess"),
            Some(Broad::Known(2))
        );
    }

    #[test]
    fn full_access_by_name_only_when_aws_managed() {
        assert_eq!(
            of("arn:aws:iam::aws:policy/AmazonS3FullAccess"),
            Some(Broad::FullAccessByName("AmazonS3FullAccess".into()))
        );
        // The account's own policy, whatever its name.
        assert_eq!(of("arn:aws:iam::123456789012:policy/NotesFullAccess"), None);
        assert_eq!(of("arn:aws:iam::aws:policy/ReadOnlyAccess"), None);
        assert_eq!(of("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"), None);
        assert_eq!(
            of("arn:aws:iam::aws:policy/AdministratorAccess-Amplify"),
            Some(Broad::Known(3))
        );
        // Names that only resemble the table's.
        assert_eq!(
            of("arn:aws:iam::aws:policy/AdministratorAccess-AWSElasticBeanstalk"),
            None
        );
        assert_eq!(
            of("arn:aws:iam::123456789012:policy/AdministratorAccess"),
            None
        );
        // A variable: idpc does not know the policy.
        let var = Value {
            pieces: vec![
                Piece::Literal("arn:aws:iam::aws:policy/".into()),
                Piece::ServerlessVar("${self:custom.policy}".into()),
            ],
        };
        assert_eq!(broad(&var), None);
    }
}
