//! Small wording helpers the stages share when they word their problems.

/// "`a`", "`a` or `b`", "`a`, `b` or `c`"; "nothing" for none.
pub fn one_of(items: &[String]) -> String {
    match items {
        [] => "nothing".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// "`a`", "`a` and `b`", "`a`, `b` and `c`"; "these actions" for none.
pub fn one_of_and(items: &[String]) -> String {
    match items {
        [] => "these actions".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "`a`, `b`, `c`": each item in backticks, joined by commas.
pub fn quoted_list<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
