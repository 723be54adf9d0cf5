//! Strings as IAM reads them, and IAM's wildcard match on them.
//!
//! A policy string ([`Text`]) is literal characters, policy variables
//! (`${aws:username}`, `${key, 'default'}`, the escapes `${*}`, `${?}`,
//! `${$}`) and values known only at deploy time ([`Piece::Opaque`]: a
//! `Ref`, an `Fn::GetAtt`, a Serverless variable, each named as written).
//! A request's strings ([`Concrete`]) are characters and the same opaque
//! values: `Media/public/x` asks about the bucket `$(Media)`, whatever
//! CloudFormation names it.
//!
//! Matching is three-valued: an opaque value equals itself; whether it
//! equals some literal text, or starts with it, is [`Tri::Unknown`]; a `*`
//! matches any run of characters and opaque values, the empty run
//! included.
//!
//! Policy variables: "Policy variables with no value", IAM User Guide,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value>:
//! a variable whose key the request does not have makes its element match
//! nothing, unless it gives a default value (`${key, 'default'}`), which
//! is used instead; the escapes `${*}`, `${?}` and `${$}` stand for the
//! characters themselves.

use super::Tri;

/// One piece of a policy string.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Piece {
    /// Literal characters; `*` and `?` are wildcards where the element
    /// matches with wildcards (`Resource`, `Action`, `StringLike`).
    Lit(String),
    /// A character that is never a wildcard (`${*}`, `${?}`, `${$}`).
    Exact(char),
    /// A policy variable: its key as written, and its default value.
    Var {
        /// The condition key, e.g. `aws:username`.
        key: String,
        /// `${key, 'default'}`.
        default: Option<String>,
    },
    /// A value known only at deploy time, shown as written (`$(Media)`).
    Opaque(String),
}

/// A policy string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text {
    /// Its pieces, in order.
    pub pieces: Vec<Piece>,
}

/// One character of a request string, or an opaque value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Atom {
    /// A character.
    Char(char),
    /// A value known only at deploy time.
    Opaque(String),
}

/// A request's string: a resource ARN, a context value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Concrete {
    /// Its atoms, in order.
    pub atoms: Vec<Atom>,
}

impl Concrete {
    /// Literal text.
    pub fn literal(text: &str) -> Concrete {
        Concrete {
            atoms: text.chars().map(Atom::Char).collect(),
        }
    }

    /// Appends literal text.
    pub fn push_str(&mut self, text: &str) {
        self.atoms.extend(text.chars().map(Atom::Char));
    }

    /// Appends an opaque value.
    pub fn push_opaque(&mut self, name: &str) {
        self.atoms.push(Atom::Opaque(name.to_string()));
    }

    /// The text, when it holds no opaque value.
    pub fn as_literal(&self) -> Option<String> {
        self.atoms
            .iter()
            .map(|a| match a {
                Atom::Char(c) => Some(*c),
                Atom::Opaque(_) => None,
            })
            .collect()
    }
}

impl std::fmt::Display for Concrete {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for atom in &self.atoms {
            match atom {
                Atom::Char(c) => write!(f, "{c}")?,
                Atom::Opaque(name) => write!(f, "{name}")?,
            }
        }
        Ok(())
    }
}

impl Text {
    /// Literal text (wildcards included, as IAM reads them).
    pub fn literal(text: &str) -> Text {
        Text {
            pieces: vec![Piece::Lit(text.to_string())],
        }
    }

    /// Reads a policy string: `${...}` is a policy variable (or an escape).
    /// A `${` without its `}` is literal text, as IAM leaves it.
    pub fn parse(text: &str) -> Text {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(at) = rest.find("${") {
            let Some(close) = rest[at..].find('}') else {
                break;
            };
            if at > 0 {
                pieces.push(Piece::Lit(rest[..at].to_string()));
            }
            pieces.push(variable(&rest[at + 2..at + close]));
            rest = &rest[at + close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Lit(rest.to_string()));
        }
        Text { pieces }
    }

    /// Appends another text.
    pub fn extend(&mut self, other: Text) {
        self.pieces.extend(other.pieces);
    }

    /// Whether it names a policy variable.
    pub fn has_variables(&self) -> bool {
        self.pieces.iter().any(|p| matches!(p, Piece::Var { .. }))
    }

    /// How the text is written in a policy.
    pub fn written(&self) -> String {
        self.pieces
            .iter()
            .map(|piece| match piece {
                Piece::Lit(text) | Piece::Opaque(text) => text.clone(),
                Piece::Exact(c) => format!("${{{c}}}"),
                Piece::Var {
                    key,
                    default: Some(default),
                } => format!("${{{key}, '{default}'}}"),
                Piece::Var { key, .. } => format!("${{{key}}}"),
            })
            .collect()
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.written())
    }
}

/// The inside of `${...}`.
fn variable(inside: &str) -> Piece {
    match inside {
        "*" => return Piece::Exact('*'),
        "?" => return Piece::Exact('?'),
        "$" => return Piece::Exact('$'),
        _ => {}
    }
    if let Some((key, default)) = inside.split_once(',') {
        let default = default.trim();
        if let Some(quoted) = default
            .strip_prefix('\'')
            .and_then(|d| d.strip_suffix('\''))
        {
            return Piece::Var {
                key: key.trim().to_string(),
                default: Some(quoted.replace("''", "'")),
            };
        }
    }
    Piece::Var {
        key: inside.trim().to_string(),
        default: None,
    }
}

/// A pattern after its variables are substituted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternAtom {
    /// A character to match (case as the element decides).
    Char(char),
    /// `*`: any run.
    Star,
    /// `?`: one character.
    Question,
    /// A deploy-time value.
    Opaque(String),
}

/// What a variable stands for in one request: its text, or that the request
/// has no such key, or that idpc cannot know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VarValue {
    /// The key's single value.
    Value(Concrete),
    /// The request has no such key (or several values: IAM substitutes only
    /// single-valued keys).
    Missing,
    /// idpc does not know the value.
    Unknown,
}

/// The pattern `text` with its variables replaced through `lookup`, reading
/// `*` and `?` as wildcards when `wildcards`. `None`: a variable has no value
/// and no default, so the element matches nothing. `Err(())`: a variable's
/// value is unknown.
#[allow(clippy::result_unit_err)]
pub fn substitute(
    text: &Text,
    wildcards: bool,
    lookup: &dyn Fn(&str) -> VarValue,
) -> Result<Option<Vec<PatternAtom>>, ()> {
    let mut atoms = Vec::new();
    for piece in &text.pieces {
        match piece {
            Piece::Lit(lit) => atoms.extend(lit.chars().map(|c| match c {
                '*' if wildcards => PatternAtom::Star,
                '?' if wildcards => PatternAtom::Question,
                c => PatternAtom::Char(c),
            })),
            Piece::Exact(c) => atoms.push(PatternAtom::Char(*c)),
            Piece::Opaque(name) => atoms.push(PatternAtom::Opaque(name.clone())),
            Piece::Var { key, default } => match (lookup(key), default) {
                (VarValue::Value(value), _) => {
                    atoms.extend(value.atoms.into_iter().map(|a| match a {
                        // A substituted value is matched as its characters:
                        // IAM substitutes once, and a `*` in a value is a
                        // character of it.
                        Atom::Char(c) => PatternAtom::Char(c),
                        Atom::Opaque(name) => PatternAtom::Opaque(name),
                    }))
                }
                (VarValue::Missing, Some(default)) => {
                    atoms.extend(default.chars().map(PatternAtom::Char))
                }
                (VarValue::Missing, None) => return Ok(None),
                (VarValue::Unknown, _) => return Err(()),
            },
        }
    }
    Ok(Some(atoms))
}

/// Whether `value` matches `pattern`, comparing characters with
/// `ignore_case`. Three-valued: an opaque value on one side and anything
/// but the same opaque value on the other leaves the answer open, unless
/// `whole` knows them for two resources' ARNs.
pub fn matches(
    pattern: &[PatternAtom],
    value: &[Atom],
    ignore_case: bool,
    whole: &WholeNames,
) -> Tri {
    let same = |a: char, b: char| {
        if ignore_case {
            a.to_lowercase().eq(b.to_lowercase())
        } else {
            a == b
        }
    };
    // Dynamic programming over (pattern position, value position): the best
    // answer found for each pair. Sizes are those of one ARN, so the table
    // stays small.
    let (p, v) = (pattern.len(), value.len());
    let mut table = vec![Tri::No; (p + 1) * (v + 1)];
    let at = |i: usize, j: usize| i * (v + 1) + j;
    table[at(p, v)] = Tri::Yes;
    for i in (0..p).rev() {
        for j in (0..=v).rev() {
            let here = match &pattern[i] {
                PatternAtom::Star => {
                    // Match nothing, or one more atom.
                    let one_more = if j < v { table[at(i, j + 1)] } else { Tri::No };
                    table[at(i + 1, j)].or(one_more)
                }
                PatternAtom::Question => match value.get(j) {
                    Some(Atom::Char(_)) => table[at(i + 1, j + 1)],
                    // An opaque value may be one character or many.
                    Some(Atom::Opaque(_)) => Tri::Unknown,
                    None => Tri::No,
                },
                PatternAtom::Char(c) => match value.get(j) {
                    Some(Atom::Char(d)) if same(*c, *d) => table[at(i + 1, j + 1)],
                    Some(Atom::Char(_)) | None => Tri::No,
                    // Whether the deploy-time value starts with `c`.
                    Some(Atom::Opaque(_)) => Tri::Unknown,
                },
                PatternAtom::Opaque(name) => match value.get(j) {
                    Some(Atom::Opaque(other)) if other == name => table[at(i + 1, j + 1)],
                    Some(Atom::Opaque(other))
                        if whole.distinct(name, other)
                            && ends_path(pattern.get(i + 1))
                            && ends_path_value(value.get(j + 1)) =>
                    {
                        Tri::No
                    }
                    // What the deploy-time value is, idpc does not know.
                    _ => Tri::Unknown,
                },
            };
            table[at(i, j)] = here;
        }
    }
    table[at(0, 0)]
}

/// The deploy-time values that each name one resource whole: the ARNs
/// (`$(Id.Arn)`) of resources whose names hold no `/` ([`WHOLE_NAMES`]),
/// and identity pools' ids (`$(Pool)`). Two of them differ, and neither is
/// the other followed by `/` (`$(A.Arn)/*` never matches `$(B.Arn)/x`).
///
/// An ARN names one resource ("Amazon Resource Names (ARNs)", IAM User
/// Guide, <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>);
/// an identity pool's id is `REGION:GUID`, pattern `[\w-]+:[0-9a-f-]+`
/// ("IdentityPoolShortDescription", Amazon Cognito Federated Identities API
/// Reference, <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_IdentityPoolShortDescription.html>).
/// Other types' names may hold `/`: an IAM role's ARN carries its path
/// (`role/a` and `role/a/b` are two roles), so no such rule holds for them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WholeNames(std::sync::Arc<std::collections::BTreeSet<String>>);

/// CloudFormation types whose resource names hold no `/`, each with the
/// page that says which characters a name may have.
pub const WHOLE_NAMES: &[(&str, &str)] = &[
    (
        "AWS::S3::Bucket",
        "\"General purpose bucket naming rules\", Amazon S3 User Guide, <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html>: lowercase letters, numbers, periods and hyphens",
    ),
    (
        "AWS::DynamoDB::Table",
        "\"Supported data types and naming rules in Amazon DynamoDB\", <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html>: a-z, A-Z, 0-9, `_`, `-` and `.`",
    ),
    (
        "AWS::Lambda::Function",
        "\"CreateFunction\", AWS Lambda API Reference, <https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html>: `FunctionName` letters, numbers, hyphens and underscores",
    ),
    (
        "AWS::SQS::Queue",
        "\"CreateQueue\", Amazon SQS API Reference, <https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html>: alphanumeric characters, hyphens and underscores (and `.fifo`)",
    ),
];

impl WholeNames {
    /// The values among `resources` (logical ID, CloudFormation type): the
    /// ARNs of [`WHOLE_NAMES`]' types and the ids of identity pools.
    pub fn of(resources: &[(String, String)]) -> WholeNames {
        let names = resources
            .iter()
            .filter_map(|(id, cfn_type)| {
                if WHOLE_NAMES.iter().any(|(t, _)| t == cfn_type) {
                    Some(format!("$({id}.Arn)"))
                } else if cfn_type == "AWS::Cognito::IdentityPool" {
                    Some(format!("$({id})"))
                } else {
                    None
                }
            })
            .collect();
        WholeNames(std::sync::Arc::new(names))
    }

    /// Tests' two resources `Media` and `Other`, both of `cfn_type`.
    #[cfg(test)]
    pub(crate) fn media_and_other(cfn_type: &str) -> WholeNames {
        WholeNames::of(&[
            ("Media".into(), cfn_type.into()),
            ("Other".into(), cfn_type.into()),
        ])
    }

    /// Whether `name` is an identity pool's id (`$(Pool)`) among them.
    pub fn is_pool_id(&self, name: &str) -> bool {
        !name.ends_with(".Arn)") && self.0.contains(name)
    }

    /// Whether two deploy-time values are two different such values.
    pub fn distinct(&self, a: &str, b: &str) -> bool {
        a != b && self.0.contains(a) && self.0.contains(b)
    }
}

/// A pattern atom that ends an ARN's resource name: `/` or the end.
fn ends_path(atom: Option<&PatternAtom>) -> bool {
    matches!(atom, None | Some(PatternAtom::Char('/')))
}

/// A value atom that ends an ARN's resource name: `/` or the end.
fn ends_path_value(atom: Option<&Atom>) -> bool {
    matches!(atom, None | Some(Atom::Char('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(pattern: &str, value: &str) -> Tri {
        let atoms = substitute(&Text::parse(pattern), true, &|_| VarValue::Unknown)
            .ok()
            .flatten()
            .unwrap_or_default();
        matches(
            &atoms,
            &Concrete::literal(value).atoms,
            false,
            &WholeNames::default(),
        )
    }

    #[test]
    fn iam_wildcards() {
        assert_eq!(lit("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y"), Tri::Yes);
        assert_eq!(lit("arn:aws:s3:::b/*", "arn:aws:s3:::b/"), Tri::Yes);
        assert_eq!(lit("arn:aws:s3:::b/?", "arn:aws:s3:::b/"), Tri::No);
        assert_eq!(lit("arn:aws:s3:::b/?", "arn:aws:s3:::b/xy"), Tri::No);
        assert_eq!(lit("arn:aws:s3:::B/*", "arn:aws:s3:::b/x"), Tri::No);
        assert_eq!(lit("*", ""), Tri::Yes);
    }

    #[test]
    fn escapes_are_characters() {
        assert_eq!(lit("a${*}", "ab"), Tri::No);
        assert_eq!(lit("a${*}", "a*"), Tri::Yes);
    }

    #[test]
    fn opaque_values_match_themselves_and_wildcards_only() {
        let mut value = Concrete::literal("arn:aws:s3:::");
        value.push_opaque("$(Media)");
        value.push_str("/x");
        let pattern = |t: &str| {
            let mut text = Text::literal("arn:aws:s3:::");
            text.pieces.push(Piece::Opaque("$(Media)".into()));
            text.pieces.push(Piece::Lit(t.into()));
            substitute(&text, true, &|_| VarValue::Missing)
                .ok()
                .flatten()
                .unwrap_or_default()
        };
        assert_eq!(
            matches(&pattern("/*"), &value.atoms, false, &WholeNames::default()),
            Tri::Yes
        );
        assert_eq!(
            matches(&pattern("/y"), &value.atoms, false, &WholeNames::default()),
            Tri::No
        );
        let star = substitute(&Text::literal("arn:aws:s3:::*"), true, &|_| {
            VarValue::Missing
        })
        .ok()
        .flatten()
        .unwrap_or_default();
        assert_eq!(
            matches(&star, &value.atoms, false, &WholeNames::default()),
            Tri::Yes
        );
        let named = substitute(&Text::literal("arn:aws:s3:::media/x"), true, &|_| {
            VarValue::Missing
        })
        .ok()
        .flatten()
        .unwrap_or_default();
        assert_eq!(
            matches(&named, &value.atoms, false, &WholeNames::default()),
            Tri::Unknown
        );
        // Another resource's ARN, then `/`: never this one's.
        let mut other = Text::default();
        other.pieces.push(Piece::Opaque("$(Other.Arn)".into()));
        other.pieces.push(Piece::Lit("/*".into()));
        let other = substitute(&other, true, &|_| VarValue::Missing)
            .ok()
            .flatten()
            .unwrap_or_default();
        let mut arn = Concrete::default();
        arn.push_opaque("$(Media.Arn)");
        arn.push_str("/x");
        let buckets = WholeNames::media_and_other("AWS::S3::Bucket");
        assert_eq!(matches(&other, &arn.atoms, false, &buckets), Tri::No);
        // Not for resources whose names may hold `/` (an IAM role's path),
        // nor for those whose type idpc does not know.
        let roles = WholeNames::media_and_other("AWS::IAM::Role");
        assert_eq!(matches(&other, &arn.atoms, false, &roles), Tri::Unknown);
        assert_eq!(
            matches(&other, &arn.atoms, false, &WholeNames::default()),
            Tri::Unknown
        );
        // ... but `$(Other.Arn)*` may be a prefix of it.
        let mut prefix = Text::default();
        prefix.pieces.push(Piece::Opaque("$(Other.Arn)".into()));
        prefix.pieces.push(Piece::Lit("*".into()));
        let prefix = substitute(&prefix, true, &|_| VarValue::Missing)
            .ok()
            .flatten()
            .unwrap_or_default();
        assert_eq!(matches(&prefix, &arn.atoms, false, &buckets), Tri::Unknown);
    }

    #[test]
    fn variables_without_value_match_nothing_unless_defaulted() {
        let text = Text::parse("a/${aws:username}/*");
        assert_eq!(substitute(&text, true, &|_| VarValue::Missing), Ok(None));
        let text = Text::parse("a/${aws:username, 'anon'}/*");
        let atoms = substitute(&text, true, &|_| VarValue::Missing)
            .ok()
            .flatten()
            .unwrap_or_default();
        assert_eq!(
            matches(
                &atoms,
                &Concrete::literal("a/anon/x").atoms,
                false,
                &WholeNames::default()
            ),
            Tri::Yes
        );
    }
}
