//! Whether two resource patterns may match a common ARN, decided on the
//! patterns' meaning (IAM's `*` and `?`, the caller's identity id, values
//! known only at deploy time), never on their text.
//!
//! The answer over-approximates: "no" is exact (no ARN both match, for any
//! identity ids and any deploy-time values), "maybe" is checked by
//! building a request and replaying it through `idpc can`. The one place
//! two identity ids must differ is decided first ([`aligned`]).

use crate::access::text::{Piece, Text, WholeNames};
use std::collections::{HashMap, HashSet};

/// The key of the caller's identity id.
pub(crate) const SUB: &str = "cognito-identity.amazonaws.com:sub";

/// One letter of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Letter {
    /// A character.
    Char(char),
    /// `?`: one character.
    One,
    /// `*` (`slash`: any run) or an identity id (no `/`, any run of other
    /// characters: an over-approximation of `region:guid`).
    Run {
        /// Whether the run may hold `/`.
        slash: bool,
    },
    /// An identity id, kept apart from a run for [`aligned`].
    Id,
    /// A value known only at deploy time.
    Opaque(String),
}

/// The letters of a pattern; `$<sub>` is [`Letter::Id`], any other policy
/// variable any run.
pub(crate) fn letters(text: &Text) -> Vec<Letter> {
    let mut out = Vec::new();
    for piece in &text.pieces {
        match piece {
            Piece::Lit(lit) => out.extend(lit.chars().map(|c| match c {
                '*' => Letter::Run { slash: true },
                '?' => Letter::One,
                c => Letter::Char(c),
            })),
            Piece::Exact(c) => out.push(Letter::Char(*c)),
            Piece::Var { key, .. } if key.eq_ignore_ascii_case(SUB) => out.push(Letter::Id),
            Piece::Var { .. } => out.push(Letter::Run { slash: true }),
            Piece::Opaque(name) => out.push(Letter::Opaque(name.clone())),
        }
    }
    out
}

/// Whether `own` (the caller's pattern, `$<sub>` = the caller's id) and
/// `theirs` (another caller's, `$<sub>` = theirs) start with the same
/// fixed letters up to their first id: then no ARN matches both, since
/// two different identity ids are never one the start of the other
/// (`region:guid`, the guid of fixed length). `Some(true)`: disjoint;
/// `Some(false)`: their fixed starts differ (disjoint too); `None`: the
/// rule does not apply.
pub(crate) fn aligned(own: &[Letter], theirs: &[Letter]) -> Option<bool> {
    let fixed = |p: &[Letter]| -> Option<usize> {
        for (k, letter) in p.iter().enumerate() {
            match letter {
                Letter::Char(_) | Letter::Opaque(_) => {}
                Letter::Id => return Some(k),
                Letter::One | Letter::Run { .. } => return None,
            }
        }
        None
    };
    let (i, j) = (fixed(own)?, fixed(theirs)?);
    if own[..i] == theirs[..j] {
        return Some(true);
    }
    // Fixed starts that differ where both have characters.
    let differ = own[..i]
        .iter()
        .zip(&theirs[..j])
        .any(|(a, b)| matches!((a, b), (Letter::Char(x), Letter::Char(y)) if x != y));
    differ.then_some(false)
}

/// Whether some ARN may match both patterns (ids any, deploy-time values
/// any; the ARNs `whole` knows of two different resources differ). `false`
/// is exact.
pub(crate) fn may_meet(p: &[Letter], q: &[Letter], whole: &WholeNames) -> bool {
    // The same search as [`search`], without the word: a table of the
    // states seen, no map.
    let width = q.len() + 1;
    let mut seen = vec![false; (p.len() + 1) * width];
    let mut todo = vec![(0usize, 0usize)];
    seen[0] = true;
    while let Some((i, j)) = todo.pop() {
        if i == p.len() && j == q.len() {
            return true;
        }
        for ((a, b), _) in steps(p, q, i, j, whole) {
            if !seen[a * width + b] {
                seen[a * width + b] = true;
                todo.push((a, b));
            }
        }
    }
    false
}

/// One atom of a word built from a path through both patterns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum WordAtom {
    /// A character.
    Char(char),
    /// A deploy-time value.
    Opaque(String),
    /// The identity id `p`'s `$<sub>` stands for.
    Id,
    /// The identity id `q`'s `$<sub>` stands for.
    OtherId,
}

/// A word `p` matches that `q` may match too: the path [`may_meet`] found,
/// read from `p`'s side (its `$<sub>` is [`WordAtom::Id`], its runs what
/// they met of `q`). The caller checks the word against `q` exactly.
pub(crate) fn meeting_word(
    p: &[Letter],
    q: &[Letter],
    whole: &WholeNames,
) -> Option<Vec<WordAtom>> {
    search(p, q, whole)
}

/// A move of the search, and what it adds to `p`'s word.
type Step = ((usize, usize), Option<WordAtom>);

fn search(p: &[Letter], q: &[Letter], whole: &WholeNames) -> Option<Vec<WordAtom>> {
    let mut parent: HashMap<(usize, usize), Step> = HashMap::new();
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    let mut todo = std::collections::VecDeque::from([(0usize, 0usize)]);
    seen.insert((0, 0));
    while let Some((i, j)) = todo.pop_front() {
        if i == p.len() && j == q.len() {
            let mut word = Vec::new();
            let mut at = (i, j);
            while let Some((from, atom)) = parent.get(&at) {
                word.extend(atom.clone());
                at = *from;
            }
            word.reverse();
            return Some(word);
        }
        for (next, atom) in steps(p, q, i, j, whole) {
            if seen.insert(next) {
                parent.insert(next, ((i, j), atom));
                todo.push_back(next);
            }
        }
    }
    None
}

/// How a letter acts when facing another: a run (absorbs), or a unit.
fn runs(letter: &Letter, other: Option<&Letter>) -> Option<bool> {
    match (letter, other) {
        (Letter::Run { slash }, _) => Some(*slash),
        (Letter::Id, _) => Some(false),
        // A deploy-time value facing anything but itself may be any text.
        (Letter::Opaque(name), Some(Letter::Opaque(o))) if o == name => None,
        (Letter::Opaque(_), _) => Some(true),
        _ => None,
    }
}

/// A letter of `q` as text of `p`'s word.
fn rendered(letter: &Letter) -> Option<WordAtom> {
    match letter {
        Letter::Char(c) => Some(WordAtom::Char(*c)),
        Letter::One => Some(WordAtom::Char('x')),
        Letter::Opaque(name) => Some(WordAtom::Opaque(name.clone())),
        Letter::Id => Some(WordAtom::OtherId),
        Letter::Run { .. } => None,
    }
}

/// A letter of `p` as text of its word.
fn own(letter: &Letter) -> Option<WordAtom> {
    match letter {
        Letter::Id => Some(WordAtom::Id),
        other => rendered(other),
    }
}

/// What `p`'s word holds when `p` leaves a run-like letter: an id or a
/// deploy-time value is itself, a `*` what it met.
fn left(letter: &Letter) -> Option<WordAtom> {
    match letter {
        Letter::Id => Some(WordAtom::Id),
        Letter::Opaque(name) => Some(WordAtom::Opaque(name.clone())),
        _ => None,
    }
}

/// The states reachable from `(i, j)` in one step, with what each adds to
/// `p`'s word.
fn steps(p: &[Letter], q: &[Letter], i: usize, j: usize, whole: &WholeNames) -> Vec<Step> {
    let mut next = Vec::new();
    let (a, b) = (p.get(i), q.get(j));
    if let (Some(Letter::Opaque(x)), Some(Letter::Opaque(y))) = (a, b)
        && whole.distinct(x, y)
        && ends(p.get(i + 1))
        && ends(q.get(j + 1))
    {
        return next;
    }
    if let Some(a) = a
        && let Some(slash) = runs(a, b)
    {
        next.push(((i + 1, j), left(a)));
        if let Some(b) = b
            && (slash || *b != Letter::Char('/'))
        {
            // `p`'s run takes `q`'s letter: a `*` shows it, an id or a
            // deploy-time value shows itself when left.
            let shown = matches!(a, Letter::Run { .. })
                .then(|| rendered(b))
                .flatten();
            next.push(((i, j + 1), shown));
        }
    }
    if let Some(b) = b
        && let Some(slash) = runs(b, a)
    {
        next.push(((i, j + 1), None));
        if let Some(a) = a
            && (slash || *a != Letter::Char('/'))
        {
            next.push(((i + 1, j), own(a)));
        }
    }
    if let (Some(a), Some(b)) = (a, b) {
        let atom = match (a, b) {
            (Letter::Char(x), Letter::Char(y)) if x == y => Some(WordAtom::Char(*x)),
            (Letter::One, Letter::Char(c)) => Some(WordAtom::Char(*c)),
            (Letter::Char(c), Letter::One) => Some(WordAtom::Char(*c)),
            (Letter::One, Letter::One) => Some(WordAtom::Char('x')),
            (Letter::Opaque(x), Letter::Opaque(y)) if x == y => Some(WordAtom::Opaque(x.clone())),
            _ => None,
        };
        if let Some(atom) = atom {
            next.push(((i + 1, j + 1), Some(atom)));
        }
    }
    next
}

fn ends(letter: Option<&Letter>) -> bool {
    matches!(letter, None | Some(Letter::Char('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> WholeNames {
        WholeNames::default()
    }

    fn pattern(text: &str) -> Vec<Letter> {
        letters(&Text::parse(
            &text.replace("$<sub>", "${cognito-identity.amazonaws.com:sub}"),
        ))
    }

    #[test]
    fn the_same_prefix_before_the_id_is_disjoint() {
        let own = pattern("arn:aws:s3:::m/private/$<sub>/*");
        assert_eq!(aligned(&own, &own), Some(true));
        let other = pattern("arn:aws:s3:::m/public/$<sub>/*");
        assert_eq!(aligned(&other, &own), Some(false));
        // A wildcard before the id: the rule does not apply.
        assert_eq!(aligned(&pattern("arn:aws:s3:::m/*/$<sub>/*"), &own), None);
    }

    #[test]
    fn patterns_meet_on_meaning() {
        let theirs = pattern("arn:aws:s3:::m/private/$<sub>/*");
        assert!(may_meet(&pattern("arn:aws:s3:::m/*"), &theirs, &none()));
        assert!(may_meet(&pattern("arn:aws:s3:::m/priv*"), &theirs, &none()));
        assert!(may_meet(
            &pattern("arn:aws:s3:::m/pr?vate/*"),
            &theirs,
            &none()
        ));
        assert!(may_meet(
            &pattern("arn:aws:s3:::m/*/$<sub>/*"),
            &theirs,
            &none()
        ));
        assert!(!may_meet(
            &pattern("arn:aws:s3:::m/public/*"),
            &theirs,
            &none()
        ));
        assert!(!may_meet(
            &pattern("arn:aws:s3:::other/*"),
            &theirs,
            &none()
        ));
        // An id holds no `/`: `private/$<sub>` is no object in a folder.
        assert!(!may_meet(
            &pattern("arn:aws:s3:::m/private/$<sub>"),
            &theirs,
            &none()
        ));
    }

    #[test]
    fn deploy_time_values() {
        let mut theirs = Text::default();
        theirs.pieces.push(Piece::Opaque("$(Media.Arn)".into()));
        theirs.pieces.push(Piece::Lit("/private/".into()));
        theirs.pieces.push(Piece::Var {
            key: SUB.into(),
            default: None,
        });
        theirs.pieces.push(Piece::Lit("/*".into()));
        let theirs = letters(&theirs);
        let mut other = Text::default();
        other.pieces.push(Piece::Opaque("$(Other.Arn)".into()));
        other.pieces.push(Piece::Lit("/*".into()));
        let buckets = WholeNames::media_and_other("AWS::S3::Bucket");
        assert!(!may_meet(&letters(&other), &theirs, &buckets));
        // Two roles' ARNs may be `role/a` and `role/a/b`; an unknown type's
        // too: they may meet.
        let roles = WholeNames::media_and_other("AWS::IAM::Role");
        assert!(may_meet(&letters(&other), &theirs, &roles));
        assert!(may_meet(&letters(&other), &theirs, &none()));
        // A literal bucket name may be the bucket's.
        assert!(may_meet(&pattern("arn:aws:s3:::media/*"), &theirs, &none()));
        assert!(may_meet(&pattern("*"), &theirs, &none()));
    }
}
