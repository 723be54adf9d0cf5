//! "Did you mean": the closest candidate to a misspelled word.
//!
//! Fed by the names in scope, the policy variables and the action catalog.
//! Ranking uses the Jaro-Winkler similarity of the lower-cased words, which
//! favours shared prefixes (`AttachmentBucket` → `AttachmentsBucket`); a
//! case-only difference always wins.
//!
//! Suggestions are a courtesy, so their cost is bounded: a word longer than
//! [`MAX_WORD_CHARS`] gets none, candidates whose length rules them out are
//! skipped before any comparison, and one run of the checker spends at most
//! [`RUN_BUDGET`] on them ([`Suggestions`]); past that, mistakes are still
//! reported, without a guess. Without the budget, every unknown name was
//! compared with every declared one: 10,000 of each took a minute.

use std::cell::Cell;

/// Words longer than this (in characters) get no suggestion: names are at
/// most 255 characters, and the catalog's actions and keys are shorter.
pub const MAX_WORD_CHARS: usize = 256;

/// The work one run may spend on suggestions, in character pairs compared
/// (a comparison of words of lengths `a` and `b` costs `a × b`): about
/// 25,000 comparisons of 20-character names, well under a second.
pub const RUN_BUDGET: u64 = 10_000_000;

thread_local! {
    /// Comparisons made on this thread, for tests that assert work done.
    static COMPARED: Cell<u64> = const { Cell::new(0) };
}

/// How many word comparisons this thread has made so far (tests compare two
/// readings around a run).
pub fn comparisons_on_this_thread() -> u64 {
    COMPARED.with(Cell::get)
}

/// The suggestions of one run, sharing [`RUN_BUDGET`].
#[derive(Debug)]
pub struct Suggestions {
    left: u64,
}

impl Default for Suggestions {
    fn default() -> Self {
        Suggestions { left: RUN_BUDGET }
    }
}

impl Suggestions {
    /// Like [`did_you_mean`], charged to this run's budget; `None` once the
    /// budget is spent.
    pub fn did_you_mean<'a, I>(&mut self, word: &str, candidates: I) -> Option<String>
    where
        I: IntoIterator<Item = &'a str>,
    {
        if self.left == 0 {
            return None;
        }
        closest(word, candidates, &mut self.left)
    }

    /// Whether the budget is spent (callers may then skip gathering
    /// candidates at all).
    pub fn spent(&self) -> bool {
        self.left == 0
    }
}

/// The best candidate for `word`, if any is close enough to be a plausible
/// typo. Deterministic: ties go to the candidate that sorts first. For a
/// fixed, small candidate list (codes, keywords); the checker uses
/// [`Suggestions`].
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    closest(word, candidates, &mut RUN_BUDGET.clone())
}

fn closest<'a, I>(word: &str, candidates: I, left: &mut u64) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    if word.chars().nth(MAX_WORD_CHARS).is_some() {
        return None;
    }
    let lower = word.to_lowercase();
    let length = lower.chars().count();
    // Short words need a small edit distance as well as a high similarity,
    // or `Foo` would suggest `Bar`-like noise.
    let max_edits = (length / 3).max(2);
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        // Lower-casing never shortens a word: a candidate too long as
        // written is too long lower-cased, and need not be lower-cased.
        let longest = (2 * length).max(length + max_edits);
        if candidate == word || candidate.chars().nth(longest).is_some() {
            continue;
        }
        let candidate_lower = candidate.to_lowercase();
        let candidate_length = candidate_lower.chars().count();
        if !plausible_length(length, candidate_length, max_edits) {
            continue;
        }
        let cost = (length.max(1) * candidate_length.max(1)) as u64;
        if *left < cost {
            *left = 0;
            break;
        }
        *left -= cost;
        COMPARED.with(|compared| compared.set(compared.get() + 1));
        let score = if candidate_lower == lower {
            2.0
        } else {
            let jw = strsim::jaro_winkler(&lower, &candidate_lower);
            if jw < 0.8 || jw < 0.9 && strsim::levenshtein(&lower, &candidate_lower) > max_edits {
                continue;
            }
            jw
        };
        let better = match best {
            None => true,
            Some((best_score, best_name)) => {
                score > best_score || (score == best_score && candidate < best_name)
            }
        };
        if better {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, name)| name.to_string())
}

/// Whether a candidate of `other` characters can pass the test in
/// [`closest`] for a word of `length`. Jaro-Winkler is at most
/// `0.4 + 0.6 × jaro` and Jaro at most `(shorter / longer + 2) / 3`, so
/// below half the length it stays under 0.9; and the edit distance is at
/// least the difference in length.
fn plausible_length(length: usize, other: usize, max_edits: usize) -> bool {
    let (shorter, longer) = (length.min(other), length.max(other));
    2 * shorter >= longer || longer - shorter <= max_edits
}

#[cfg(test)]
mod tests {
    use super::{Suggestions, comparisons_on_this_thread, did_you_mean, plausible_length};

    #[test]
    fn finds_a_missing_letter() {
        let names = ["AttachmentsBucket", "CognitoUserPool", "NotesTable"];
        assert_eq!(
            did_you_mean("AttachmentBucket", names).as_deref(),
            Some("AttachmentsBucket")
        );
    }

    #[test]
    fn prefers_a_case_only_difference() {
        let names = ["NotesTables", "notestable"];
        assert_eq!(
            did_you_mean("NotesTable", names).as_deref(),
            Some("notestable")
        );
    }

    #[test]
    fn says_nothing_for_unrelated_words() {
        let names = ["AttachmentsBucket", "CognitoUserPool"];
        assert_eq!(did_you_mean("Queue", names), None);
        assert_eq!(did_you_mean("sub", ["aws:username"]), None);
    }

    #[test]
    fn length_filter_keeps_what_the_scores_accept() {
        // Every pair the full test accepts passes the length filter: words
        // of 1 to 40 letters against every length, sharing a prefix (the
        // best case for Jaro-Winkler).
        for a in 1..40 {
            for b in 1..90 {
                let word = "x".repeat(a);
                let other = "x".repeat(b);
                let jw = strsim::jaro_winkler(&word, &other);
                let edits = strsim::levenshtein(&word, &other);
                let max_edits = (a / 3).max(2);
                let accepted = jw >= 0.9 || jw >= 0.8 && edits <= max_edits;
                if accepted {
                    assert!(plausible_length(a, b, max_edits), "{a} vs {b}");
                }
            }
        }
    }

    #[test]
    fn a_huge_word_costs_no_comparison() {
        let word = "s3:Get".to_string() + &"x".repeat(1_000_000);
        let before = comparisons_on_this_thread();
        assert_eq!(did_you_mean(&word, ["GetObject", "PutObject"]), None);
        assert_eq!(comparisons_on_this_thread(), before);
    }

    #[test]
    fn a_run_stops_guessing_when_its_budget_is_spent() {
        // 10,000 names against 10,000 near misses: 100 million comparisons
        // without a budget.
        let names: Vec<String> = (0..10_000).map(|i| format!("Bucket{i}Data")).collect();
        let mut suggestions = Suggestions::default();
        let before = comparisons_on_this_thread();
        let mut found = 0;
        for i in 0..10_000 {
            let word = format!("Bucket{i}Datx");
            if suggestions
                .did_you_mean(&word, names.iter().map(String::as_str))
                .is_some()
            {
                found += 1;
            }
        }
        let compared = comparisons_on_this_thread() - before;
        assert!(found > 0, "the first words still get a suggestion");
        assert!(suggestions.spent());
        assert!(compared <= 100_000, "{compared} comparisons");
    }
}
