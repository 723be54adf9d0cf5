//! The registry of diagnostic codes. Codes are stable: once published, a
//! code keeps its meaning forever; retired codes are not reused.
//!
//! Each code has an explanation in `src/diag/explain/CODE.md`, printed by
//! `idpc explain CODE`.

use std::fmt;

/// Whether a diagnostic stops the build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The program is wrong; nothing is written.
    Error,
    /// Probably a mistake; the build goes on unless `--deny-warnings`.
    Warning,
    /// Worth knowing: an explanation where users often go wrong, or
    /// something that has no effect. Never fails a build.
    Note,
}

macro_rules! codes {
    ($($code:ident, $severity:ident, $title:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = $title]
                $code,
            )*
        }

        impl Code {
    /// Whether a `# idpc: allow(...)` comment may suppress it: warnings and
    /// notes, but not what idpc says of an `expect` (W1002), a claim its
    /// author deletes rather than silences. `idpc.toml` still sets its level.
    pub fn comment_suppressible(self) -> bool {
        self.severity() != Severity::Error && self != Code::W1002
    }

            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$code),*];

            /// The code as printed, e.g. `E0101`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$code => stringify!($code),)* }
            }

            /// Whether it is an error or a warning.
            pub fn severity(self) -> Severity {
                match self { $(Code::$code => Severity::$severity,)* }
            }

            /// One line saying what the code is about.
            pub fn title(self) -> &'static str {
                match self { $(Code::$code => $title,)* }
            }

            /// The long explanation (Markdown).
            pub fn explanation(self) -> &'static str {
                match self {
                    $(Code::$code => include_str!(concat!("explain/", stringify!($code), ".md")),)*
                }
            }
        }
    };
}

codes! {
    E0001, Error, "the program does not follow the grammar";
    E0002, Error, "a logical ID is longer than 255 characters";
    E0003, Error, "the file is not UTF-8";
    E0004, Error, "a line break other than LF or CRLF";
    E0005, Error, "an output that would hold one key twice (an idpc bug)";
    E0006, Error, "a program beyond idpc's size limits";
    E0101, Error, "a name that nothing declares";
    E0102, Error, "a name of the wrong kind for its place";
    E0103, Error, "a logical ID declared twice";
    E0104, Error, "a resource without an ARN used where a policy needs one";
    E0105, Error, "an unknown policy variable";
    E0106, Error, "an output attribute the resource type does not have";
    E0107, Error, "a setting given twice";
    E0108, Error, "a Serverless variable in a plain CloudFormation template";
    E0109, Error, "a generated logical ID is longer than 255 characters";
    E0110, Error, "a string resource that is not an ARN";
    E0111, Error, "a reference `$(Name)` to nothing the program or stack knows";
    E0112, Error, "an unknown pseudo parameter";
    E0113, Error, "a reference to an attribute its target does not have";
    E0114, Error, "a parameter or condition declared twice";
    E0115, Error, "an `if` naming no declared condition";
    E0116, Error, "`guests` naming no declared parameter";
    E0117, Error, "a reference where idpc must know the text";
    E0118, Error, "`guests` in a pool without a guest role";
    E0201, Error, "a Twitter app id that is not `key;secret`";
    E0202, Error, "a malformed provider or policy ARN";
    E0203, Error, "a value that breaks CloudFormation's rule for its property";
    E0204, Error, "a rules mapping without `otherwise`";
    E0205, Error, "a mapping or principal tags for a provider the pool does not have";
    E0206, Error, "`classic_flow` together with role mappings";
    E0207, Error, "more rules or mappings than Cognito accepts";
    E0208, Error, "a role handed out by name that is not a top-level `role`";
    E0209, Error, "a role used both for signed-in users and for guests";
    E0210, Error, "a principal tag that no pool of the role maps";
    E0211, Error, "more tags on a pool, or a longer tag, than Cognito accepts";
    E0212, Error, "a CloudFormation template without a resource";
    E0213, Error, "a role's inline policy longer than IAM accepts";
    E0214, Error, "an inline policy name longer than IAM accepts";
    E0217, Error, "a principal tag name that AWS or CloudFormation cannot take";
    E0218, Error, "a Serverless variable where the value must be known to idpc";
    E0220, Error, "a role property that IAM would refuse";
    E0221, Error, "`metadata` that is not a JSON object";
    E0222, Error, "`attachment` in a pool that attaches no role";
    E0223, Error, "one `as` name for principal tags of several providers";
    E0224, Error, "a retention policy CloudFormation does not have for that attribute";
    E0225, Error, "two roles with the same `role_name`";
    E0226, Error, "a `depends_on` that makes a dependency cycle";
    E0240, Error, "an output description longer than CloudFormation accepts";
    E0241, Error, "two outputs that export the same name";
    E0242, Error, "a managed policy description longer than IAM accepts";
    E0243, Error, "one `policy ... as LogicalId` written differently by two roles";
    E0244, Error, "a managed policy longer than IAM accepts";
    E0245, Error, "an output description that is not literal text";
    E0250, Error, "an `$(import ...)` export name that refers to a resource";
    E0230, Error, "a conditional role attached by a pool that exists without that condition";
    E0301, Error, "a file named by `use` cannot be found or read";
    E0302, Error, "a file named by `use` is not a stack idpc can read";
    E0303, Error, "a file named by `use` is beyond idpc's reading limits";
    E0304, Error, "`use KIND` disagrees with the stack file";
    E0305, Error, "a logical ID declared by two stack files";
    E0306, Error, "a `use` path idpc cannot resolve";
    E0401, Error, "an action whose service AWS does not have";
    E0402, Error, "an action the service does not have";
    E0403, Error, "an action wildcard that matches nothing";
    E0404, Error, "actions that cannot act on a resource they are paired with";
    E0405, Error, "an access level on a resource of unknown service";
    E0406, Error, "an access level that gives no action on the resources";
    E0407, Error, "a condition key that does not exist for the statement";
    E0408, Error, "a condition operator that does not fit the key's type";
    E0409, Error, "two conditions with one operator on one key in a statement";
    E0501, Error, "`idpc.toml` is not valid TOML";
    E0502, Error, "a table or key `idpc.toml` does not have";
    E0503, Error, "an unknown diagnostic code in `idpc.toml`";
    E0504, Error, "a lint level other than `allow`, `warn` or `deny`";
    E0505, Error, "a lint level that would lower an error";
    E0701, Error, "a template `idpc import` cannot import";
    E0702, Error, "a part of a template that idp cannot express";
    E0703, Error, "a role whose trust policy is not the Cognito one";
    E0704, Error, "a template value `idpc import` cannot read back";
    E0705, Error, "a resource `idpc import` cannot name or tell the kind of";
    E0706, Error, "a logical ID that differs from the one idpc generates";
    E0707, Error, "an imported program that does not compile";
    E0708, Error, "an imported program that would deploy something else";
    E0720, Error, "a `DependsOn` on a resource the imported program cannot declare";
    E0750, Error, "a template parameter where `idpc import` needs a resource or text";
    E0752, Error, "`AllowUnauthenticatedIdentities` given by a function `guests` cannot say";
    E0753, Error, "a policy without `Version` that uses policy variables";
    E0754, Error, "an `Fn::ImportValue` that `$(import ...)` cannot write";
    E0730, Error, "a reference `idpc import` cannot write as `$(...)`";
    E0765, Error, "a role mapping or principal tags of a user pool given as text";
    E0802, Error, "a Cognito trust policy without `aud`: any identity pool's users can assume the role";
    E0805, Error, "a Cognito trust policy whose `aud` is a wildcard";
    E0811, Error, "a role-mapping key with `${...}` and no `IdentityProvider`";
    E0812, Error, "an IAM policy variable the Serverless Framework takes for its own";
    E0901, Error, "an input file cannot be read";
    E0902, Error, "the output file cannot be written";
    E0903, Error, "`-o` names a file the command reads";
    E0904, Error, "a file changed while `idpc fmt` was formatting it";
    E0920, Error, "an `idpc can` question names what the stack does not have";
    E1001, Error, "an `expect` that does not hold";
    E1003, Error, "an `expect` about a role that no pool can hand out";
    E1004, Error, "`expect isolated` of a resource without `$<sub>`";
    W0101, Warning, "a `use` declaration nothing refers to";
    W0201, Warning, "a mapping rule that can never match";
    W0202, Warning, "a top-level role that no pool uses";
    W0301, Warning, "a `${file(...)}` include that does not exist";
    W0701, Warning, "a part of a template `idpc import` leaves to the stack";
    W0702, Warning, "an imported pool without a name gets its logical ID as name";
    W0703, Warning, "a statement's `Sid`, which the program keeps only as a comment";
    W0720, Warning, "a role attachment's `DependsOn` on its own pool, which the program leaves out";
    W0740, Warning, "an output `idpc import` leaves to the rest of the stack";
    W0755, Warning, "an imported statement written as one statement per resource";
    W0803, Warning, "a Cognito trust policy without `amr`";
    W0804, Warning, "a Cognito trust policy whose `amr` does not match how the role is handed out";
    W0806, Warning, "principal tags mapped, but the role does not trust `sts:TagSession`";
    W0807, Warning, "a role a pool hands out that does not trust Cognito identity pools";
    W0808, Warning, "a policy without `Version` that uses policy variables";
    W0809, Warning, "a guest role attached while guests are disabled";
    W0813, Warning, "`Version: 2012-10-17` unquoted, a date to YAML 1.1 readers";
    W0401, Warning, "a condition key none of the statement's actions supports";
    W0402, Warning, "a multi-valued condition key without `any` or `all`";
    W0403, Warning, "`any` or `all` on a single-valued condition key";
    W0501, Warning, "a suppression comment without a reason";
    W0502, Warning, "a suppression comment naming an unknown code";
    W0503, Warning, "a suppression comment naming an error, or an `expect`'s warning";
    W0504, Warning, "a suppression comment that suppresses nothing";
    W0505, Warning, "an `# idpc:` comment idpc cannot read";
    W0601, Warning, "an action wildcard over a whole service";
    W0602, Warning, "`*`, or every resource of a type, as the resource of actions that write or change permissions";
    W0603, Warning, "an action that can escalate privileges, on `*` or on every role or policy";
    W0604, Warning, "a grant to guests that Cognito's scope-down for guests cuts off";
    W0605, Warning, "guests can write to a resource not scoped by `$<sub>`";
    W0606, Warning, "a per-user prefix that reaches other users' folders";
    W0607, Warning, "a statement that an earlier one repeats or covers";
    W0608, Warning, "an AWS managed policy that grants whole services";
    W0609, Warning, "a negated condition that is true for requests without its key";
    W0610, Warning, "`any dynamodb:LeadingKeys` on batch operations";
    W0612, Warning, "users no mapping rule matches fall back to a role that can do more than the rules' roles";
    W1002, Warning, "an `expect` idpc could not prove";
    N0601, Note, "a `deny` that matches nothing the role allows";
    N0216, Note, "more than an adjustable IAM quota's default";
    N0602, Note, "`$<sub>` is the identity id, not the user pool's `sub`";
    N0603, Note, "a grant to guests that AWS does not document the scope-down for";
    N0604, Note, "a principal tag that only the default mappings could set";
    N0605, Note, "role mappings in a pool with the classic flow";
    N0801, Note, "a part of a template `idpc check` does not model";
    N0810, Note, "guests allowed, but no guest role attached";
    N0611, Note, "an identity pool with no identity provider and no guests";
    N0750, Note, "a policy without `Version`, imported as version `2012-10-17`";
    N0255, Note, "a role the program attaches but does not define";
    N0765, Note, "an imported attachment of a role the template does not define";
}

impl Code {
    /// Looks a code up by its printed form, in any letter case.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|code| code.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
