//! The resources of the stack files a program reads (`use "path"`), with
//! where each is written, for hover, completion and go-to-definition. Read
//! with the compiler's stack reader, and kept until a file changes on disk.

use super::text::{LineIndex, normalize};
use crate::check::kinds::kind_of_cfn_type;
use crate::diag::Sources;
use crate::stack_reader::{self, Limits};
use crate::syntax::ast::Kind;
use lsp_types as lt;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// One resource of a stack.
#[derive(Clone, Debug)]
pub(crate) struct StackEntry {
    pub logical_id: String,
    pub cfn_type: String,
    pub kind: Option<Kind>,
    /// The file it is written in (or what generates it).
    pub path: PathBuf,
    pub range: lt::Range,
    /// What Serverless generates it from, if generated.
    pub generated_by: Option<String>,
}

/// A stack read once, and the files it was read from with their times.
struct Cached {
    stamps: Vec<(PathBuf, Option<SystemTime>)>,
    entries: Arc<Vec<StackEntry>>,
}

/// Stacks read so far, by path.
#[derive(Default)]
pub(crate) struct StackCache {
    stacks: HashMap<PathBuf, Cached>,
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl StackCache {
    /// The resources of the stack at `path` (none when it cannot be read).
    pub(crate) fn entries(&mut self, path: &Path) -> Arc<Vec<StackEntry>> {
        let path = normalize(path);
        if let Some(cached) = self.stacks.get(&path)
            && cached.stamps.iter().all(|(p, at)| modified(p) == *at)
        {
            return Arc::clone(&cached.entries);
        }
        let (stamps, entries) = read(&path);
        let entries = Arc::new(entries);
        self.stacks.insert(
            path,
            Cached {
                stamps,
                entries: Arc::clone(&entries),
            },
        );
        entries
    }

    /// The resources of every stack a program at `program` reads.
    pub(crate) fn of_program(
        &mut self,
        program: Option<&Path>,
        use_files: &[super::index::UseFile],
    ) -> Vec<StackEntry> {
        let Some(dir) = program.and_then(Path::parent) else {
            return Vec::new();
        };
        use_files
            .iter()
            .flat_map(|u| self.entries(&dir.join(&u.path)).as_ref().clone())
            .collect()
    }
}

type Stamps = Vec<(PathBuf, Option<SystemTime>)>;

fn read(path: &Path) -> (Stamps, Vec<StackEntry>) {
    let mut sources = Sources::new();
    let Ok(stack) =
        stack_reader::read_stack_allowing_missing_includes(path, &Limits::default(), &mut sources)
    else {
        return (vec![(path.to_path_buf(), modified(path))], Vec::new());
    };
    let stamps = stack
        .files
        .iter()
        .map(|f| (f.path.clone(), modified(&f.path)))
        .collect();
    let entries = stack
        .resources
        .iter()
        .filter_map(|resource| {
            let span = resource.origin.span();
            let file = stack.files.iter().find(|f| f.file == span.file)?;
            let range = LineIndex::new(sources.text(span.file)).range(span.start, span.end);
            Some(StackEntry {
                logical_id: resource.logical_id.clone(),
                cfn_type: resource.cfn_type.clone(),
                kind: kind_of_cfn_type(&resource.cfn_type),
                path: normalize(&file.path),
                range,
                generated_by: match &resource.origin {
                    stack_reader::Origin::Generated { by, .. } => Some(by.clone()),
                    stack_reader::Origin::File { .. } => None,
                },
            })
        })
        .collect();
    (stamps, entries)
}
