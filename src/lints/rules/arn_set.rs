//! The set of ARNs a resource pattern matches, and the questions the lints
//! ask about it.
//!
//! A pattern is a sequence of pieces, read as IAM reads a `Resource`:
//!
//! - literal characters, compared case-sensitively (resource ARNs are);
//! - `*`, any run of characters, the empty run and `/` included, and `?`,
//!   exactly one character;
//! - `$<sub>`, the caller's identity id: one `region:guid` string, the same
//!   everywhere in the pattern, without `/`, `*` or `?`; different callers
//!   have different ids, and no id is a prefix of another (the guid part
//!   has a fixed length);
//! - anything idpc cannot see through: other policy variables, Serverless
//!   variables (`${self:custom.bucket}`), names CloudFormation substitutes.
//!   Each is some fixed text idpc does not know: it is matched only by a
//!   wildcard or by itself, so it never makes a pattern look narrower than
//!   it is, and the lints never assume a value for it.
//!
//! The questions are answered on that meaning, never on the text: a `*` in
//! front of `$<sub>` lets the caller reach other callers' files however the
//! rest is spelled, and the answer comes with a witness, an ARN (or object
//! key) the pattern matches.

use crate::catalog::ArnFormat;
use crate::check::ir::{Piece as IrPiece, ResourceDef, Value};
use crate::check::policy_vars::{COGNITO_PREFIX, SUB};
use std::collections::VecDeque;

/// A piece of a [`Pattern`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Piece {
    Char(char),
    Star,
    Question,
    /// `$<sub>`.
    Sub,
    /// A fixed text idpc does not know, as written.
    Unknown(String),
}

/// A resource pattern: what a `Resource` entry, or a path under a named
/// resource, matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    pieces: Vec<Piece>,
}

/// How the caller's identity id is shown in witnesses.
pub const CALLER: &str = "us-east-1:me";
/// How another caller's identity id is shown in witnesses.
pub const VICTIM: &str = "us-east-1:victim";

impl Pattern {
    /// Its pieces, for other readers of patterns (the fallback lint).
    pub(super) fn into_pieces(self) -> Vec<Piece> {
        self.pieces
    }

    /// The pattern of a text with policy and Serverless variables.
    pub fn of_value(value: &Value) -> Pattern {
        let mut pieces = Vec::new();
        for piece in &value.pieces {
            match piece {
                IrPiece::Literal(text) => pieces.extend(text.chars().map(|c| match c {
                    '*' => Piece::Star,
                    '?' => Piece::Question,
                    c => Piece::Char(c),
                })),
                IrPiece::PolicyVar(key) if key == SUB => pieces.push(Piece::Sub),
                IrPiece::PolicyVar(key) => {
                    let short = key.strip_prefix(COGNITO_PREFIX).unwrap_or(key);
                    pieces.push(Piece::Unknown(format!("$<{short}>")));
                }
                IrPiece::ServerlessVar(var) => pieces.push(Piece::Unknown(var.clone())),
                // Known only at deploy time: any text, like a Serverless variable.
                IrPiece::Ref { .. } | IrPiece::Import(_) => {
                    pieces.push(Piece::Unknown(piece.written()))
                }
            }
        }
        Pattern { pieces }
    }

    /// Parses a pattern written with `$<sub>` and `${...}` (tests, examples).
    #[cfg(test)]
    fn parse(text: &str) -> Pattern {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if let Some(after) = rest.strip_prefix("$<sub>") {
                pieces.push(Piece::Sub);
                rest = after;
            } else if rest.starts_with("${") || rest.starts_with("$<") {
                let close = if rest.starts_with("${") { '}' } else { '>' };
                let end = rest.find(close).map_or(rest.len(), |at| at + 1);
                pieces.push(Piece::Unknown(rest[..end].to_string()));
                rest = &rest[end..];
            } else {
                pieces.push(match c {
                    '*' => Piece::Star,
                    '?' => Piece::Question,
                    c => Piece::Char(c),
                });
                rest = &rest[c.len_utf8()..];
            }
        }
        Pattern { pieces }
    }

    /// Whether every ARN the pattern matches starts with a fixed text
    /// followed by the caller's identity id: no wildcard comes before its
    /// first `$<sub>`. Another caller's resources of that shape carry
    /// their own id there, so the pattern reaches only the caller's.
    pub fn scoped_by_sub(&self) -> bool {
        for piece in &self.pieces {
            match piece {
                Piece::Sub => return true,
                Piece::Star | Piece::Question => return false,
                Piece::Char(_) | Piece::Unknown(_) => {}
            }
        }
        false
    }

    /// Whether every text `narrow` can match, this pattern matches too
    /// (variables only by a wildcard or the same variable).
    pub fn covers(&self, narrow: &Pattern) -> bool {
        covers(&self.pieces, &narrow.pieces)
    }

    /// Whether this pattern and `other` may match a common text: only ruled
    /// out when their literal starts differ.
    pub fn may_overlap(&self, other: &Pattern) -> bool {
        let literal = |pattern: &Pattern| -> Vec<char> {
            pattern
                .pieces
                .iter()
                .map_while(|piece| match piece {
                    Piece::Char(c) => Some(*c),
                    _ => None,
                })
                .collect()
        };
        let (a, b) = (literal(self), literal(other));
        let shorter = a.len().min(b.len());
        a[..shorter] == b[..shorter]
    }

    /// For a pattern with `$<sub>` behind a wildcard, a text it matches
    /// that starts with another caller's id where the wildcard is: the
    /// first `*` stands for that id (and a `/`), every other wildcard for
    /// the shortest text.
    pub fn others_sample(&self) -> Option<String> {
        if self.scoped_by_sub() || !self.pieces.contains(&Piece::Sub) {
            return None;
        }
        let mut text = String::new();
        let mut first = true;
        for (i, piece) in self.pieces.iter().enumerate() {
            match piece {
                Piece::Char(c) => text.push(*c),
                Piece::Question => text.push('x'),
                Piece::Star if first => {
                    first = false;
                    text.push_str(VICTIM);
                    if self.pieces.get(i + 1) != Some(&Piece::Char('/')) {
                        text.push('/');
                    }
                }
                Piece::Star => {}
                Piece::Sub => text.push_str(CALLER),
                Piece::Unknown(written) => text.push_str(written),
            }
        }
        Some(text)
    }

    /// Whether the pattern says it means a per-user folder named `folder`
    /// (`private`, `protected`): it uses `$<sub>`, or a path segment starts
    /// with at least two characters that spell the start of `folder`
    /// (`priv*`, `pr?vate/`, `private*`). `path` says whether the pattern
    /// is a path under a bucket, which starts a segment.
    fn mentions_folder(&self, folder: &str, path: bool) -> bool {
        if self.pieces.contains(&Piece::Sub) {
            return true;
        }
        let starts = (0..self.pieces.len())
            .filter(|&i| (path && i == 0) || (i > 0 && self.pieces[i - 1] == Piece::Char('/')));
        let folder: Vec<char> = format!("{folder}/").chars().collect();
        starts.into_iter().any(|start| {
            let mut spelled = 0;
            for (piece, wanted) in self.pieces[start..].iter().zip(&folder) {
                match piece {
                    Piece::Char(c) if c == wanted => spelled += 1,
                    Piece::Question => spelled += 1,
                    Piece::Star => break,
                    _ => return false,
                }
            }
            spelled >= 2
        })
    }

    /// An object the pattern matches in another caller's per-user folder
    /// `folder/<identity id>/` of a bucket: the witness, or `None` when no
    /// such object exists or the pattern does not mean the folder (see
    /// [`Self::mentions_folder`]). `path` says whether the pattern is a
    /// path under a named bucket (the witness is then the object key), or a
    /// whole ARN (then the witness is an ARN).
    pub fn reaches_others_folder(&self, folder: &str, path: bool) -> Option<String> {
        if self.scoped_by_sub() || !self.mentions_folder(folder, path) {
            return None;
        }
        let mut target = Vec::new();
        if !path {
            target.extend("arn:".chars().map(Target::Lit));
            target.push(Target::Segment(Role::Partition));
            target.extend(":s3:::".chars().map(Target::Lit));
            target.push(Target::Segment(Role::Bucket));
            target.push(Target::Lit('/'));
        }
        target.extend(folder.chars().map(Target::Lit));
        target.push(Target::Lit('/'));
        target.push(Target::Segment(Role::Victim));
        target.push(Target::Lit('/'));
        target.push(Target::Any);
        let letters = intersect(&self.pieces, &target)?;
        Some(render(&letters))
    }

    /// Whether the pattern matches every ARN of `format` in some account
    /// and Region (that is, every resource of that type there): its
    /// partition, Region and account segments are read from the pattern,
    /// and every other placeholder of the format must be covered by a
    /// wildcard.
    pub fn matches_every(&self, format: ArnFormat) -> bool {
        if self.pieces == [Piece::Star] {
            return true;
        }
        // The header segments, from the pattern's literal start; a `*`
        // that spans them stands for each.
        let head: String = self
            .pieces
            .iter()
            .map_while(|piece| match piece {
                Piece::Char(c) => Some(*c),
                Piece::Star => Some('*'),
                Piece::Question => Some('?'),
                _ => None,
            })
            .collect();
        let segments: Vec<&str> = head.splitn(6, ':').collect();
        let segment = |k: usize| {
            if k + 1 < segments.len() {
                segments[k]
            } else {
                "*"
            }
        };
        let (partition, region, account) = (segment(1), segment(3), segment(4));
        let mut probe = Vec::new();
        let mut rest = format.as_str();
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("${")
                && let Some(end) = after.find('}')
            {
                let text = match &after[..end] {
                    "Partition" => partition,
                    "Region" => region,
                    "Account" => account,
                    _ => "*",
                };
                // An empty Region or account names no resource of a
                // format that has one (`arn:aws:s3:::*` is no access point).
                if text.is_empty() {
                    return false;
                }
                probe.extend(Pattern::parse_glob(text));
                rest = &after[end + 1..];
                continue;
            }
            let c = rest.chars().next().unwrap_or_default();
            probe.push(Piece::Char(c));
            rest = &rest[c.len_utf8()..];
        }
        covers(&self.pieces, &probe)
    }

    fn parse_glob(text: &str) -> Vec<Piece> {
        text.chars()
            .map(|c| match c {
                '*' => Piece::Star,
                '?' => Piece::Question,
                c => Piece::Char(c),
            })
            .collect()
    }
}

/// The pattern of a statement's resource: `*`, an ARN string, or the path
/// under a named resource (`None` for a named resource itself: one fixed
/// ARN).
pub fn of_resource(resource: &ResourceDef) -> Option<Pattern> {
    match resource {
        ResourceDef::Any => Some(Pattern {
            pieces: vec![Piece::Star],
        }),
        ResourceDef::Arn(value) => Some(Pattern::of_value(value)),
        ResourceDef::Of { path, .. } => path.as_ref().map(Pattern::of_value),
    }
}

/// Whether every text `narrow` matches, `wide` matches: `narrow`'s `*` only
/// by `wide`'s `*`, its `?` by `?` or `*`, anything else by itself or a
/// wildcard that can stand for it.
fn covers(wide: &[Piece], narrow: &[Piece]) -> bool {
    // covered[j]: wide so far covers narrow[..j].
    let mut covered = vec![false; narrow.len() + 1];
    covered[0] = true;
    for w in wide {
        let mut next = vec![false; narrow.len() + 1];
        for j in 0..=narrow.len() {
            next[j] = match w {
                Piece::Star => covered[j] || (j > 0 && next[j - 1]),
                Piece::Question => {
                    j > 0
                        && covered[j - 1]
                        && matches!(narrow[j - 1], Piece::Char(_) | Piece::Question)
                }
                piece => j > 0 && covered[j - 1] && narrow[j - 1] == *piece,
            };
        }
        covered = next;
    }
    covered[narrow.len()]
}

/// What a segment of a target ARN may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// `aws`, `aws-cn`: no `:`.
    Partition,
    /// A bucket name: no `/` or `:`.
    Bucket,
    /// Another caller's identity id: no `/`, and not the caller's.
    Victim,
}

/// A piece of the set of ARNs a question asks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Lit(char),
    /// One or more characters of the role.
    Segment(Role),
    /// Any text, the empty one included.
    Any,
}

/// A letter of a witness.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Letter {
    Char(char),
    /// Text a wildcard stands for, in a segment of a role (`None`: free).
    Free(Option<Role>),
    Caller,
    Unknown(String),
}

/// A text both the pattern and the target match, as letters: a search of
/// the product of the two automata.
fn intersect(pattern: &[Piece], target: &[Target]) -> Option<Vec<Letter>> {
    let (n, m) = (pattern.len(), target.len());
    // State: pattern position, target position, whether the target's
    // segment there has taken a character.
    let index = |i: usize, j: usize, inside: bool| (i * (m + 1) + j) * 2 + usize::from(inside);
    let mut parent: Vec<Option<(usize, Option<Letter>)>> = vec![None; (n + 1) * (m + 1) * 2];
    let start = index(0, 0, false);
    parent[start] = Some((start, None));
    let mut queue = VecDeque::from([(0, 0, false)]);
    while let Some((i, j, inside)) = queue.pop_front() {
        let here = index(i, j, inside);
        if i == n && j == m && !inside {
            let mut letters = Vec::new();
            let mut at = here;
            while at != start {
                let Some((from, letter)) = parent[at].clone() else {
                    break;
                };
                letters.extend(letter);
                at = from;
            }
            letters.reverse();
            return Some(letters);
        }
        let mut moves: Vec<((usize, usize, bool), Option<Letter>)> = Vec::new();
        if pattern.get(i) == Some(&Piece::Star) {
            moves.push(((i + 1, j, inside), None));
        }
        match target.get(j) {
            Some(Target::Segment(_)) if inside => moves.push(((i, j + 1, false), None)),
            Some(Target::Any) => moves.push(((i, j + 1, false), None)),
            _ => {}
        }
        if let (Some(piece), Some(&wanted)) = (pattern.get(i), target.get(j)) {
            let next_i = if *piece == Piece::Star { i } else { i + 1 };
            let step = match wanted {
                Target::Lit(c) => match piece {
                    Piece::Char(d) if *d == c => Some(((next_i, j + 1, false), Letter::Char(c))),
                    Piece::Star | Piece::Question => {
                        Some(((next_i, j + 1, false), Letter::Char(c)))
                    }
                    _ => None,
                },
                Target::Segment(role) => {
                    let letter = match piece {
                        Piece::Char(c) if role_allows(role, *c) => Some(Letter::Char(*c)),
                        Piece::Star | Piece::Question => Some(Letter::Free(Some(role))),
                        Piece::Unknown(text) if role != Role::Victim => {
                            Some(Letter::Unknown(text.clone()))
                        }
                        _ => None,
                    };
                    letter.map(|letter| ((next_i, j, true), letter))
                }
                Target::Any => {
                    let letter = match piece {
                        Piece::Char(c) => Letter::Char(*c),
                        Piece::Star | Piece::Question => Letter::Free(None),
                        Piece::Sub => Letter::Caller,
                        Piece::Unknown(text) => Letter::Unknown(text.clone()),
                    };
                    Some(((next_i, j, false), letter))
                }
            };
            if let Some((state, letter)) = step {
                moves.push((state, Some(letter)));
            }
        }
        for ((i2, j2, inside2), letter) in moves {
            let next = index(i2, j2, inside2);
            if parent[next].is_none() {
                parent[next] = Some((here, letter));
                queue.push_back((i2, j2, inside2));
            }
        }
    }
    None
}

fn role_allows(role: Role, c: char) -> bool {
    match role {
        Role::Partition => c != ':',
        Role::Bucket => c != '/' && c != ':',
        Role::Victim => c != '/',
    }
}

/// A witness as text: wildcards' text as something readable.
fn render(letters: &[Letter]) -> String {
    let mut text = String::new();
    let mut previous: Option<&Letter> = None;
    for letter in letters {
        match letter {
            Letter::Char(c) => text.push(*c),
            Letter::Free(role) if previous != Some(letter) => text.push_str(match role {
                Some(Role::Partition) => "aws",
                Some(Role::Bucket) => "bucket",
                Some(Role::Victim) if text.ends_with('/') => VICTIM,
                Some(Role::Victim) => "victim",
                None => "x",
            }),
            Letter::Free(_) => {}
            Letter::Caller => {
                if matches!(previous, Some(Letter::Free(_))) {
                    text.push('-');
                }
                text.push_str(CALLER);
            }
            Letter::Unknown(written) => text.push_str(written),
        }
        previous = Some(letter);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn private(pattern: &str) -> Option<String> {
        Pattern::parse(pattern).reaches_others_folder("private", true)
    }

    fn private_arn(pattern: &str) -> Option<String> {
        Pattern::parse(pattern).reaches_others_folder("private", false)
    }

    #[test]
    fn the_callers_own_folder_reaches_no_one_else() {
        assert_eq!(private("private/$<sub>/*"), None);
        assert_eq!(private("private/$<sub>/photos/*.jpg"), None);
        assert_eq!(private("private/$<sub>*"), None);
        assert_eq!(
            private_arn("arn:aws:s3:::notes-files/private/$<sub>/*"),
            None
        );
        assert!(Pattern::parse("private/$<sub>/*").scoped_by_sub());
        assert!(Pattern::parse("${self:custom.dir}/$<sub>/*").scoped_by_sub());
    }

    #[test]
    fn a_star_before_sub_reaches_a_victims_folder() {
        assert_eq!(
            private("private/*$<sub>*").as_deref(),
            Some("private/us-east-1:victim/us-east-1:me")
        );
        assert!(!Pattern::parse("private/*$<sub>*").scoped_by_sub());
        assert_eq!(
            private("*/$<sub>/*").as_deref(),
            Some("private/us-east-1:victim/us-east-1:me/")
        );
    }

    #[test]
    fn wildcards_in_the_folder_name_reach_it() {
        assert_eq!(
            private("priv*/").as_deref(),
            Some("private/us-east-1:victim/")
        );
        assert_eq!(
            private("pr?vate/*").as_deref(),
            Some("private/us-east-1:victim/")
        );
        assert_eq!(
            private("private*").as_deref(),
            Some("private/us-east-1:victim/")
        );
        assert_eq!(
            private("private/*").as_deref(),
            Some("private/us-east-1:victim/")
        );
        // The id `us-east-1:` is nobody's, but `*` stands for any.
        assert_eq!(
            private("private/us-east-1:*").as_deref(),
            Some("private/us-east-1:/")
        );
    }

    #[test]
    fn a_bucket_from_a_variable_hides_nothing() {
        assert_eq!(
            private_arn("arn:aws:s3:::${self:custom.bucket}/private/*").as_deref(),
            Some("arn:aws:s3:::${self:custom.bucket}/private/us-east-1:victim/")
        );
        assert_eq!(
            private_arn("arn:aws:s3:::*/private/*").as_deref(),
            Some("arn:aws:s3:::bucket/private/us-east-1:victim/")
        );
    }

    #[test]
    fn other_folders_and_unknown_segments_are_not_reported() {
        assert_eq!(private("public/*"), None);
        assert_eq!(private("protected/*"), None);
        // Matches `private/...`, but says nothing about the convention.
        assert_eq!(private("*"), None);
        assert_eq!(private("*.jpg"), None);
        // Case-sensitive: `Private/` is not Amplify's `private/`.
        assert_eq!(private("Private/*"), None);
        // A variable is one fixed folder, not everyone's.
        assert_eq!(private("private/$<aws:username>/*"), None);
        assert_eq!(private("private/${self:custom.user}/*"), None);
        assert_eq!(private_arn("arn:aws:s3:::bucket/public/*"), None);
        assert_eq!(private_arn("arn:aws:dynamodb:*:*:table/private/*"), None);
    }

    #[test]
    fn a_sample_in_another_callers_place() {
        let sample = |text: &str| Pattern::parse(text).others_sample();
        assert_eq!(
            sample("guests/*$<sub>*").as_deref(),
            Some("guests/us-east-1:victim/us-east-1:me")
        );
        assert_eq!(
            sample("*/$<sub>/*").as_deref(),
            Some("us-east-1:victim/us-east-1:me/")
        );
        assert_eq!(sample("guests/$<sub>/*"), None);
        assert_eq!(sample("guests/*"), None);
    }

    #[test]
    fn protected_is_asked_about_separately() {
        assert_eq!(
            Pattern::parse("prot*/*")
                .reaches_others_folder("protected", true)
                .as_deref(),
            Some("protected/us-east-1:victim/")
        );
        assert_eq!(
            Pattern::parse("protected/$<sub>/*").reaches_others_folder("protected", true),
            None
        );
    }

    fn broad(pattern: &str, format: &'static str) -> bool {
        Pattern::parse(pattern).matches_every(ArnFormat::new(format))
    }

    const BUCKET: &str = "arn:${Partition}:s3:::${BucketName}";
    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    const ROLE: &str = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";
    const TABLE: &str = "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}";

    #[test]
    fn patterns_that_match_every_resource_of_a_type() {
        assert!(broad("arn:aws:s3:::*", BUCKET));
        assert!(broad("arn:aws:s3:::*", OBJECT));
        assert!(broad("arn:aws:s3:::*/*", OBJECT));
        assert!(broad("arn:aws:iam::*:role/*", ROLE));
        assert!(broad("arn:aws:iam::123456789012:role/*", ROLE));
        assert!(broad("arn:aws:dynamodb:*:*:table/*", TABLE));
        assert!(broad(
            "arn:aws:dynamodb:us-east-1:123456789012:table/*",
            TABLE
        ));
        assert!(broad("*", TABLE));
    }

    #[test]
    fn patterns_that_name_some_resources_are_not_broad() {
        assert!(!broad("arn:aws:s3:::notes-files/*", OBJECT));
        assert!(!broad("arn:aws:s3:::notes-files", BUCKET));
        assert!(!broad("arn:aws:s3:::notes-*", BUCKET));
        assert!(!broad("arn:aws:iam::*:role/app-*", ROLE));
        assert!(!broad("arn:aws:dynamodb:*:*:table/Notes", TABLE));
        assert!(!broad("arn:aws:s3:::${self:custom.bucket}/*", OBJECT));
        assert!(!broad("arn:aws:iam::*:role/*", TABLE));
        assert!(!broad(
            "arn:aws:s3:::*",
            "arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}"
        ));
    }
}
