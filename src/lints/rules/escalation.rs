//! The actions W0603 reports on `*`: each lets whoever holds the role widen
//! its own permissions, and each row names the AWS page that says so. An
//! action is listed only when AWS documents that effect; the other IAM
//! actions that write are left to W0602 (`*` with write actions), whose
//! premise is only what `*` means.
//!
//! `idpc explain W0603` prints the same table with its sources; a test pins
//! both to this list.

/// An action that can escalate privileges when its resource is `*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Escalation {
    /// The action, `service:Name` as the service authorization reference
    /// spells it.
    pub action: &'static str,
    /// What holding it on `*` lets the role do.
    pub effect: &'static str,
    /// The AWS documentation page it rests on.
    pub source: &'static str,
}

const PASS_ROLE_CHECK: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-security-warning-pass-role-with-star-in-resource";
const SWITCH_ROLE: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html";
const PUT_ROLE_POLICY: &str =
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html";
const ATTACH_ROLE_POLICY: &str =
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html";
const BOUNDARIES: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html";
const DELETE_ROLE_BOUNDARY: &str =
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRolePermissionsBoundary.html";
const PUT_ROLE_BOUNDARY: &str =
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePermissionsBoundary.html";

/// Every action W0603 reports, sorted by name.
pub const ESCALATIONS: &[Escalation] = &[
    Escalation {
        action: "iam:AttachRolePolicy",
        effect: "attach any managed policy (AdministratorAccess too) to any role, its own included",
        source: ATTACH_ROLE_POLICY,
    },
    Escalation {
        action: "iam:CreatePolicyVersion",
        effect: "rewrite any customer managed policy, those attached to its own role included",
        source: BOUNDARIES,
    },
    Escalation {
        action: "iam:DeleteRolePermissionsBoundary",
        effect: "remove the permissions boundary of any role, which AWS says might increase its permissions",
        source: DELETE_ROLE_BOUNDARY,
    },
    Escalation {
        action: "iam:PassRole",
        effect: "hand any role of the account to an AWS service and act with its permissions",
        source: PASS_ROLE_CHECK,
    },
    Escalation {
        action: "iam:PutRolePermissionsBoundary",
        effect: "replace the permissions boundary of any role with a wider one",
        source: PUT_ROLE_BOUNDARY,
    },
    Escalation {
        action: "iam:PutRolePolicy",
        effect: "write any inline policy into any role, its own included",
        source: PUT_ROLE_POLICY,
    },
    Escalation {
        action: "iam:SetDefaultPolicyVersion",
        effect: "make any version of a customer managed policy the one in effect",
        source: BOUNDARIES,
    },
    Escalation {
        action: "sts:AssumeRole",
        effect: "assume any role whose trust policy trusts the account",
        source: SWITCH_ROLE,
    },
];

/// The table's row for an action (`service` prefix and action name, as
/// the catalog spells them), if it escalates.
pub fn escalation(service: &str, name: &str) -> Option<&'static Escalation> {
    ESCALATIONS.iter().find(|row| {
        row.action
            .split_once(':')
            .is_some_and(|(s, n)| s == service && n == name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    /// The list is exactly the cited one: adding or dropping an action is a
    /// decision to make here, with its source.
    #[test]
    fn the_escalating_actions_are_the_cited_ones() {
        let actions: Vec<&str> = ESCALATIONS.iter().map(|row| row.action).collect();
        assert_eq!(
            actions,
            [
                "iam:AttachRolePolicy",
                "iam:CreatePolicyVersion",
                "iam:DeleteRolePermissionsBoundary",
                "iam:PassRole",
                "iam:PutRolePermissionsBoundary",
                "iam:PutRolePolicy",
                "iam:SetDefaultPolicyVersion",
                "sts:AssumeRole",
            ]
        );
    }

    #[test]
    fn every_row_is_a_catalog_action_with_an_aws_source() {
        let catalog = Catalog::get();
        for row in ESCALATIONS {
            assert!(catalog.action(row.action).is_some(), "{}", row.action);
            assert!(
                row.source.starts_with("https://docs.aws.amazon.com/"),
                "{}: {}",
                row.action,
                row.source
            );
        }
    }

    #[test]
    fn actions_aws_does_not_document_as_escalation_are_not_listed() {
        for (service, name) in [
            ("iam", "CreateUser"),
            ("iam", "CreateRole"),
            ("iam", "CreateAccessKey"),
            ("iam", "AddUserToGroup"),
            ("iam", "UpdateLoginProfile"),
            ("iam", "UpdateAssumeRolePolicy"),
            ("iam", "PutUserPolicy"),
            ("iam", "GetRole"),
            ("s3", "PutBucketPolicy"),
        ] {
            assert_eq!(escalation(service, name), None, "{service}:{name}");
        }
        assert_eq!(
            escalation("iam", "PassRole").map(|row| row.action),
            Some("iam:PassRole")
        );
    }

    /// The explanation page lists every row with its source.
    #[test]
    fn the_explanation_page_cites_every_row() {
        let page = crate::diag::Code::W0603.explanation();
        for row in ESCALATIONS {
            assert!(
                page.contains(&format!("`{}`", row.action)),
                "{}",
                row.action
            );
            assert!(page.contains(row.source), "{}: {}", row.action, row.source);
        }
    }
}
