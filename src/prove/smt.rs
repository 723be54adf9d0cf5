//! What the glob decision leaves open (conditions, denies, policy variables
//! other than `$<sub>`), asked of an SMT solver: cvc5, over strings and
//! regular expressions (SMT-LIB 2.6, `QF_SLIA`), as a subprocess with a
//! time limit.
//!
//! The question is "is there an ARN `x` and two identity ids `a` (the
//! caller) and `b` (the other) such that `x` is the other's resource, one
//! of the allow statements allows it to `a` and no deny statement applies?"
//! "No" (unsat) proves the property for the statement, so every step of
//! the encoding over-approximates what AWS allows: what the encoding cannot
//! say exactly is `true` in an allow and makes a deny not apply. Ids are
//! any non-empty strings without `/`, neither the start of the other
//! (`region:guid` with a fixed-length guid); deploy-time values are string
//! constants, any value, but two different resources' ARNs differ and
//! neither is the other's start followed by `/`.
//!
//! The encoding keeps to what cvc5 decides fast (measured: a few hundredths
//! of a second): `str.prefixof`, `str.suffixof`, `str.contains` and
//! `str.in_re` of variable-free stretches; a concatenation equation only
//! where a pattern has a variable between two wildcards.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::glob::{Letter, SUB};
use crate::access::policy::Condition;
use crate::access::text::{Atom, Concrete, Piece, Text, WholeNames};

/// A statement as the solver sees it: its resource patterns (`None`: a
/// `NotResource`, any resource) and conditions.
#[derive(Clone, Debug)]
pub(crate) struct SolverStatement {
    /// The resource patterns (`$<sub>` = the caller's id).
    pub(crate) resources: Vec<Vec<Letter>>,
    /// `NotResource` patterns, when the statement has them instead.
    pub(crate) not_resources: Option<Vec<Vec<Letter>>>,
    /// The conditions, all of which must hold.
    pub(crate) conditions: Vec<Condition>,
}

/// "Is there an ARN that `theirs` matches with `$<sub>` = b, that some
/// allow statement matches with `$<sub>` = a, that no deny statement
/// matches, for two different identity ids a and b?" (isolation), or with
/// a = b (`cannot`: `same_id`).
#[derive(Clone, Debug)]
pub(crate) struct Query {
    /// The property's pattern.
    pub(crate) theirs: Vec<Letter>,
    /// Whether the property's `$<sub>` is the caller's own id.
    pub(crate) same_id: bool,
    /// The allow statements (any one suffices).
    pub(crate) allows: Vec<SolverStatement>,
    /// The deny statements (none may apply). Their resource patterns must
    /// hold no policy variable but `$<sub>` (a deny's wildcard is exact).
    pub(crate) denies: Vec<SolverStatement>,
    /// Values a deployment may give deploy-time values, tried first for a
    /// readable counterexample once one is known to exist.
    pub(crate) spellings: Vec<(String, String)>,
    /// The resources whose ARNs name them whole: two of them differ, and
    /// neither is the other followed by `/`.
    pub(crate) whole: WholeNames,
}

/// What the solver found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Answer {
    /// No such request: the property holds for this role.
    Unsat,
    /// One: the ARN, the two ids, and the context keys' values.
    Sat {
        /// The ARN, deploy-time values as their `$(...)` names where the
        /// property's pattern has them.
        arn: Concrete,
        /// The caller's id.
        own: String,
        /// The other's id.
        theirs: String,
        /// Context keys (as written) and their values, for the keys the
        /// request has.
        context: Vec<(String, String)>,
        /// The deployment the solver chose: each deploy-time value's text.
        deployment: Vec<(String, String)>,
    },
    /// The solver could not say (time limit, missing solver, unsupported).
    Unknown(String),
}

impl Query {
    /// The deploy-time values the query names, in order.
    pub(crate) fn opaque_names(&self) -> Vec<String> {
        let mut encoder = Encoder::default();
        // Encoding registers every name; the script itself is dropped.
        let _ = encoder.script(self, None);
        encoder.opaques
    }
}

/// Asks the solver: first with every value free, then, when a request
/// exists, again with the readable ids and spellings for a readable one.
pub(crate) fn decide(query: &Query) -> Answer {
    let mut encoder = Encoder::default();
    let script = match encoder.script(query, None) {
        Ok(script) => script,
        Err(why) => return Answer::Unknown(why),
    };
    // Roles written alike ask alike: one solver run per distinct script
    // (and its spellings) in a process.
    static ASKED: std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<String, Answer>>> =
        std::sync::OnceLock::new();
    let asked = ASKED.get_or_init(Default::default);
    let key = format!("{script}\n{:?}", query.spellings);
    if let Some(answer) = asked.lock().ok().and_then(|a| a.get(&key).cloned()) {
        return answer;
    }
    let answer = decide_script(query, &mut encoder, &script);
    if let Ok(mut asked) = asked.lock() {
        asked.insert(key, answer.clone());
    }
    answer
}

fn decide_script(query: &Query, encoder: &mut Encoder, script: &str) -> Answer {
    let general = match run(script, &encoder.shown()) {
        Ok(Reply::Sat(values)) => values,
        Ok(Reply::Unsat) => return Answer::Unsat,
        Err(why) => return Answer::Unknown(why),
    };
    let mut nice = Encoder::default();
    let values = match nice.script(query, Some(&query.spellings)) {
        Ok(script) => match run(&script, &nice.shown()) {
            Ok(Reply::Sat(values)) => values,
            _ => general,
        },
        Err(_) => general,
    };
    encoder.answer(query, &values)
}

/// One letter of a pattern, its variables as SMT terms.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Pat {
    Char(char),
    One,
    Run { slash: bool },
    Term(String),
}

/// A condition key the query names.
#[derive(Clone, Debug)]
struct Key {
    /// Lower-cased (keys compare ignoring case).
    lower: String,
    /// As first written.
    written: String,
}

/// Builds the script: declarations, then assertions.
#[derive(Default)]
struct Encoder {
    opaques: Vec<String>,
    keys: Vec<Key>,
    /// Keys that may carry several values and appear in more than one
    /// condition: their conditions are not encoded.
    shared_multivalued: Vec<String>,
    fresh: usize,
}

/// What the encoding cannot say.
type Unsupported = String;

impl Encoder {
    fn script(
        &mut self,
        query: &Query,
        fixed: Option<&[(String, String)]>,
    ) -> Result<String, Unsupported> {
        self.shared_multivalued = shared_multivalued(query);
        let other = if query.same_id { "a" } else { "b" };
        let mut asserts = vec![ids(query.same_id)];
        let theirs = self.pats(&query.theirs, other);
        asserts.push(self.matches("x", &theirs, true)?);
        let mut allows = Vec::new();
        for statement in &query.allows {
            allows.push(self.statement(statement, true)?);
        }
        asserts.push(format!("(or false {})", allows.join(" ")));
        for statement in &query.denies {
            asserts.push(format!("(not {})", self.statement(statement, false)?));
        }
        asserts.extend(self.distinct_arns(&query.whole));
        if let Some(fixed) = fixed {
            asserts.push(format!("(= a {})", literal(super::CALLER_ID)?));
            if !query.same_id {
                asserts.push(format!("(= b {})", literal(super::OTHER_ID)?));
            }
            for (i, name) in self.opaques.iter().enumerate() {
                if let Some((_, value)) = fixed.iter().find(|(n, _)| n == name) {
                    asserts.push(format!("(= o{i} {})", literal(value)?));
                }
            }
        }
        let mut out = String::from("(set-logic QF_SLIA)\n(set-option :produce-models true)\n");
        let mut declare = |name: String, sort: &str| {
            out.push_str(&format!("(declare-const {name} {sort})\n"));
        };
        for name in ["x", "a", "b"] {
            declare(name.to_string(), "String");
        }
        for i in 0..self.opaques.len() {
            declare(format!("o{i}"), "String");
        }
        for i in 0..self.keys.len() {
            declare(format!("k{i}"), "String");
            declare(format!("h{i}"), "Bool");
        }
        for i in 0..self.fresh {
            declare(format!("m{i}"), "String");
        }
        for assert in asserts {
            out.push_str(&format!("(assert {assert})\n"));
        }
        out.push_str(&format!(
            "(check-sat)\n(get-value ({}))\n",
            self.shown().join(" ")
        ));
        Ok(out)
    }

    /// The terms whose values a model shows.
    fn shown(&self) -> Vec<String> {
        let mut out: Vec<String> = ["x", "a", "b"].iter().map(|s| s.to_string()).collect();
        out.extend((0..self.opaques.len()).map(|i| format!("o{i}")));
        for i in 0..self.keys.len() {
            out.push(format!("k{i}"));
            out.push(format!("h{i}"));
        }
        out
    }

    /// Pairs of different resources' ARNs that `whole` knows differ, and
    /// neither is the other's start followed by `/`.
    fn distinct_arns(&self, whole: &WholeNames) -> Vec<String> {
        let mut out = Vec::new();
        for (i, x) in self.opaques.iter().enumerate() {
            for (j, y) in self.opaques.iter().enumerate().skip(i + 1) {
                if whole.distinct(x, y) {
                    out.push(format!("(not (= o{i} o{j}))"));
                    out.push(format!("(not (str.prefixof (str.++ o{i} \"/\") o{j}))"));
                    out.push(format!("(not (str.prefixof (str.++ o{j} \"/\") o{i}))"));
                }
            }
        }
        out
    }

    fn opaque(&mut self, name: &str) -> String {
        let i = match self.opaques.iter().position(|n| n == name) {
            Some(i) => i,
            None => {
                self.opaques.push(name.to_string());
                self.opaques.len() - 1
            }
        };
        format!("o{i}")
    }

    /// The index of a condition key.
    fn key(&mut self, key: &str) -> usize {
        let lower = key.to_ascii_lowercase();
        match self.keys.iter().position(|k| k.lower == lower) {
            Some(i) => i,
            None => {
                self.keys.push(Key {
                    lower,
                    written: key.to_string(),
                });
                self.keys.len() - 1
            }
        }
    }

    fn pats(&mut self, letters: &[Letter], id: &str) -> Vec<Pat> {
        letters
            .iter()
            .map(|letter| match letter {
                Letter::Char(c) => Pat::Char(*c),
                Letter::One => Pat::One,
                Letter::Run { slash } => Pat::Run { slash: *slash },
                Letter::Id => Pat::Term(id.to_string()),
                Letter::Opaque(name) => Pat::Term(self.opaque(name)),
            })
            .collect()
    }

    /// Whether a statement applies to `x` (`over`: an over-approximation,
    /// for an allow; else an under-approximation, for a deny).
    fn statement(
        &mut self,
        statement: &SolverStatement,
        over: bool,
    ) -> Result<String, Unsupported> {
        let mut parts = Vec::new();
        match &statement.not_resources {
            Some(patterns) => {
                let mut any = Vec::new();
                for pattern in patterns {
                    let pats = self.pats(pattern, "a");
                    any.push(self.matches("x", &pats, !over)?);
                }
                parts.push(format!("(not (or false {}))", any.join(" ")));
            }
            None => {
                let mut any = Vec::new();
                for pattern in &statement.resources {
                    let pats = self.pats(pattern, "a");
                    any.push(self.matches("x", &pats, over)?);
                }
                parts.push(format!("(or false {})", any.join(" ")));
            }
        }
        for condition in &statement.conditions {
            parts.push(self.condition(condition, over)?);
        }
        Ok(format!("(and true {})", parts.join(" ")))
    }

    /// Whether `subject` matches `pats`. `over`: the term may hold for more
    /// (it sits where it can only make a request more allowed), and may
    /// use fresh variables (its place is positive: they are existential);
    /// else it may hold for less and uses none.
    fn matches(&mut self, subject: &str, pats: &[Pat], over: bool) -> Result<String, Unsupported> {
        let wild = |p: &Pat| matches!(p, Pat::One | Pat::Run { .. });
        if !pats.iter().any(wild) {
            return Ok(format!("(= {subject} {})", concat(pats)?));
        }
        if !pats.iter().any(|p| matches!(p, Pat::Term(_))) {
            return Ok(format!("(str.in_re {subject} {})", regex(pats)?));
        }
        let head_len = pats.iter().position(wild).unwrap_or(pats.len());
        let tail_at = pats.iter().rposition(wild).map_or(pats.len(), |i| i + 1);
        let (head, middle, tail) = (
            &pats[..head_len],
            &pats[head_len..tail_at],
            &pats[tail_at..],
        );
        let mut parts = Vec::new();
        if !head.is_empty() {
            parts.push(format!("(str.prefixof {} {subject})", concat(head)?));
        }
        if !tail.is_empty() {
            parts.push(format!("(str.suffixof {} {subject})", concat(tail)?));
        }
        let len = |p: &[Pat]| -> Result<String, Unsupported> {
            Ok(match p.is_empty() {
                true => "0".into(),
                false => format!("(str.len {})", concat(p)?),
            })
        };
        let (head_len, tail_len) = (len(head)?, len(tail)?);
        parts.push(format!(
            "(>= (str.len {subject}) (+ {head_len} {tail_len}))"
        ));
        if middle != [Pat::Run { slash: true }] {
            let inner = if over {
                let m = self.fresh_var();
                parts.push(format!(
                    "(= {subject} (str.++ {} {m} {}))",
                    concat_or_empty(head)?,
                    concat_or_empty(tail)?
                ));
                m
            } else {
                format!(
                    "(str.substr {subject} {head_len} (- (str.len {subject}) {head_len} {tail_len}))"
                )
            };
            parts.push(self.middle(&inner, middle, over)?);
        }
        Ok(format!("(and true {})", parts.join(" ")))
    }

    /// The middle of a pattern (from its first wildcard to its last) on
    /// `inner`.
    fn middle(&mut self, inner: &str, middle: &[Pat], over: bool) -> Result<String, Unsupported> {
        if !middle.iter().any(|p| matches!(p, Pat::Term(_))) {
            return Ok(format!("(str.in_re {inner} {})", regex(middle)?));
        }
        let any = Pat::Run { slash: true };
        // `*` fixed `*`: the fixed text occurs somewhere.
        if middle.len() > 2
            && middle[0] == any
            && middle[middle.len() - 1] == any
            && !middle[1..middle.len() - 1]
                .iter()
                .any(|p| matches!(p, Pat::One | Pat::Run { .. }))
        {
            let fixed = concat(&middle[1..middle.len() - 1])?;
            return Ok(format!("(str.contains {inner} {fixed})"));
        }
        if !over {
            // Would need a universally read split: the deny is taken as
            // not applying here.
            return Ok("false".into());
        }
        // Split at the variables: each stretch between them a fresh
        // variable in the stretch's language.
        let mut parts = Vec::new();
        let mut pieces = Vec::new();
        let mut stretch: Vec<Pat> = Vec::new();
        for pat in middle.iter().chain([&Pat::Term(String::new())]) {
            match pat {
                Pat::Term(term) => {
                    if !stretch.is_empty() {
                        let m = self.fresh_var();
                        parts.push(format!("(str.in_re {m} {})", regex(&stretch)?));
                        pieces.push(m);
                        stretch.clear();
                    }
                    if !term.is_empty() {
                        pieces.push(term.clone());
                    }
                }
                other => stretch.push(other.clone()),
            }
        }
        parts.push(format!("(= {inner} (str.++ \"\" {}))", pieces.join(" ")));
        Ok(format!("(and true {})", parts.join(" ")))
    }

    fn fresh_var(&mut self) -> String {
        self.fresh += 1;
        format!("m{}", self.fresh - 1)
    }

    /// A condition, as `crate::access::condition::holds` reads it, over the
    /// key's value `k` and presence `h` (one value: a key that may carry
    /// several is encoded only where it appears in one condition).
    /// `ForAllValues:` holds when the request lacks the key, and a
    /// multivalued key is no policy variable: "Single-valued vs.
    /// multivalued context keys", IAM User Guide,
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>.
    fn condition(&mut self, condition: &Condition, over: bool) -> Result<String, Unsupported> {
        let approx = || Ok(over.to_string());
        let lower = condition.key.to_ascii_lowercase();
        if self.shared_multivalued.contains(&lower) {
            return approx();
        }
        let (set, operator) = match condition.operator.split_once(':') {
            Some((set @ ("ForAnyValue" | "ForAllValues"), base)) => (Some(set), base),
            _ => (None, condition.operator.as_str()),
        };
        let (base, if_exists) = match operator.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (operator, false),
        };
        let (value, present) = if lower == SUB {
            ("a".to_string(), "true".to_string())
        } else {
            let i = self.key(&condition.key);
            (format!("k{i}"), format!("h{i}"))
        };
        if base == "Null" {
            if set.is_some() {
                return approx();
            }
            let any: Vec<String> = condition
                .values
                .iter()
                .filter_map(|v| match v.written().as_str() {
                    "true" => Some(format!("(not {present})")),
                    "false" => Some(present.clone()),
                    _ => None,
                })
                .collect();
            return Ok(format!("(or false {})", any.join(" ")));
        }
        let (negated, like, ignore_case, arn) = match base {
            "StringEquals" => (false, false, false, false),
            "StringNotEquals" => (true, false, false, false),
            "StringEqualsIgnoreCase" | "Bool" => (false, false, true, false),
            "StringNotEqualsIgnoreCase" => (true, false, true, false),
            "StringLike" => (false, true, false, false),
            "StringNotLike" => (true, true, false, false),
            "ArnLike" | "ArnEquals" => (false, true, false, true),
            "ArnNotLike" | "ArnNotEquals" => (true, true, false, true),
            _ => return approx(),
        };
        // The matching itself is approximated the other way round under a
        // negation.
        let inner = over != negated;
        let mut any = Vec::new();
        for pattern in &condition.values {
            // ARN matching is by component: read as a glob it matches more,
            // never less.
            let one = match (arn && !inner, ignore_case) {
                (true, _) => None,
                (false, true) => case_blind(&value, pattern),
                (false, false) => self.value_matches(&value, pattern, like, inner)?,
            };
            any.push(one.unwrap_or_else(|| inner.to_string()));
        }
        let matched = format!("(or false {})", any.join(" "));
        let when_present = if negated {
            format!("(not {matched})")
        } else {
            matched
        };
        let when_missing = negated || if_exists;
        Ok(match set {
            Some("ForAnyValue") => format!("(and {present} {when_present})"),
            Some(_) => format!("(or (not {present}) {when_present})"),
            None => format!("(ite {present} {when_present} {when_missing})"),
        })
    }

    /// Whether the key's value matches one condition value, its policy
    /// variables substituted (a key the request lacks: no match, unless a
    /// default is given). `None`: not encodable.
    fn value_matches(
        &mut self,
        value: &str,
        pattern: &Text,
        like: bool,
        over: bool,
    ) -> Result<Option<String>, Unsupported> {
        let mut pats = Vec::new();
        let mut guards = Vec::new();
        for piece in &pattern.pieces {
            match piece {
                Piece::Lit(lit) => pats.extend(lit.chars().map(|c| match c {
                    '*' if like => Pat::Run { slash: true },
                    '?' if like => Pat::One,
                    c => Pat::Char(c),
                })),
                Piece::Exact(c) => pats.push(Pat::Char(*c)),
                Piece::Opaque(name) => pats.push(Pat::Term(self.opaque(name))),
                Piece::Var { key, .. } if key.eq_ignore_ascii_case(SUB) => {
                    pats.push(Pat::Term("a".into()))
                }
                Piece::Var { key, default } => {
                    if multivalued(key) {
                        return Ok(None);
                    }
                    let i = self.key(key);
                    match default {
                        Some(default) => {
                            pats.push(Pat::Term(format!("(ite h{i} k{i} {})", literal(default)?)))
                        }
                        None => {
                            guards.push(format!("h{i}"));
                            pats.push(Pat::Term(format!("k{i}")));
                        }
                    }
                }
            }
        }
        let matched = self.matches(value, &pats, over)?;
        Ok(Some(format!("(and true {matched} {})", guards.join(" "))))
    }

    /// The answer a model gives.
    fn answer(&self, query: &Query, values: &[(String, Value)]) -> Answer {
        let text = |name: &str| {
            values.iter().find_map(|(n, v)| match v {
                Value::Text(t) if n == name => Some(t.clone()),
                _ => None,
            })
        };
        let flag = |name: &str| {
            values
                .iter()
                .any(|(n, v)| n == name && *v == Value::Flag(true))
        };
        let (Some(x), Some(own), Some(theirs)) = (text("x"), text("a"), text("b")) else {
            return Answer::Unknown("the solver's model lacks the request".into());
        };
        let deployment: Vec<(String, String)> = self
            .opaques
            .iter()
            .enumerate()
            .filter_map(|(i, name)| Some((name.clone(), text(&format!("o{i}"))?)))
            .collect();
        let context = self
            .keys
            .iter()
            .enumerate()
            .filter(|(i, _)| flag(&format!("h{i}")))
            .filter_map(|(i, k)| Some((k.written.clone(), text(&format!("k{i}"))?)))
            .collect();
        let id = if query.same_id { &own } else { &theirs };
        let arn =
            named(&x, &query.theirs, id, &deployment).unwrap_or_else(|| Concrete::literal(&x));
        Answer::Sat {
            arn,
            own,
            theirs,
            context,
            deployment,
        }
    }
}

/// The keys that may carry several values (by the catalog, or used with
/// `ForAnyValue:`/`ForAllValues:`) and appear in more than one condition
/// of the query: one value for them could miss a request whose values
/// satisfy each condition with a different one.
fn shared_multivalued(query: &Query) -> Vec<String> {
    let conditions: Vec<&Condition> = query
        .allows
        .iter()
        .chain(&query.denies)
        .flat_map(|s| &s.conditions)
        .collect();
    let mut out: Vec<String> = Vec::new();
    for condition in &conditions {
        let lower = condition.key.to_ascii_lowercase();
        let set = conditions
            .iter()
            .any(|c| c.key.eq_ignore_ascii_case(&lower) && c.operator.starts_with("For"));
        let count = conditions
            .iter()
            .filter(|c| c.key.eq_ignore_ascii_case(&lower))
            .count();
        if (set || multivalued(&lower)) && count > 1 && !out.contains(&lower) {
            out.push(lower);
        }
    }
    out
}

/// Whether a request may carry several values for the key: the catalog
/// says so, or idpc does not know the key (Cognito's `amr` is a list).
fn multivalued(key: &str) -> bool {
    if key.eq_ignore_ascii_case(SUB) {
        return false;
    }
    if key.eq_ignore_ascii_case("cognito-identity.amazonaws.com:amr") {
        return true;
    }
    crate::catalog::Catalog::get()
        .condition_key(key)
        .is_none_or(|k| k.is_multivalued())
}

/// The ids: both non-empty, without `/`, neither the start of the other
/// (the same for `cannot`).
fn ids(same_id: bool) -> String {
    let shape = "(not (= a \"\")) (not (str.contains a \"/\"))";
    if same_id {
        return format!("(and {shape} (= b a))");
    }
    format!(
        "(and {shape} (not (= b \"\")) (not (str.contains b \"/\")) (not (str.prefixof a b)) (not (str.prefixof b a)))"
    )
}

/// Case-blind equality with a literal value (`StringEqualsIgnoreCase`,
/// `Bool`), as `idpc can` compares: character by character, equal when
/// their lower cases are (so the Kelvin sign is a `k`). `None`: the value
/// holds variables or deploy-time values.
fn case_blind(value: &str, pattern: &Text) -> Option<String> {
    let mut parts = Vec::new();
    for piece in &pattern.pieces {
        let text = match piece {
            Piece::Lit(lit) => lit.clone(),
            Piece::Exact(c) => c.to_string(),
            _ => return None,
        };
        for c in text.chars() {
            let folded: String = c.to_lowercase().collect();
            let alike = folds().get(&folded).cloned().unwrap_or_else(|| vec![c]);
            let mut one = Vec::new();
            for d in alike {
                one.push(format!("(str.to_re {})", literal(&d.to_string()).ok()?));
            }
            parts.push(format!("(re.union re.none {})", one.join(" ")));
        }
    }
    Some(format!(
        "(str.in_re {value} (re.++ (str.to_re \"\") {}))",
        parts.join(" ")
    ))
}

/// The characters of the solver's alphabet (up to U+2FFFF) by their lower
/// case.
fn folds() -> &'static std::collections::HashMap<String, Vec<char>> {
    static FOLDS: std::sync::OnceLock<std::collections::HashMap<String, Vec<char>>> =
        std::sync::OnceLock::new();
    FOLDS.get_or_init(|| {
        let mut map: std::collections::HashMap<String, Vec<char>> = Default::default();
        for d in (0..=0x2FFFFu32).filter_map(char::from_u32) {
            map.entry(d.to_lowercase().collect()).or_default().push(d);
        }
        map
    })
}

/// The concatenation of fixed letters (characters and terms).
fn concat(pats: &[Pat]) -> Result<String, Unsupported> {
    let mut parts = Vec::new();
    let mut run = String::new();
    for pat in pats {
        match pat {
            Pat::Char(c) => run.push(*c),
            Pat::Term(term) => {
                if !run.is_empty() {
                    parts.push(literal(&std::mem::take(&mut run))?);
                }
                parts.push(term.clone());
            }
            Pat::One | Pat::Run { .. } => return Err("a wildcard in fixed text".into()),
        }
    }
    if !run.is_empty() || parts.is_empty() {
        parts.push(literal(&run)?);
    }
    Ok(match parts.len() {
        1 => parts.remove(0),
        _ => format!("(str.++ {})", parts.join(" ")),
    })
}

fn concat_or_empty(pats: &[Pat]) -> Result<String, Unsupported> {
    concat(pats)
}

/// The regular expression of variable-free letters.
fn regex(pats: &[Pat]) -> Result<String, Unsupported> {
    let mut parts = vec!["(str.to_re \"\")".to_string()];
    let mut run = String::new();
    for pat in pats {
        if let Pat::Char(c) = pat {
            run.push(*c);
            continue;
        }
        if !run.is_empty() {
            parts.push(format!(
                "(str.to_re {})",
                literal(&std::mem::take(&mut run))?
            ));
        }
        parts.push(match pat {
            Pat::One => "re.allchar".into(),
            Pat::Run { slash: true } => "re.all".into(),
            Pat::Run { slash: false } => "(re.* (re.diff re.allchar (str.to_re \"/\")))".into(),
            _ => return Err("a variable in a regular expression".into()),
        });
    }
    if !run.is_empty() {
        parts.push(format!("(str.to_re {})", literal(&run)?));
    }
    Ok(format!("(re.++ {})", parts.join(" ")))
}

/// An SMT-LIB string literal: `"` doubled, `\` and every character outside
/// printable ASCII as `\u{...}`. Characters beyond the theory's alphabet
/// (above U+2FFFF) are not encodable.
fn literal(text: &str) -> Result<String, Unsupported> {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\"\""),
            '\\' => out.push_str("\\u{5c}"),
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0x2FFFF => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => {
                return Err(format!(
                    "the character U+{:X} is beyond the solver's strings",
                    c as u32
                ));
            }
        }
    }
    out.push('"');
    Ok(out)
}

/// A value of the model.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    Text(String),
    Flag(bool),
}

/// What the solver replied.
enum Reply {
    Sat(Vec<(String, Value)>),
    Unsat,
}

/// The solver's binary: `IDPC_CVC5`, else `cvc5` on the `PATH`.
fn solver() -> String {
    std::env::var("IDPC_CVC5").unwrap_or_else(|_| "cvc5".into())
}

/// The time limit per query: `IDPC_SOLVER_TIMEOUT_MS`, else 10 s.
fn time_limit() -> Duration {
    let ms = std::env::var("IDPC_SOLVER_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(10_000);
    Duration::from_millis(ms)
}

/// Runs the solver on a script; the child is killed a second after its
/// own time limit, whatever it does.
fn run(script: &str, shown: &[String]) -> Result<Reply, String> {
    run_twice(script, shown)
}

/// Half the time limit with cvc5's default strategy, then, when it does
/// not decide, half with regular expressions eliminated into string
/// constraints (`--re-elim=on`): measured here, each decides queries the
/// other times out on (a deny's wildcards against an allow's split).
fn run_twice(script: &str, shown: &[String]) -> Result<Reply, String> {
    let half = time_limit() / 2;
    match run_with(&solver(), half, &[], script, shown) {
        Err(why) if !why.starts_with("cannot run") => {
            run_with(&solver(), half, &["--re-elim=on"], script, shown)
                .map_err(|again| format!("{why}; with regular expressions eliminated: {again}"))
        }
        decided => decided,
    }
}

fn run_with(
    binary: &str,
    limit: Duration,
    options: &[&str],
    script: &str,
    shown: &[String],
) -> Result<Reply, String> {
    let mut child = Command::new(binary)
        .args([
            "--lang",
            "smt2",
            "--strings-exp",
            &format!("--tlimit={}", limit.as_millis()),
        ])
        .args(options)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            format!("cannot run the solver `{binary}` ({e}); install cvc5 or set IDPC_CVC5")
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        // A solver that exits early closes its input: its output says why.
        let _ = stdin.write_all(script.as_bytes());
    }
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(out) = stdout.as_mut() {
            let _ = out.read_to_string(&mut text);
        }
        text
    });
    let deadline = Instant::now() + limit + Duration::from_secs(1);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the solver ran past its time limit ({} ms)",
                    limit.as_millis()
                ));
            }
        }
    }
    let text = reader
        .join()
        .map_err(|_| "the solver's output was lost".to_string())?;
    reply(&text, shown)
}

/// Reads the solver's reply: `sat` and the model, or `unsat`; anything
/// else is no answer.
fn reply(text: &str, shown: &[String]) -> Result<Reply, String> {
    let mut lines = text.lines();
    match lines.next().map(str::trim) {
        Some("unsat") => Ok(Reply::Unsat),
        Some("sat") => {
            let rest: String = lines.collect::<Vec<_>>().join("\n");
            let values = model(&rest).ok_or("the solver's model could not be read")?;
            if !shown
                .iter()
                .all(|name| values.iter().any(|(n, _)| n == name))
            {
                return Err("the solver's model lacks a value".into());
            }
            Ok(Reply::Sat(values))
        }
        Some("unknown") => Err("the solver could not decide".into()),
        None | Some("") => Err("the solver stopped without an answer (its time limit)".into()),
        other => Err(format!(
            "the solver said {}",
            other
                .unwrap_or("nothing")
                .chars()
                .take(200)
                .collect::<String>()
        )),
    }
}

/// The pairs of a `get-value` reply: `((x "...") (h0 true) ...)`.
fn model(text: &str) -> Option<Vec<(String, Value)>> {
    let mut chars = text.trim().chars().peekable();
    let mut out = Vec::new();
    let skip = |chars: &mut std::iter::Peekable<std::str::Chars>| {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
    };
    if chars.next()? != '(' {
        return None;
    }
    loop {
        skip(&mut chars);
        match chars.next()? {
            ')' => return Some(out),
            '(' => {}
            _ => return None,
        }
        skip(&mut chars);
        let mut name = String::new();
        while chars
            .peek()
            .is_some_and(|c| !c.is_whitespace() && *c != ')')
        {
            name.push(chars.next()?);
        }
        skip(&mut chars);
        let value = if chars.peek() == Some(&'"') {
            chars.next();
            Value::Text(string_literal(&mut chars)?)
        } else {
            let mut word = String::new();
            while chars
                .peek()
                .is_some_and(|c| !c.is_whitespace() && *c != ')')
            {
                word.push(chars.next()?);
            }
            match word.as_str() {
                "true" => Value::Flag(true),
                "false" => Value::Flag(false),
                _ => return None,
            }
        };
        skip(&mut chars);
        if chars.next()? != ')' {
            return None;
        }
        out.push((name, value));
    }
}

/// The rest of a string literal after its opening `"`: `""` is `"`,
/// `\u{h..}` and `\uhhhh` a character.
fn string_literal(chars: &mut std::iter::Peekable<std::str::Chars>) -> Option<String> {
    let mut out = String::new();
    loop {
        match chars.next()? {
            '"' if chars.peek() == Some(&'"') => {
                chars.next();
                out.push('"');
            }
            '"' => return Some(out),
            '\\' if chars.peek() == Some(&'u') => {
                chars.next();
                let hex: String = if chars.peek() == Some(&'{') {
                    chars.next();
                    let mut hex = String::new();
                    loop {
                        match chars.next()? {
                            '}' => break hex,
                            c => hex.push(c),
                        }
                    }
                } else {
                    (0..4).map(|_| chars.next()).collect::<Option<String>>()?
                };
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            c => out.push(c),
        }
    }
}

/// The ARN with the deploy-time values where the property's pattern has
/// them: `x` read along `theirs` (ids and deploy-time values their model
/// values). `None` when it does not read.
fn named(
    x: &str,
    theirs: &[Letter],
    id: &str,
    deployment: &[(String, String)],
) -> Option<Concrete> {
    let chars: Vec<char> = x.chars().collect();
    let value = |name: &str| {
        deployment
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.chars().collect::<Vec<char>>())
    };
    // Depth-first over (letter, position), remembering dead ends.
    let mut dead = std::collections::HashSet::new();
    let mut atoms = Vec::new();
    if read(theirs, &chars, 0, 0, &value, id, &mut dead, &mut atoms) {
        atoms.reverse();
        return Some(Concrete { atoms });
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn read(
    theirs: &[Letter],
    x: &[char],
    i: usize,
    j: usize,
    value: &dyn Fn(&str) -> Option<Vec<char>>,
    id: &str,
    dead: &mut std::collections::HashSet<(usize, usize)>,
    atoms: &mut Vec<Atom>,
) -> bool {
    if dead.contains(&(i, j)) {
        return false;
    }
    let Some(letter) = theirs.get(i) else {
        return j == x.len();
    };
    let rest = &x[j..];
    let fixed = |text: Vec<char>| rest.starts_with(&text).then_some(text.len());
    let found = match letter {
        Letter::Char(c) => fixed(vec![*c]).is_some_and(|n| {
            read(theirs, x, i + 1, j + n, value, id, dead, atoms) && {
                atoms.push(Atom::Char(*c));
                true
            }
        }),
        Letter::Id => fixed(id.chars().collect()).is_some_and(|n| {
            read(theirs, x, i + 1, j + n, value, id, dead, atoms) && {
                atoms.extend(id.chars().rev().map(Atom::Char));
                true
            }
        }),
        Letter::Opaque(name) => value(name).and_then(fixed).is_some_and(|n| {
            read(theirs, x, i + 1, j + n, value, id, dead, atoms) && {
                atoms.push(Atom::Opaque(name.clone()));
                true
            }
        }),
        Letter::One => {
            !rest.is_empty() && read(theirs, x, i + 1, j + 1, value, id, dead, atoms) && {
                atoms.push(Atom::Char(x[j]));
                true
            }
        }
        Letter::Run { slash } => (j..=x.len())
            .take_while(|&k| k == j || *slash || x[k - 1] != '/')
            .any(|k| {
                read(theirs, x, i + 1, k, value, id, dead, atoms) && {
                    atoms.extend(x[j..k].iter().rev().map(|c| Atom::Char(*c)));
                    true
                }
            }),
    };
    if !found {
        dead.insert((i, j));
    }
    found
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    /// Whether cvc5 runs here. In CI (`CI` set) a missing solver fails the
    /// test: the proofs it backs would silently be unknown.
    fn solver_here() -> bool {
        let found = Command::new(solver())
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            found || std::env::var_os("CI").is_none(),
            "cvc5 is missing in CI (.ci/install-tools installs it)"
        );
        if !found {
            eprintln!("skipped: cvc5 is not installed (set IDPC_CVC5 or install Debian's cvc5)");
        }
        found
    }

    fn pattern(text: &str) -> Vec<Letter> {
        super::super::glob::letters(&Text::parse(
            &text.replace("$<sub>", "${cognito-identity.amazonaws.com:sub}"),
        ))
    }

    fn statement(resource: &str, conditions: &[(&str, &str, &str)]) -> SolverStatement {
        SolverStatement {
            resources: vec![pattern(resource)],
            not_resources: None,
            conditions: conditions
                .iter()
                .map(|(operator, key, value)| Condition {
                    operator: operator.to_string(),
                    key: key.to_string(),
                    values: vec![Text::parse(value)],
                })
                .collect(),
        }
    }

    fn query(theirs: &str, allow: SolverStatement, denies: Vec<SolverStatement>) -> Query {
        Query {
            theirs: pattern(theirs),
            same_id: false,
            allows: vec![allow],
            denies,
            spellings: Vec::new(),
            whole: WholeNames::default(),
        }
    }

    const THEIRS: &str = "arn:aws:s3:::m/private/$<sub>/*";

    fn sat(answer: &Answer) -> bool {
        matches!(answer, Answer::Sat { .. })
    }

    #[test]
    fn the_own_folder_is_unsat_and_a_wildcard_before_the_id_sat() {
        if !solver_here() {
            return;
        }
        let own = statement(THEIRS, &[]);
        assert_eq!(decide(&query(THEIRS, own, Vec::new())), Answer::Unsat);
        let wide = statement("arn:aws:s3:::m/*/$<sub>/*", &[]);
        let Answer::Sat {
            arn, own, theirs, ..
        } = decide(&query(THEIRS, wide, Vec::new()))
        else {
            panic!("expected a request");
        };
        // The readable ids, and the other's folder holding the caller's id.
        assert_eq!(own, super::super::CALLER_ID);
        assert_eq!(theirs, super::super::OTHER_ID);
        let arn = arn.to_string();
        assert!(
            arn.starts_with(&format!("arn:aws:s3:::m/private/{theirs}/"))
                && arn.contains(&format!("/{own}/")),
            "{arn}"
        );
        // The same id: the caller's own folder is reachable.
        let mut same = query(THEIRS, statement(THEIRS, &[]), Vec::new());
        same.same_id = true;
        assert!(sat(&decide(&same)));
    }

    #[test]
    fn a_deny_keeps_the_folder_and_one_segment_later_does_not() {
        if !solver_here() {
            return;
        }
        let all = || statement("arn:aws:s3:::m/*", &[]);
        let deny = statement("arn:aws:s3:::m/private/*", &[]);
        assert_eq!(decide(&query(THEIRS, all(), vec![deny])), Answer::Unsat);
        let later = statement("arn:aws:s3:::m/private/*/x/*", &[]);
        let Answer::Sat { arn, .. } = decide(&query(THEIRS, all(), vec![later])) else {
            panic!("expected a request");
        };
        assert!(!arn.to_string().contains("/x/"), "{arn}");
    }

    #[test]
    fn deploy_time_values_are_constants_shown_by_name() {
        if !solver_here() {
            return;
        }
        let mut theirs = Text::default();
        theirs.pieces.push(Piece::Opaque("$(Media.Arn)".into()));
        theirs.pieces.push(Piece::Lit("/private/".into()));
        theirs.pieces.push(Piece::Var {
            key: SUB.into(),
            default: None,
        });
        theirs.pieces.push(Piece::Lit("/*".into()));
        let mut other = Text::default();
        other.pieces.push(Piece::Opaque("$(Other.Arn)".into()));
        other.pieces.push(Piece::Lit("/*".into()));
        let letters = super::super::glob::letters;
        let mut q = query(THEIRS, statement("*", &[]), Vec::new());
        q.theirs = letters(&theirs);
        q.allows[0].resources = vec![letters(&other)];
        // Another bucket's objects are never this one's.
        q.whole = WholeNames::media_and_other("AWS::S3::Bucket");
        assert_eq!(decide(&q), Answer::Unsat);
        // Another role's ARN may be this one's followed by `/` (paths).
        let mut roles = q.clone();
        roles.whole = WholeNames::media_and_other("AWS::IAM::Role");
        assert!(sat(&decide(&roles)), "{:?}", decide(&roles));
        // A literal bucket may be this one, in some deployment.
        q.allows[0].resources = vec![pattern("arn:aws:s3:::media/*")];
        q.spellings = vec![("$(Media.Arn)".into(), "arn:aws:s3:::media".into())];
        let Answer::Sat {
            arn, deployment, ..
        } = decide(&q)
        else {
            panic!("expected a request");
        };
        assert!(
            arn.to_string().starts_with("$(Media.Arn)/private/"),
            "{arn}"
        );
        assert_eq!(deployment, q.spellings);
    }

    #[test]
    fn conditions_are_encoded_on_the_key_and_its_presence() {
        if !solver_here() {
            return;
        }
        let tag = "aws:PrincipalTag/department";
        let allow = |op: &str, value: &str| statement("arn:aws:s3:::m/*", &[(op, tag, value)]);
        let deny =
            |op: &str, value: &str| statement("arn:aws:s3:::m/private/*", &[(op, tag, value)]);
        let ask = |allow, deny| decide(&query(THEIRS, allow, vec![deny]));
        // The deny applies to every request the allow allows.
        assert_eq!(
            ask(
                allow("StringEquals", "support"),
                deny("StringEquals", "support")
            ),
            Answer::Unsat
        );
        assert_eq!(
            ask(
                allow("StringEquals", "support"),
                deny("StringLike", "supp*")
            ),
            Answer::Unsat
        );
        assert_eq!(
            ask(allow("StringLike", "*"), deny("Null", "false")),
            Answer::Unsat
        );
        // A wildcard in the allow's value, a case, a missing key: a request.
        let Answer::Sat { context, .. } = ask(
            allow("StringLike", "supp*"),
            deny("StringEquals", "support"),
        ) else {
            panic!("expected a request");
        };
        assert_eq!(context.len(), 1);
        assert!(context[0].1.starts_with("supp") && context[0].1 != "support");
        assert!(sat(&ask(
            allow("StringEquals", "support"),
            deny("StringEquals", "Support")
        )));
        let Answer::Sat { context, .. } = ask(
            allow("StringNotEquals", "support"),
            deny("StringEquals", "x"),
        ) else {
            panic!("expected a request");
        };
        assert!(context.iter().all(|(_, v)| v != "support"));
        // Case-blind values: `Bool`, `StringEqualsIgnoreCase`.
        assert_eq!(
            ask(allow("Bool", "TRUE"), deny("Bool", "true")),
            Answer::Unsat
        );
        assert!(sat(&ask(
            allow("Bool", "true"),
            deny("StringEquals", "true")
        )));
        // A policy variable in a value: the caller's id.
        let own = statement(
            "arn:aws:s3:::m/*",
            &[(
                "StringEquals",
                "aws:PrincipalTag/owner",
                "${cognito-identity.amazonaws.com:sub}",
            )],
        );
        let deny_own = statement(
            "arn:aws:s3:::m/private/*",
            &[(
                "StringEquals",
                "aws:PrincipalTag/owner",
                "${cognito-identity.amazonaws.com:sub}",
            )],
        );
        assert_eq!(decide(&query(THEIRS, own, vec![deny_own])), Answer::Unsat);
    }

    #[test]
    fn what_is_not_encoded_allows_more_never_less() {
        if !solver_here() {
            return;
        }
        let allow = statement("arn:aws:s3:::m/*", &[]);
        // A numeric deny is taken as not applying.
        let numeric = statement(
            "arn:aws:s3:::m/private/*",
            &[("NumericLessThan", "s3:max-keys", "100")],
        );
        assert!(sat(&decide(&query(THEIRS, allow.clone(), vec![numeric]))));
        // A key with several values in two conditions: one value each may
        // satisfy the allow and escape the deny.
        let tags = "aws:TagKeys";
        let allow_tags = statement(
            "arn:aws:s3:::m/*",
            &[("ForAnyValue:StringEquals", tags, "a")],
        );
        let deny_tags = statement(
            "arn:aws:s3:::m/private/*",
            &[("ForAnyValue:StringEquals", tags, "a")],
        );
        assert!(sat(&decide(&query(THEIRS, allow_tags, vec![deny_tags]))));
        // An ARN condition in a deny is read by components: not encoded.
        let arn = statement(
            "arn:aws:s3:::m/private/*",
            &[("ArnLike", "aws:SourceArn", "*")],
        );
        assert!(sat(&decide(&query(THEIRS, allow, vec![arn]))));
    }

    #[test]
    fn a_missing_or_hanging_solver_is_no_answer() {
        let shown = vec!["x".to_string()];
        let missing = run_with("/nonexistent/cvc5", Duration::from_secs(1), &[], "", &shown);
        assert!(matches!(missing, Err(why) if why.contains("cannot run the solver")));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let hang = dir.path().join("hang.sh");
        std::fs::write(&hang, "#!/bin/sh\nexec sleep 600\n").unwrap_or_else(|e| panic!("{e}"));
        let mut perms = std::fs::metadata(&hang)
            .unwrap_or_else(|e| panic!("{e}"))
            .permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&hang, perms).unwrap_or_else(|e| panic!("{e}"));
        let hung = run_with(
            &hang.display().to_string(),
            Duration::from_millis(100),
            &[],
            "",
            &shown,
        );
        assert!(matches!(hung, Err(why) if why.contains("time limit")));
    }

    #[test]
    fn replies_and_literals_read_back() {
        let shown = vec!["x".to_string(), "h0".to_string()];
        let Ok(Reply::Sat(values)) =
            reply("sat\n((x \"a\"\"b\\u{5c}\\u{e9}\") (h0 true))\n", &shown)
        else {
            panic!("expected a model");
        };
        assert_eq!(values[0], ("x".into(), Value::Text("a\"b\\\u{e9}".into())));
        assert_eq!(values[1], ("h0".into(), Value::Flag(true)));
        assert!(matches!(
            reply("unsat\n(error \"x\")\n", &shown),
            Ok(Reply::Unsat)
        ));
        assert!(reply("unknown\n", &shown).is_err());
        assert!(reply("(error \"parse\")\n", &shown).is_err());
        assert!(reply("sat\n((x \"a\"))\n", &shown).is_err());
        assert_eq!(
            literal("a\"\\\u{e9}").ok(),
            Some("\"a\"\"\\u{5c}\\u{e9}\"".into())
        );
        assert!(literal("\u{10FFFF}").is_err());
    }
}
