//! `idpc lsp`: the language server, on stdin and stdout.

use super::{EXIT_IO, EXIT_OK};

/// Serves the Language Server Protocol until the client says `exit`.
pub(super) fn run() -> u8 {
    match idpc::lsp::run_stdio() {
        Ok(()) => EXIT_OK,
        Err(message) => {
            eprintln!("idpc lsp: {message}");
            EXIT_IO
        }
    }
}
