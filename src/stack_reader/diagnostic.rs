//! How a stack file that could not be read is reported: the code, message,
//! labels (the file, its include chain, the `use` line) and help of every
//! [`StackErrorKind`].

use super::{StackError, StackErrorKind};
use crate::diag::{Code, Diagnostic, Label};
use crate::syntax::ast::Span;

impl StackErrorKind {
    /// The code it is reported under: E0301 for a file that cannot be
    /// found or read, E0302 for one that is not a stack idpc can read,
    /// E0303 for one beyond idpc's reading limits.
    pub fn code(&self) -> Code {
        match self {
            StackErrorKind::NotFound | StackErrorKind::Unreadable(_) => Code::E0301,
            StackErrorKind::NotUtf8
            | StackErrorKind::Malformed(_)
            | StackErrorKind::NotAStack
            | StackErrorKind::IncludeCycle(_) => Code::E0302,
            StackErrorKind::TooLarge { .. }
            | StackErrorKind::TooDeep { .. }
            | StackErrorKind::AliasBudget(_)
            | StackErrorKind::TooComplex(_)
            | StackErrorKind::TooManyIncludes { .. } => Code::E0303,
        }
    }
}

impl StackError {
    /// The diagnostic for a stack file named by `use "path"` (written as
    /// `written`, at `at` in the program) that could not be read. The files
    /// the error points into are those the reader added to its sources.
    pub fn to_diagnostic(&self, at: Span, written: &str) -> Diagnostic {
        let code = self.kind.code();
        let (message, label) = self.headline(written);
        let mut diagnostic = Diagnostic::unlabelled(code, message);
        for label in self.labels(at, written, label) {
            diagnostic = diagnostic.with_labelled(label);
        }
        diagnostic.with_help(match code {
            Code::E0301 => {
                "`use` paths are relative to the directory of the `.idp` file; fix the path or create the file"
            }
            Code::E0303 => {
                "idpc reads stack files within fixed limits (see `idpc explain E0303`); check that `use` names the file you meant"
            }
            _ => {
                "fix the file so Serverless Framework or CloudFormation would accept it, or `use` another file"
            }
        })
    }

    /// The diagnostic for the template or `serverless.yml` that `idpc check`
    /// was given, or one of its includes, that could not be read.
    pub fn to_audit_diagnostic(&self) -> Diagnostic {
        let code = self.kind.code();
        let shown = self.file.display().to_string();
        let (message, label) = self.headline(&shown);
        let mut diagnostic = Diagnostic::unlabelled(code, message);
        for label in self.labels(Span::synthetic(), &shown, label) {
            diagnostic = diagnostic.with_labelled(label);
        }
        diagnostic.with_help(match code {
            Code::E0301 => "check the path, and the `${file(...)}` includes of the stack",
            Code::E0303 => "idpc reads stack files within fixed limits (see `idpc explain E0303`)",
            _ => "fix the file so Serverless Framework or CloudFormation would accept it",
        })
    }

    /// The message, and what the primary label says.
    fn headline(&self, written: &str) -> (String, String) {
        let shown = self.file.display().to_string();
        match &self.kind {
            StackErrorKind::NotFound if self.included_from.is_empty() => (
                format!("cannot find `{written}`"),
                format!("no file at `{shown}`"),
            ),
            StackErrorKind::NotFound => (
                format!("cannot find `{shown}`, included by the stack"),
                format!("no file at `{shown}`"),
            ),
            StackErrorKind::Unreadable(why) => {
                (format!("cannot read `{shown}`: {why}"), why.clone())
            }
            StackErrorKind::NotUtf8 => (
                format!("`{shown}` is not UTF-8"),
                "invalid UTF-8 here".to_string(),
            ),
            StackErrorKind::Malformed(why) => (
                format!("`{shown}` is not a stack idpc can read: {why}"),
                why.clone(),
            ),
            StackErrorKind::NotAStack | StackErrorKind::IncludeCycle(_) => (
                format!("`{shown}` is not a stack idpc can read"),
                self.kind.to_string(),
            ),
            _ => (
                format!("`{shown}` is refused: {}", self.kind),
                "beyond idpc's reading limits".to_string(),
            ),
        }
    }

    /// The file at fault (when it was read), the include chain, innermost
    /// first, and the `use` line; the first of them is the primary label.
    fn labels(&self, at: Span, written: &str, label: String) -> Vec<Label> {
        let mut labels = Vec::new();
        if let Some(span) = self.span {
            labels.push(Label::new(span, label.clone(), true));
        }
        // Innermost include first: the one that names the file at fault.
        for site in self.included_from.iter().rev() {
            let primary = labels.is_empty();
            let message = if primary {
                label.clone()
            } else {
                "included here".to_string()
            };
            labels.push(Label::new(site.span, message, primary));
        }
        if at.is_synthetic() {
            // Named on the command line, not by a `use` line.
            return labels;
        }
        let primary = labels.is_empty();
        let message = if primary {
            label
        } else {
            format!("the stack `{written}` is read here")
        };
        labels.push(Label::new(at, message, primary));
        labels
    }
}
