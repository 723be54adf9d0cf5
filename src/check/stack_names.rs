//! Names learned from stack files (`use "serverless.yml"`).
//!
//! The checker does no I/O: the caller reads the files a program names and
//! hands over each file's resources as an [`StackFile`]. Imported names are
//! declared before anything else, so the program's own names clash with
//! them like with any other declaration.

use super::error::{CheckErrorKind, Declared};
use super::kinds::{kind_info, kind_of_cfn_type};
use super::{Checker, Symbol};
use crate::syntax::ast::{self, Kind, Name, Span};

/// The resources one `use "path"` made known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackFile {
    /// The path string in `use "path"`.
    pub at: Span,
    /// The resources of the stack, each logical ID once.
    pub resources: Vec<StackResource>,
}

/// One resource of an imported stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackResource {
    /// Its logical ID.
    pub logical_id: String,
    /// Its CloudFormation type.
    pub cfn_type: String,
    /// Where: the logical ID's key in its file, or what generates it. The
    /// same resource reached through two `use` lines has the same span, and
    /// is declared once.
    pub span: Span,
    /// For a resource Serverless generates, what generates it
    /// ("function `get-note`").
    pub generated_by: Option<String>,
}

impl Checker {
    /// Declares every imported resource; a logical ID imported from two
    /// different places is reported at the later `use` line.
    /// Reports every `use "path"` line no stack file was given for.
    pub(super) fn stack_files_read(&mut self, program: &ast::Program, stack: &[StackFile]) {
        for item in &program.items {
            let ast::Item::UseFile(use_file) = item else {
                continue;
            };
            let span = use_file.path.span;
            if !stack.iter().any(|file| file.at == span) {
                let written = use_file.path.as_written();
                self.problem(span, CheckErrorKind::StackFileNotRead { written });
            }
        }
    }

    pub(super) fn declare_imports(&mut self, imports: &[StackFile]) {
        for import in imports {
            for resource in &import.resources {
                let declared = Declared::Imported {
                    span: resource.span,
                    generated_by: resource.generated_by.clone(),
                };
                if let Some(first) = self.symbols.get(&resource.logical_id) {
                    if first.declared != declared {
                        let kind = CheckErrorKind::ImportedTwice {
                            name: resource.logical_id.clone(),
                            first: first.declared.clone(),
                            second: declared,
                        };
                        self.problem(import.at, kind);
                    }
                    continue;
                }
                let symbol = Symbol {
                    cfn_type: resource.cfn_type.clone(),
                    kind: kind_of_cfn_type(&resource.cfn_type),
                    declared,
                    used: false,
                };
                self.symbols.insert(resource.logical_id.clone(), symbol);
            }
        }
    }

    /// `use KIND Name` for a name a stack file already declares: agreeing
    /// kinds make the `use` line the declaration (so it can be reported as
    /// unused); disagreeing ones are reported. Returns false when `name` is
    /// not imported.
    pub(super) fn use_imported(&mut self, name: &Name, kind: Kind) -> bool {
        let Some(symbol) = self.symbols.get_mut(&name.node) else {
            return false;
        };
        if !matches!(symbol.declared, Declared::Imported { .. }) {
            return false;
        }
        if symbol.kind == Some(kind) {
            symbol.declared = Declared::Use(name.span);
            return true;
        }
        let found = match symbol.kind {
            Some(found) => format!("a `{found}` (`{}`)", symbol.cfn_type),
            None => format!("a `{}`", symbol.cfn_type),
        };
        let problem = CheckErrorKind::KindConflict {
            name: name.node.clone(),
            kind,
            cfn_type: kind_info(kind).cfn_type,
            found,
            imported: symbol.declared.clone(),
        };
        self.problem(name.span, problem);
        true
    }
}
