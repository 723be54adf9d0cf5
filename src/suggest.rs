//! "Did you mean": the closest candidate to a misspelled word.
//!
//! Fed by the names in scope, the policy variables and (later) the action
//! catalog. Ranking uses the Jaro-Winkler similarity of the lower-cased words,
//! which favours shared prefixes (`AttachmentBucket` → `AttachmentsBucket`);
//! a case-only difference always wins.

/// The best candidate for `word`, if any is close enough to be a plausible
/// typo. Deterministic: ties go to the candidate that sorts first.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = word.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let candidate_lower = candidate.to_lowercase();
        let score = if candidate_lower == lower {
            2.0
        } else {
            let jw = strsim::jaro_winkler(&lower, &candidate_lower);
            let distance = strsim::levenshtein(&lower, &candidate_lower);
            // Short words need a small edit distance as well as a high
            // similarity, or `Foo` would suggest `Bar`-like noise.
            let max_edits = (lower.chars().count() / 3).max(1);
            if jw < 0.8 || distance > max_edits.max(2) && jw < 0.9 {
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

#[cfg(test)]
mod tests {
    use super::did_you_mean;

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
}
