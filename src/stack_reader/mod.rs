//! Learns an existing stack's CloudFormation logical IDs and types from files.
//!
//! `use "serverless.yml"` or `use "resources/s3-bucket.yml"` in a program
//! makes the compiler read the stack the user already has, so that names can
//! be checked against it. This module knows nothing of the language: it reads
//! one file (and the `${file(...)}` includes it makes) and returns every
//! resource it learned with the place it came from.
//!
//! Accepted files:
//!
//! - a CloudFormation template, or a bare `resources:` fragment, whose top
//!   level has `Resources` — YAML (short-form tags such as `!Ref` and any
//!   unknown tag are accepted and ignored) or JSON (a `.json` file);
//! - a `serverless.yml` (top level with `service`, `provider` or
//!   `functions`): the resources of its `resources:` block (a mapping, or a
//!   list of mappings and `${file(path)}` / `${file(path):Selector}`
//!   strings, followed relative to the including file), plus what
//!   Serverless Framework v3 generates (see `stack_reader::serverless`).
//!
//! Serverless variables (`${self:custom.stage}`) are never resolved; where
//! one stands for something the reader needed (a logical ID, a type, an
//! include), it is listed in [`Stack::unresolved`] instead.
//!
//! The reader never writes, and reads only the named file and its includes,
//! each at most once, within [`Limits`]. Every file it reads is added to the
//! [`Sources`] it is given as it is read (a file already there, by canonical
//! path, keeps its id), so every position it returns is a [`Span`] in them.

// A StackError carries everything a diagnostic needs (path, text, span,
// include chain); it is made at most once per read, so its size costs nothing.
#![allow(clippy::result_large_err)]

mod diagnostic;
mod error;
pub(crate) mod serverless;
pub(crate) mod tree;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::source::{FileId, Sources, Span};

pub use error::{IncludeSite, StackError, StackErrorKind, line_col};
use tree::Node;

/// Bounds on what [`read_stack`] will read, so hostile files fail fast.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes; checked before reading. Default 10 MiB.
    pub max_file_bytes: u64,
    /// Deepest nesting of mappings and sequences in one file. Default 64.
    pub max_depth: usize,
    /// Most YAML aliases (`*a`) and anchors (`&a`) in one file. Default 1,000.
    pub max_aliases: usize,
    /// Most parser events that alias expansion may replay in one file
    /// ("billion laughs" guard), and most events kept for anchors. Default
    /// 10,000: real templates rarely use anchors, and refusing a bomb stays
    /// well under a second even in debug builds.
    pub max_alias_expansion: usize,
    /// Most nodes (scalars, mappings, sequences) in one file. Default 1,000,000.
    pub max_nodes: usize,
    /// Most `${file(...)}` references followed in all (a file included twice
    /// counts twice). Default 256.
    pub max_includes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 10 * 1024 * 1024,
            max_depth: 64,
            max_aliases: 1_000,
            max_alias_expansion: 10_000,
            max_nodes: 1_000_000,
            max_includes: 256,
        }
    }
}

/// What [`read_stack`] learned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stack {
    /// What kind of file was named.
    pub kind: StackKind,
    /// Every resource, each logical ID once, in a deterministic order: for a
    /// template, the order of `Resources`; for a `serverless.yml`, first the
    /// resources Serverless generates (in the order listed in the
    /// `serverless` module), then those of `resources:` in
    /// the order they are first met (depth first through the list and its
    /// includes). A `resources:` entry with a generated logical ID keeps the
    /// generated entry's place; it changes its type and origin only if it
    /// gives a `Type` (Serverless deep-merges such entries).
    pub resources: Vec<StackResource>,
    /// Every file read, the named one first, then includes in the order they
    /// were first read.
    pub files: Vec<SourceFile>,
    /// Serverless variables the reader met where it needed a value (an
    /// include, a logical ID, a type, a function name), in the order met.
    /// The resources behind them are unknown.
    pub unresolved: Vec<Unresolved>,
    /// With [`read_stack_allowing_missing_includes`], the `${file(...)}`
    /// includes whose file does not exist, in the order met; always empty
    /// with [`read_stack`].
    pub missing_includes: Vec<MissingInclude>,
}

/// A `${file(...)}` include whose file does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingInclude {
    /// The `${file(...)}` string, in the including file.
    pub span: Span,
    /// The resolved path that was looked for.
    pub path: PathBuf,
}

/// What kind of file [`read_stack`] was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StackKind {
    /// A CloudFormation template or a `resources:` fragment.
    Template,
    /// A Serverless Framework service (`serverless.yml`).
    Serverless,
}

/// A file that was read; its text is in the [`Sources`] the reader was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as it was resolved (the named path, or the includer's
    /// directory joined with the include's path).
    pub path: PathBuf,
    /// Its id in the [`Sources`].
    pub file: FileId,
}

/// One CloudFormation resource of the stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackResource {
    /// The logical ID (`NotesTable`, `GetDashnoteLambdaFunction`).
    pub logical_id: String,
    /// The resource type (`AWS::DynamoDB::Table`).
    pub cfn_type: String,
    /// Where the resource comes from.
    pub origin: Origin,
}

/// Where a [`StackResource`] comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Written in a file.
    File {
        /// The logical ID's key.
        span: Span,
    },
    /// Generated by Serverless Framework from something in a file.
    Generated {
        /// What generates it, for messages: "function `get-note`".
        by: String,
        /// The thing that generates it (the function's key, the `http`
        /// event key, `provider`, `functions`).
        span: Span,
    },
}

impl Origin {
    /// Where it is written, or what generates it.
    pub fn span(&self) -> Span {
        match self {
            Origin::File { span } | Origin::Generated { span, .. } => *span,
        }
    }
}

/// A Serverless variable the reader could not follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    /// The string holding the variable.
    pub span: Span,
    /// The string itself (`${self:custom.extraResources}`).
    pub text: String,
}

/// Reads the stack in `path`: a CloudFormation template (YAML or JSON), a
/// `resources:` fragment, or a `serverless.yml` with its `${file(...)}`
/// includes. Each file read is added to `sources` (see [`Sources::add_read`]);
/// the stack's and the error's spans point into them.
///
/// # Errors
///
/// A [`StackError`] whose [`StackErrorKind`] says why; see each kind for
/// when it is returned.
pub fn read_stack(
    path: &Path,
    limits: &Limits,
    sources: &mut Sources,
) -> Result<Stack, StackError> {
    read(path, limits, false, sources)
}

/// Like [`read_stack`], but a `${file(...)}` include whose file does not
/// exist is not an error: it contributes nothing and is listed in
/// [`Stack::missing_includes`]. (A `serverless.yml` may include a file a
/// build has yet to write, such as the compiler's own output.) The named
/// file itself must still exist.
///
/// # Errors
///
/// As [`read_stack`], except [`StackErrorKind::NotFound`] for an include.
pub fn read_stack_allowing_missing_includes(
    path: &Path,
    limits: &Limits,
    sources: &mut Sources,
) -> Result<Stack, StackError> {
    read(path, limits, true, sources)
}

fn read(
    path: &Path,
    limits: &Limits,
    allow_missing: bool,
    sources: &mut Sources,
) -> Result<Stack, StackError> {
    let mut reader = Reader::new(limits, allow_missing, sources);
    let (_, root) = reader.load(path, Vec::new())?;
    let canonical = canonical(path).unwrap_or_else(|_| path.to_path_buf());
    reader.chain.push(Frame {
        canonical,
        shown: path.to_path_buf(),
        site: None,
    });
    let kind = if is_service(&root) {
        serverless::read_service(&mut reader, &root)?;
        StackKind::Serverless
    } else if root.get("Resources").is_some() {
        reader.template(&root, true)?;
        StackKind::Template
    } else {
        return Err(StackError::new(StackErrorKind::NotAStack, path));
    };
    let resources = reader.merged.finish()?;
    Ok(Stack {
        kind,
        resources,
        files: reader.files,
        unresolved: reader.unresolved,
        missing_includes: reader.missing,
    })
}

/// What Serverless Framework v3 generates (see [`serverless`]) for the
/// `serverless.yml` whose tree is `root`, read from a text already in
/// `sources`: for `idpc import`, which reads the file's text, to know the
/// generated names its `resources:` refer to. Its `${file(...)}` includes
/// are not followed (functions defined there are not listed); nothing is
/// read from disk. Empty when the file is not a `serverless.yml`.
pub(crate) fn serverless_generated(root: &Node, sources: &mut Sources) -> Vec<StackResource> {
    if !is_service(root) {
        return Vec::new();
    }
    let limits = Limits::default();
    let mut reader = Reader::new(&limits, true, sources);
    match serverless::generated_only(&mut reader, root) {
        Ok(()) => reader.merged.finish().unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

/// One file on the current include chain.
struct Frame {
    canonical: PathBuf,
    shown: PathBuf,
    /// Where the file before it in the chain included it.
    site: Option<IncludeSite>,
}

/// Whether a stack file's tree is a `serverless.yml` (it has `service`,
/// `provider` or `functions`) rather than a CloudFormation template.
pub(crate) fn is_service(root: &Node) -> bool {
    root.as_map().is_some()
        && ["service", "provider", "functions"]
            .iter()
            .any(|k| root.get(k).is_some())
}

/// The state of one [`read_stack`] call.
pub(crate) struct Reader<'a> {
    limits: &'a Limits,
    /// Whether a missing include is noted rather than an error.
    allow_missing: bool,
    missing: Vec<MissingInclude>,
    /// Where each file read is added, as it is read.
    sources: &'a mut Sources,
    /// The files read by this call, in the order first read.
    files: Vec<SourceFile>,
    /// Their parsed trees.
    trees: HashMap<FileId, Rc<Node>>,
    /// The include chain being followed, the named file first.
    chain: Vec<Frame>,
    unresolved: Vec<Unresolved>,
    /// `${file(...)}` references followed so far.
    includes: usize,
    merged: Merged,
}

fn canonical(path: &Path) -> std::io::Result<PathBuf> {
    std::fs::canonicalize(path)
}

fn io_error(e: &std::io::Error, path: &Path, included_from: &[IncludeSite]) -> StackError {
    let kind = if e.kind() == std::io::ErrorKind::NotFound {
        StackErrorKind::NotFound
    } else {
        StackErrorKind::Unreadable(e.to_string())
    };
    let mut err = StackError::new(kind, path);
    err.included_from = included_from.to_vec();
    err
}

impl<'a> Reader<'a> {
    /// A reader that has read nothing yet.
    fn new(limits: &'a Limits, allow_missing: bool, sources: &'a mut Sources) -> Reader<'a> {
        Reader {
            allow_missing,
            missing: Vec::new(),
            limits,
            sources,
            files: Vec::new(),
            trees: HashMap::new(),
            chain: Vec::new(),
            unresolved: Vec::new(),
            includes: 0,
            merged: Merged::default(),
        }
    }
}

impl Reader<'_> {
    /// Reads and parses `path` (or returns it if already read).
    fn load(
        &mut self,
        path: &Path,
        included_from: Vec<IncludeSite>,
    ) -> Result<(FileId, Rc<Node>), StackError> {
        let canonical = canonical(path).map_err(|e| io_error(&e, path, &included_from))?;
        if let Some(file) = self.sources.read_from(&canonical)
            && let Some(tree) = self.trees.get(&file)
        {
            return Ok((file, Rc::clone(tree)));
        }
        let with_chain = |mut e: StackError| {
            e.included_from.clone_from(&included_from);
            e
        };
        let limit = self.limits.max_file_bytes;
        // A FIFO or a device is refused before it is opened; the read stops
        // at the limit even if the file grows meanwhile.
        let bytes = match crate::files::read_regular(&canonical, limit) {
            Ok((bytes, _)) => bytes,
            Err(crate::files::ReadError::Io(e)) => return Err(io_error(&e, path, &included_from)),
            Err(crate::files::ReadError::TooLarge { bytes, limit }) => {
                return Err(with_chain(StackError::new(
                    StackErrorKind::TooLarge { bytes, limit },
                    path,
                )));
            }
            Err(refused) => {
                return Err(with_chain(StackError::new(
                    StackErrorKind::Unreadable(refused.reason("stack files")),
                    path,
                )));
            }
        };
        let name = path.display().to_string();
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let file = self.sources.add_read(&canonical, name, text);
                let span = Span::new(file, at, at + 1);
                let err = StackError::at(StackErrorKind::NotUtf8, path, self.sources, span);
                return Err(with_chain(err));
            }
        };
        let file = self.sources.add_read(&canonical, name, text);
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let tree = match tree::parse(self.sources.text(file), file, json, self.limits) {
            Ok(tree) => Rc::new(tree),
            Err((kind, span)) => {
                let err = match span {
                    Some(span) => StackError::at(kind, path, self.sources, span),
                    None => StackError::new(kind, path),
                };
                return Err(with_chain(err));
            }
        };
        self.files.push(SourceFile {
            path: path.to_path_buf(),
            file,
        });
        self.trees.insert(file, Rc::clone(&tree));
        Ok((file, tree))
    }

    /// The path `file` was read from by this call.
    fn path_of(&self, file: FileId) -> Option<&Path> {
        self.files
            .iter()
            .find(|f| f.file == file)
            .map(|f| f.path.as_path())
    }

    /// The include sites that lead to `file` on the current chain.
    fn sites_to(&self, file: FileId) -> Vec<IncludeSite> {
        let path = self.path_of(file);
        let pos = self
            .chain
            .iter()
            .rposition(|f| Some(f.shown.as_path()) == path)
            .unwrap_or(0);
        self.chain
            .iter()
            .take(pos + 1)
            .filter_map(|f| f.site.clone())
            .collect()
    }

    /// An error pointing at `span`.
    pub(crate) fn error(&self, span: Span, kind: StackErrorKind) -> StackError {
        let Some(path) = self.path_of(span.file) else {
            return StackError::new(kind, Path::new(""));
        };
        let mut err = StackError::at(kind, path, self.sources, span);
        err.included_from = self.sites_to(span.file);
        err
    }

    /// A Malformed error pointing at `span`.
    pub(crate) fn malformed(&self, span: Span, why: String) -> StackError {
        self.error(span, StackErrorKind::Malformed(why))
    }

    /// Notes a variable that could not be followed.
    pub(crate) fn unresolved(&mut self, node: &Node) {
        self.unresolved.push(Unresolved {
            span: node.span,
            text: node.as_str().unwrap_or_default().to_owned(),
        });
    }

    /// Calls `f` with the value `node` stands for: `node` itself, or, when it
    /// is a `${file(...)}` string, the (selected part of the) included file,
    /// followed with the include on the chain. Returns `None` (and notes the
    /// variable) when `node` is a string holding another variable.
    pub(crate) fn with_value<T>(
        &mut self,
        node: &Node,
        f: impl FnOnce(&mut Self, &Node) -> Result<T, StackError>,
    ) -> Result<Option<T>, StackError> {
        let Some(text) = node.as_str().filter(|s| s.contains("${")) else {
            return f(self, node).map(Some);
        };
        let Some(reference) = FileRef::parse(text) else {
            self.unresolved(node);
            return Ok(None);
        };
        let value = match self.enter(node, &reference) {
            Ok(entered) => entered,
            Err(e) if self.allow_missing && e.kind == StackErrorKind::NotFound => {
                self.missing.push(MissingInclude {
                    span: node.span,
                    path: e.file,
                });
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        // The selected value may itself be a `${file(...)}` string.
        let result = self.with_value(&value, f);
        self.chain.pop();
        result
    }

    /// Follows a `${file(...)}` reference made at `node`, pushing the target
    /// on the chain; returns the selected value (in the target file).
    fn enter(&mut self, node: &Node, reference: &FileRef) -> Result<Node, StackError> {
        let from = node.span.file;
        let Some(source) = self.path_of(from) else {
            return Err(StackError::new(StackErrorKind::NotFound, Path::new("")));
        };
        let base = source.parent().unwrap_or(Path::new(""));
        let target = base.join(&reference.path);
        let site = IncludeSite {
            file: source.to_path_buf(),
            span: node.span,
            line_col: line_col(self.sources.text(from), node.span.start),
        };
        let mut sites = self.sites_to(from);
        sites.push(site.clone());
        self.includes += 1;
        if self.includes > self.limits.max_includes {
            return Err(self.error(
                node.span,
                StackErrorKind::TooManyIncludes {
                    limit: self.limits.max_includes,
                },
            ));
        }
        let canonical = canonical(&target).map_err(|e| io_error(&e, &target, &sites))?;
        if let Some(pos) = self.chain.iter().position(|f| f.canonical == canonical) {
            let mut cycle: Vec<PathBuf> = self
                .chain
                .iter()
                .skip(pos)
                .map(|f| f.shown.clone())
                .collect();
            cycle.push(target.clone());
            return Err(self.error(node.span, StackErrorKind::IncludeCycle(cycle)));
        }
        let (idx, tree) = self.load(&target, sites)?;
        let mut value: &Node = &tree;
        for part in reference.selector.iter().flat_map(|s| s.split('.')) {
            value = match value.get(part) {
                Some(v) => v,
                None => {
                    return Err(self.malformed(
                        node.span,
                        format!(
                            "`{}` has no `{}`",
                            target.display(),
                            reference.selector.as_deref().unwrap_or_default()
                        ),
                    ));
                }
            };
        }
        let value = value.clone();
        self.chain.push(Frame {
            canonical,
            shown: self.path_of(idx).map_or(target, Path::to_path_buf),
            site: Some(site),
        });
        Ok(value)
    }

    /// Reads a template or `resources:` fragment (a mapping that may hold
    /// `Resources`). With `strict`, a resource without `Type` is an error
    /// at once; otherwise it may be an override of a generated resource.
    pub(crate) fn template(&mut self, root: &Node, strict: bool) -> Result<(), StackError> {
        if root.is_null() {
            return Ok(());
        }
        if root.as_map().is_none() {
            return Err(self.malformed(root.span, "expected a mapping with `Resources`".to_owned()));
        }
        let Some(resources) = root.get("Resources") else {
            return Ok(());
        };
        self.with_value(resources, |r, resources| r.resources_map(resources, strict))?;
        Ok(())
    }

    /// Reads the mapping under `Resources`.
    fn resources_map(&mut self, resources: &Node, strict: bool) -> Result<(), StackError> {
        if resources.is_null() {
            return Ok(());
        }
        let Some(entries) = resources.as_map() else {
            return Err(self.malformed(
                resources.span,
                "`Resources` must be a mapping of logical IDs to resources".to_owned(),
            ));
        };
        for (key, value) in entries {
            let Some(id) = key.as_str() else {
                return Err(self.malformed(key.span, "a logical ID must be a string".to_owned()));
            };
            if id.contains("${") {
                self.unresolved(key);
                continue;
            }
            let id = id.to_owned();
            let key_span = key.span;
            self.with_value(value, |r, value| r.resource(&id, key_span, value, strict))?;
        }
        Ok(())
    }

    /// Reads one resource: `id` (the key at `key_span`) whose body is `value`.
    fn resource(
        &mut self,
        id: &str,
        key_span: Span,
        value: &Node,
        strict: bool,
    ) -> Result<(), StackError> {
        let origin = Origin::File { span: key_span };
        if value.as_map().is_none() && (strict || !value.is_null()) {
            return Err(self.malformed(
                if value.is_null() {
                    key_span
                } else {
                    value.span
                },
                format!("resource `{id}` must be a mapping with a `Type`"),
            ));
        }
        match value.get("Type") {
            Some(t) => match t.as_str() {
                Some(ty) if ty.contains("${") => self.unresolved(t),
                Some(ty) => self.merged.add(id, Some(ty.to_owned()), origin, None),
                None => {
                    return Err(self.malformed(
                        t.span,
                        format!("the `Type` of resource `{id}` must be a string"),
                    ));
                }
            },
            None => {
                let err = self.malformed(key_span, format!("resource `{id}` has no `Type`"));
                if strict {
                    return Err(err);
                }
                self.merged.add(id, None, origin, Some(err));
            }
        }
        Ok(())
    }

    /// Adds a resource Serverless generates.
    pub(crate) fn generated(&mut self, id: String, ty: &str, by: String, span: Span) {
        self.merged.add(
            &id,
            Some(ty.to_owned()),
            Origin::Generated { by, span },
            None,
        );
    }
}

/// A parsed `${file(path)}` or `${file(path):Selector.Path}` string.
#[derive(Debug, PartialEq, Eq)]
struct FileRef {
    path: String,
    selector: Option<String>,
}

impl FileRef {
    /// Parses `text` when it is, as a whole, a `${file(...)}` reference
    /// without further variables inside.
    fn parse(text: &str) -> Option<FileRef> {
        let inner = text.trim().strip_prefix("${file(")?.strip_suffix('}')?;
        let (path, rest) = inner.split_once(')')?;
        let path = path.trim();
        let path = path
            .strip_prefix('\'')
            .and_then(|p| p.strip_suffix('\''))
            .or_else(|| path.strip_prefix('"').and_then(|p| p.strip_suffix('"')))
            .unwrap_or(path);
        if path.is_empty() || path.contains("${") || rest.contains("${") || rest.contains(',') {
            return None;
        }
        let lower = path.to_ascii_lowercase();
        if [".js", ".cjs", ".mjs", ".ts"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            return None;
        }
        let selector = match rest.trim() {
            "" => None,
            s => Some(s.strip_prefix(':')?.trim().to_owned()).filter(|s| !s.is_empty()),
        };
        if rest.trim().starts_with(':') && selector.is_none() {
            return None;
        }
        Some(FileRef {
            path: path.to_owned(),
            selector,
        })
    }
}

/// Resources merged in order, each logical ID once.
#[derive(Default)]
struct Merged {
    entries: Vec<MergedEntry>,
    index: HashMap<String, usize>,
}

struct MergedEntry {
    id: String,
    ty: Option<String>,
    origin: Origin,
    /// The error to return if no `Type` is ever given.
    missing_type: Option<StackError>,
}

impl Merged {
    fn add(
        &mut self,
        id: &str,
        ty: Option<String>,
        origin: Origin,
        missing_type: Option<StackError>,
    ) {
        match self.index.get(id).and_then(|&i| self.entries.get_mut(i)) {
            Some(entry) => {
                if ty.is_some() {
                    entry.ty = ty;
                    entry.origin = origin;
                }
            }
            None => {
                self.index.insert(id.to_owned(), self.entries.len());
                self.entries.push(MergedEntry {
                    id: id.to_owned(),
                    ty,
                    origin,
                    missing_type,
                });
            }
        }
    }

    fn finish(self) -> Result<Vec<StackResource>, StackError> {
        self.entries
            .into_iter()
            .map(|e| match e.ty {
                Some(cfn_type) => Ok(StackResource {
                    logical_id: e.id,
                    cfn_type,
                    origin: e.origin,
                }),
                None => Err(e.missing_type.unwrap_or_else(|| {
                    StackError::new(
                        StackErrorKind::Malformed(format!("resource `{}` has no `Type`", e.id)),
                        Path::new(""),
                    )
                })),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_refs() {
        let r = |p: &str, s: Option<&str>| {
            Some(FileRef {
                path: p.to_owned(),
                selector: s.map(str::to_owned),
            })
        };
        assert_eq!(FileRef::parse("${file(a/b.yml)}"), r("a/b.yml", None));
        assert_eq!(
            FileRef::parse("${file(./a.yml):Resources}"),
            r("./a.yml", Some("Resources"))
        );
        assert_eq!(FileRef::parse("${file('a.yml')}"), r("a.yml", None));
        assert_eq!(FileRef::parse("${file(${self:x}.yml)}"), None);
        assert_eq!(FileRef::parse("${file(a.yml), null}"), None);
        assert_eq!(FileRef::parse("${file(a.js):f}"), None);
        assert_eq!(FileRef::parse("${self:custom.x}"), None);
        assert_eq!(FileRef::parse("x ${file(a.yml)}"), None);
    }
}
