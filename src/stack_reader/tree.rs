//! A tiny span-carrying YAML/JSON tree, read through serde-saphyr.
//!
//! The importer only needs mapping keys, a few scalars and the shape of the
//! document, so every scalar is kept as text and every node carries the byte
//! span it came from. Tags (`!Ref`, `!GetAtt`, `!Whatever`) are kept as
//! written but the stack reader ignores them; `idpc import` reads them to
//! turn short-form intrinsic functions back into names.

use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{Location, Spanned, Tagged};

use super::Limits;
use super::error::{StackErrorKind, offset_of};
use crate::source::{FileId, Span};

/// One node of the document with the byte span it was read from.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// What the node holds.
    pub(crate) value: Value,
    /// Where in its file (may be empty for empty/null nodes).
    pub(crate) span: Span,
    /// The node's local tag, such as `!GetAtt` (global `!!` tags resolve to
    /// URIs and are kept too; nothing reads them).
    pub(crate) tag: Option<String>,
}

/// The shape of a node.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    /// `~`, `null` or an empty node.
    Null,
    /// Any scalar (string, number, boolean), as text.
    Scalar(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The scalar text, if this node is a scalar.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The entries, if this node is a mapping.
    pub(crate) fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value under `key` (compared as text), if this node is a mapping.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and value under `key`, if this node is a mapping.
    pub(crate) fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(k, v)| (k, v))
    }

    /// Whether this node is null (or empty).
    pub(crate) fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// Puts this node and those under it in `file`: the deserializer reads
    /// only offsets.
    fn put_in(&mut self, file: FileId) {
        self.span.file = file;
        match &mut self.value {
            Value::Null | Value::Scalar(_) => {}
            Value::Seq(items) => items.iter_mut().for_each(|item| item.put_in(file)),
            Value::Map(entries) => {
                for (key, value) in entries {
                    key.put_in(file);
                    value.put_in(file);
                }
            }
        }
    }
}

impl Node {
    /// Extends the span of a flow collection (`{...}`, `[...]`, and so all
    /// of JSON) to its closing bracket: the parser gives a collection only
    /// its first character, and its last entry ends before the bracket, so
    /// an underline would stop short of it.
    fn close_flow(&mut self, text: &str) {
        let entries_end = match &mut self.value {
            Value::Null | Value::Scalar(_) => return,
            Value::Seq(items) => items
                .iter_mut()
                .map(|item| {
                    item.close_flow(text);
                    item.span.end
                })
                .max(),
            Value::Map(entries) => entries
                .iter_mut()
                .map(|(key, value)| {
                    key.close_flow(text);
                    value.close_flow(text);
                    key.span.end.max(value.span.end)
                })
                .max(),
        };
        let Some(open) = opening_bracket(text, self.span.start) else {
            return;
        };
        let closer = if text.as_bytes()[open] == b'{' {
            b'}'
        } else {
            b']'
        };
        let from = entries_end.unwrap_or(open + 1).max(open + 1);
        if let Some(close) = closing_bracket(text, from, closer) {
            self.span.end = self.span.end.max(close + 1);
        }
    }
}

/// Where the flow collection starting at `start` opens: `start` itself, or
/// after a tag (`!If [...]`); `None` for a block collection.
fn opening_bracket(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = start;
    if bytes.get(at) == Some(&b'!') {
        while bytes.get(at).is_some_and(|b| !b.is_ascii_whitespace()) {
            at += 1;
        }
        while bytes.get(at).is_some_and(|b| matches!(b, b' ' | b'\t')) {
            at += 1;
        }
    }
    matches!(bytes.get(at), Some(b'{' | b'[')).then_some(at)
}

/// The `closer` that ends a flow collection whose last entry ends at
/// `from`: past blanks, line breaks, a trailing comma and comments.
fn closing_bracket(text: &str, from: usize, closer: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b' ' | b'\t' | b'\r' | b'\n' | b',' => at += 1,
            b'#' => {
                while bytes.get(at).is_some_and(|b| *b != b'\n') {
                    at += 1;
                }
            }
            _ if byte == closer => return Some(at),
            _ => return None,
        }
    }
    None
}

/// Byte span of a serde-saphyr location, when it carries byte offsets.
fn location_span(loc: &Location) -> Option<Range<usize>> {
    let span = loc.span();
    let start = usize::try_from(span.byte_offset()?).ok()?;
    let len = usize::try_from(span.byte_len().unwrap_or(0)).ok()?;
    Some(start..start.saturating_add(len))
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Tagged<Value>>::deserialize(deserializer)?;
        let range = location_span(&spanned.referenced).unwrap_or(0..0);
        // The file is set once the whole tree is read (`Node::put_in`).
        let span = Span::new(FileId::default(), range.start, range.end);
        let Tagged(value, tag) = spanned.value;
        Ok(Node { value, span, tag })
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML node")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }
    fn visit_char<E: de::Error>(self, v: char) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Scalar(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Scalar(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry::<Node, Node>()? {
            entries.push((k, v));
        }
        Ok(Value::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// Why a text could not be parsed: the kind and, when known, the place.
pub(crate) type ParseFailure = (StackErrorKind, Option<Span>);

/// Why a text could not be parsed, with a byte range in the text.
type TextFailure = (StackErrorKind, Option<Range<usize>>);

/// Parses `text`, the text of `file` (YAML, or JSON when `json` is set),
/// into a [`Node`] tree within `limits`.
///
/// JSON is first checked by serde_json so that its errors carry JSON's own
/// line and column; the tree itself always comes from the YAML parser (JSON
/// is YAML), which is what gives every node its span.
pub(crate) fn parse(
    text: &str,
    file: FileId,
    json: bool,
    limits: &Limits,
) -> Result<Node, ParseFailure> {
    match parse_text(text, json, limits) {
        Ok(mut tree) => {
            tree.put_in(file);
            tree.close_flow(text);
            Ok(tree)
        }
        Err((kind, range)) => Err((kind, range.map(|r| Span::new(file, r.start, r.end)))),
    }
}

/// [`parse`], with positions as byte ranges in `text`.
fn parse_text(text: &str, json: bool, limits: &Limits) -> Result<Node, TextFailure> {
    if json {
        check_json(text, limits)?;
    }
    let run = || parse_yaml(text, limits);
    // The deserializer recurses once per nesting level with large frames
    // (tens of KiB each in debug builds), so a document at `max_depth` can
    // overflow a small thread stack. Parse on a thread whose stack fits it;
    // only the pages used are ever touched.
    let stack_size = (16usize << 20).saturating_add(limits.max_depth.saturating_mul(256 << 10));
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("idpc-stack-parse".to_owned())
            .stack_size(stack_size)
            .spawn_scoped(scope, run)
        {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err((
                    StackErrorKind::Malformed("the YAML parser failed".to_owned()),
                    None,
                ))
            }),
            Err(_) => run(),
        }
    })
}

/// Parses YAML `text` within `limits` on the current thread.
fn parse_yaml(text: &str, limits: &Limits) -> Result<Node, TextFailure> {
    let flow_limit = limits.max_depth.min(255);
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: limits.max_depth,
            flow_nesting_limit: flow_limit,
            max_aliases: limits.max_aliases,
            max_anchors: limits.max_aliases,
            max_nodes: limits.max_nodes,
            max_events: limits.max_nodes.saturating_mul(2),
            max_documents: 1,
            max_recorded_anchor_events: limits.max_alias_expansion,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: limits.max_alias_expansion,
        },
        with_snippet: false,
    };
    serde_saphyr::from_str_with_options::<Node>(text, options)
        .map_err(|e| yaml_failure(text, &e, limits))
}

/// serde_json's verdict on a JSON text, mapped to a [`TextFailure`].
fn check_json(text: &str, limits: &Limits) -> Result<(), TextFailure> {
    let Err(e) = serde_json::from_str::<de::IgnoredAny>(text) else {
        return Ok(());
    };
    // serde_json counts columns in bytes from the start of the line.
    let at = json_offset(text, e.line(), e.column());
    let message = e.to_string();
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message,
    };
    if message.contains("recursion limit") {
        return Err((
            StackErrorKind::TooDeep {
                limit: limits.max_depth,
            },
            Some(at..at),
        ));
    }
    Err((
        StackErrorKind::Malformed(format!("invalid JSON: {message}")),
        Some(at..at),
    ))
}

/// Byte offset of serde_json's 1-based line and byte column.
fn json_offset(text: &str, line: usize, column: usize) -> usize {
    let start = offset_of(text, line, 1);
    let mut at = start
        .saturating_add(column.saturating_sub(1))
        .min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Maps a serde-saphyr error to a [`TextFailure`].
fn yaml_failure(text: &str, error: &serde_saphyr::Error, limits: &Limits) -> TextFailure {
    let mut error = error.without_snippet();
    #[allow(deprecated)]
    while let serde_saphyr::Error::AliasError { error: inner, .. } = error {
        error = inner.without_snippet();
    }
    let span = error.location().map(|loc| {
        location_span(&loc).unwrap_or_else(|| {
            let line = usize::try_from(loc.line()).unwrap_or(usize::MAX);
            let col = usize::try_from(loc.column()).unwrap_or(usize::MAX);
            let at = offset_of(text, line, col);
            at..at
        })
    });
    let message = error.to_string();
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message,
    };
    let kind = match error {
        serde_saphyr::Error::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { .. } => StackErrorKind::TooDeep {
                limit: limits.max_depth,
            },
            BudgetBreach::Aliases { .. }
            | BudgetBreach::Anchors { .. }
            | BudgetBreach::AliasAnchorRatio { .. }
            | BudgetBreach::RecordedAnchorEvents { .. }
            | BudgetBreach::RecordedAnchorBytes { .. } => StackErrorKind::AliasBudget(message),
            _ => StackErrorKind::TooComplex(message),
        },
        serde_saphyr::Error::AliasReplayCounterOverflow { .. }
        | serde_saphyr::Error::AliasReplayLimitExceeded { .. }
        | serde_saphyr::Error::AliasExpansionLimitExceeded { .. }
        | serde_saphyr::Error::AliasReplayStackDepthExceeded { .. } => {
            StackErrorKind::AliasBudget(message)
        }
        serde_saphyr::Error::DuplicateMappingKey { key, .. } => StackErrorKind::Malformed(match key {
            Some(key) => format!(
                "invalid YAML: `{key}` is a key twice in one mapping (a mapping's keys must be unique)"
            ),
            None => "invalid YAML: a key appears twice in one mapping (a mapping's keys must be unique)"
                .to_owned(),
        }),
        _ if message.contains("recursion limit exceeded") => StackErrorKind::TooDeep {
            limit: limits.max_depth,
        },
        _ => StackErrorKind::Malformed(format!("invalid YAML: {message}")),
    };
    (kind, span)
}
