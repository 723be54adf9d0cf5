//! `idpc lsp`: the language server, over stdio.
//!
//! Built on rust-analyzer's `lsp-server` (a synchronous JSON-RPC transport)
//! and `lsp-types`. One thread answers every message in turn: a program is
//! checked in milliseconds (BENCHMARKS.md), so nothing is queued behind a
//! long job. Documents are synchronised whole (full-text sync).
//!
//! Robustness: no handler may take the server down. Each runs under
//! `catch_unwind` as a last resort (the crate denies `unwrap`, `expect` and
//! `panic!`, so a panic is a bug); a request that fails gets an error
//! response, a notification that fails is logged to stderr.
//!
//! One module per feature: `diagnostics` (what `idpc check` says, per
//! file), `hover`, `completion`, `definition` (definition, references,
//! rename), `symbols`, `format` and `actions` (quick fixes); `index`
//! reads a half-typed program, `stacks` its stack files, `text`
//! converts positions and URIs.

mod actions;
mod completion;
mod definition;
mod diagnostics;
mod format;
mod hover;
mod index;
mod stacks;
mod symbols;
mod text;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types as lt;
use lsp_types::notification::Notification as _;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// Serves the protocol on stdin and stdout until the client says `exit`.
///
/// # Errors
///
/// The transport failed (stdin closed before `initialize`, a message that
/// is not JSON-RPC): a description for stderr.
pub fn run_stdio() -> Result<(), String> {
    let (connection, io) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    io.join().map_err(|err| err.to_string())
}

/// What the server offers.
fn capabilities() -> lt::ServerCapabilities {
    lt::ServerCapabilities {
        text_document_sync: Some(lt::TextDocumentSyncCapability::Options(
            lt::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lt::TextDocumentSyncKind::FULL),
                save: Some(lt::TextDocumentSyncSaveOptions::Supported(true)),
                ..lt::TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(lt::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lt::CompletionOptions {
            trigger_characters: Some(vec![
                ":".to_string(),
                " ".to_string(),
                "<".to_string(),
                "\"".to_string(),
            ]),
            ..lt::CompletionOptions::default()
        }),
        definition_provider: Some(lt::OneOf::Left(true)),
        references_provider: Some(lt::OneOf::Left(true)),
        rename_provider: Some(lt::OneOf::Right(lt::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: lt::WorkDoneProgressOptions::default(),
        })),
        document_symbol_provider: Some(lt::OneOf::Left(true)),
        document_formatting_provider: Some(lt::OneOf::Left(true)),
        code_action_provider: Some(lt::CodeActionProviderCapability::Simple(true)),
        ..lt::ServerCapabilities::default()
    }
}

/// Serves one connection: the handshake, then every message until
/// `shutdown` and `exit`.
///
/// # Errors
///
/// The transport failed.
pub fn serve(connection: &Connection) -> Result<(), String> {
    let capabilities = serde_json::to_value(capabilities()).map_err(|err| err.to_string())?;
    let init = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "idpc", "version": env!("CARGO_PKG_VERSION") },
    });
    let (id, _params) = connection
        .initialize_start()
        .map_err(|err| err.to_string())?;
    connection
        .sender
        .send(Response::new_ok(id, init).into())
        .map_err(|err| err.to_string())?;
    match connection.receiver.recv() {
        Ok(Message::Notification(n)) if n.method == "initialized" => {}
        Ok(other) => return Err(format!("expected `initialized`, got {other:?}")),
        Err(err) => return Err(err.to_string()),
    }
    let mut server = Server::default();
    for message in &connection.receiver {
        let outgoing = match message {
            Message::Request(request) => {
                if connection
                    .handle_shutdown(&request)
                    .map_err(|err| err.to_string())?
                {
                    return Ok(());
                }
                vec![Message::Response(server.request(request))]
            }
            Message::Notification(notification) => server.notification(notification),
            Message::Response(_) => Vec::new(),
        };
        for message in outgoing {
            connection
                .sender
                .send(message)
                .map_err(|err| err.to_string())?;
        }
    }
    Ok(())
}

/// An open document.
pub(crate) struct Document {
    pub text: String,
    /// Its file, for `file://` documents.
    pub path: Option<PathBuf>,
    /// The client's version of the text, sent back with its diagnostics.
    pub version: i32,
}

/// Why a request failed: its error response.
pub(crate) struct Failure {
    pub code: i32,
    pub message: String,
}

impl Failure {
    /// A request the server cannot answer as asked (a file that does not
    /// parse, an invalid new name).
    pub(crate) fn refused(message: impl Into<String>) -> Failure {
        Failure {
            code: ErrorCode::RequestFailed as i32,
            message: message.into(),
        }
    }

    fn invalid_params(err: impl std::fmt::Display) -> Failure {
        Failure {
            code: ErrorCode::InvalidParams as i32,
            message: err.to_string(),
        }
    }
}

/// The server's state: open documents, what it published, the stacks read.
#[derive(Default)]
pub(crate) struct Server {
    documents: HashMap<String, Document>,
    /// Per open program, the other files it published diagnostics to (to
    /// clear them when they have none any more).
    published: HashMap<String, Vec<lt::Uri>>,
    pub(crate) stacks: stacks::StackCache,
}

fn params<P: DeserializeOwned>(value: serde_json::Value) -> Result<P, Failure> {
    serde_json::from_value(value).map_err(Failure::invalid_params)
}

fn to_json(value: impl serde::Serialize) -> Result<serde_json::Value, Failure> {
    serde_json::to_value(value).map_err(Failure::invalid_params)
}

impl Server {
    /// Answers a request: its result, or an error response (never a crash).
    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let method = request.method.clone();
        let answered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.answer(&request.method, request.params)
        }));
        match answered {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err(failure)) => Response::new_err(id, failure.code, failure.message),
            Err(_) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("idpc lsp: internal error answering `{method}` (please report it)"),
            ),
        }
    }

    fn answer(
        &mut self,
        method: &str,
        value: serde_json::Value,
    ) -> Result<serde_json::Value, Failure> {
        use lsp_types::request::{self as r, Request as _};
        match method {
            r::HoverRequest::METHOD => to_json(hover::hover(self, params(value)?)?),
            r::Completion::METHOD => to_json(completion::completion(self, params(value)?)?),
            r::GotoDefinition::METHOD => to_json(definition::definition(self, params(value)?)?),
            r::References::METHOD => to_json(definition::references(self, params(value)?)?),
            r::PrepareRenameRequest::METHOD => {
                to_json(definition::prepare_rename(self, params(value)?)?)
            }
            r::Rename::METHOD => to_json(definition::rename(self, params(value)?)?),
            r::DocumentSymbolRequest::METHOD => to_json(symbols::symbols(self, params(value)?)?),
            r::Formatting::METHOD => to_json(format::format(self, params(value)?)?),
            r::CodeActionRequest::METHOD => to_json(actions::actions(self, params(value)?)?),
            _ => Err(Failure {
                code: ErrorCode::MethodNotFound as i32,
                message: format!("idpc lsp does not answer `{method}`"),
            }),
        }
    }

    /// Takes a notification in; returns the messages it causes.
    fn notification(&mut self, notification: Notification) -> Vec<Message> {
        let method = notification.method.clone();
        let handled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.notified(&notification.method, notification.params)
        }));
        match handled {
            Ok(Ok(messages)) => messages,
            Ok(Err(failure)) => {
                eprintln!("idpc lsp: `{method}`: {}", failure.message);
                Vec::new()
            }
            Err(_) => {
                eprintln!("idpc lsp: internal error handling `{method}` (please report it)");
                Vec::new()
            }
        }
    }

    fn notified(
        &mut self,
        method: &str,
        value: serde_json::Value,
    ) -> Result<Vec<Message>, Failure> {
        use lsp_types::notification as n;
        match method {
            n::DidOpenTextDocument::METHOD => {
                let p: lt::DidOpenTextDocumentParams = params(value)?;
                let uri = p.text_document.uri;
                let path = text::uri_to_path(&uri);
                let document = Document {
                    text: p.text_document.text,
                    path,
                    version: p.text_document.version,
                };
                self.documents.insert(uri.as_str().to_string(), document);
                Ok(self.diagnose(&uri))
            }
            n::DidChangeTextDocument::METHOD => {
                let p: lt::DidChangeTextDocumentParams = params(value)?;
                let uri = p.text_document.uri;
                if let Some(document) = self.documents.get_mut(uri.as_str()) {
                    document.version = p.text_document.version;
                    for change in p.content_changes {
                        apply(&mut document.text, change);
                    }
                }
                Ok(self.diagnose(&uri))
            }
            // A saved or changed stack file (`serverless.yml`, a template,
            // `idpc.toml`: the editor watches them for the server, since
            // they are not `.idp` documents) changes what the programs read.
            n::DidSaveTextDocument::METHOD | n::DidChangeWatchedFiles::METHOD => {
                let uris: Vec<String> = self.documents.keys().cloned().collect();
                Ok(uris
                    .iter()
                    .filter_map(|u| u.parse::<lt::Uri>().ok())
                    .flat_map(|u| self.diagnose(&u))
                    .collect())
            }
            n::DidCloseTextDocument::METHOD => {
                let p: lt::DidCloseTextDocumentParams = params(value)?;
                let uri = p.text_document.uri;
                self.documents.remove(uri.as_str());
                let others = self.published.remove(uri.as_str()).unwrap_or_default();
                Ok(std::iter::once(uri)
                    .chain(others)
                    .map(|u| publish(u, Vec::new(), None))
                    .collect())
            }
            _ => Ok(Vec::new()),
        }
    }

    /// The open document at a URI.
    pub(crate) fn document(&self, uri: &lt::Uri) -> Result<&Document, Failure> {
        self.documents
            .get(uri.as_str())
            .ok_or_else(|| Failure::refused(format!("`{}` is not open", uri.as_str())))
    }

    /// Checks an open program and publishes its diagnostics: to it, to
    /// the stack files they point into, and nothing (a clear) to the
    /// files that had some and have none now.
    fn diagnose(&mut self, uri: &lt::Uri) -> Vec<Message> {
        let Some(document) = self.documents.get(uri.as_str()) else {
            return Vec::new();
        };
        if !is_program(uri, document) {
            return Vec::new();
        }
        let found = diagnostics::check(document.path.as_deref(), &document.text);
        let version = document.version;
        let mut by_uri: BTreeMap<String, (lt::Uri, Vec<lt::Diagnostic>)> = BTreeMap::new();
        for (target, list) in found {
            let target_uri = match target {
                diagnostics::Target::Program => Some(uri.clone()),
                diagnostics::Target::File(path) => text::path_to_uri(&path),
            };
            if let Some(target_uri) = target_uri {
                let entry = by_uri
                    .entry(target_uri.as_str().to_string())
                    .or_insert_with(|| (target_uri, Vec::new()));
                entry.1.extend(list);
            }
        }
        let before = self.published.remove(uri.as_str()).unwrap_or_default();
        let mut messages = Vec::new();
        for stale in before
            .into_iter()
            .filter(|u| !by_uri.contains_key(u.as_str()))
        {
            messages.push(publish(stale, Vec::new(), None));
        }
        let others = by_uri
            .values()
            .map(|(u, _)| u.clone())
            .filter(|u| u != uri)
            .collect();
        self.published.insert(uri.as_str().to_string(), others);
        messages.extend(by_uri.into_values().map(|(u, list)| {
            // The version is the program's; the other files are not its.
            let of_program = (&u == uri).then_some(version);
            publish(u, list, of_program)
        }));
        messages
    }
}

/// Applies one change: the whole text (what the server asks for), or a
/// range of it (what a client may send anyway).
fn apply(text: &mut String, change: lt::TextDocumentContentChangeEvent) {
    let Some(range) = change.range else {
        *text = change.text;
        return;
    };
    let index = text::LineIndex::new(text);
    let (start, end) = (index.offset(range.start), index.offset(range.end));
    if start <= end {
        text.replace_range(start..end, &change.text);
    }
}

/// Whether a document is a program (not a stack file the editor also has open).
fn is_program(uri: &lt::Uri, document: &Document) -> bool {
    match &document.path {
        Some(path) => path.extension().is_none_or(|e| e == "idp"),
        None => uri.as_str().ends_with(".idp") || !uri.as_str().contains('.'),
    }
}

fn publish(uri: lt::Uri, diagnostics: Vec<lt::Diagnostic>, version: Option<i32>) -> Message {
    let params = lt::PublishDiagnosticsParams {
        uri,
        diagnostics,
        version,
    };
    Notification::new(
        lsp_types::notification::PublishDiagnostics::METHOD.to_string(),
        params,
    )
    .into()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::index::Outline;
    use super::text::LineIndex;

    #[test]
    fn a_ranged_change_edits_its_range() {
        let mut text = "allow é:x on B".to_string();
        let change = lsp_types::TextDocumentContentChangeEvent {
            range: Some(lsp_types::Range::new(
                lsp_types::Position::new(0, 6),
                lsp_types::Position::new(0, 9),
            )),
            range_length: None,
            text: "s3:GetObject".to_string(),
        };
        super::apply(&mut text, change);
        assert_eq!(text, "allow s3:GetObject on B");
    }

    /// Half-typed and hostile texts, at every byte offset: hover,
    /// completion and the statement reader answer (something or nothing),
    /// never panic.
    #[test]
    fn the_editor_features_read_any_text_at_any_offset() {
        let texts = [
            "",
            "allow",
            "use \"",
            "use bucket B\nidentity_pool P {\n  authenticated role {\n    allow s3:Get* on B/$<sub>/* when s3:prefix like \"a\" and aws:SourceIp ip \"1\"\n",
            "identity_pool P {\n  map U by rules {\n    \"cognito:groups\" contains \"a\" => R\n  principal_tags U { \"t\" = \"sub\" }\n allow s3: on \"$<aws:PrincipalTag/",
            "é𝄞 allow é:𝄞 on 𝄞/é when é: 𝄞 \"é\\\"𝄞 # é\n$<$<${${{{}}}>>",
            "\u{feff}\r\n\t\u{0}}{][)(,=\"\\\"#",
            "allow read, write, list on Nope/*/$<sub when $<aws:PrincipalTag/x> ==",
            "output X = Y.Arn\nrole R { allow s3:GetObject on R }\nexpect R only via cognito:groups contains \"a\"",
        ];
        for text in texts {
            let outline = Outline::read(text);
            let index = LineIndex::new(text);
            for offset in 0..=text.len() + 1 {
                let _ = super::hover::describe(text, None, &outline, &[], offset);
                let _ = super::completion::complete_at(text, &outline, &[], offset);
                let _ = outline.statement_at(text, offset);
                let position = index.position(offset);
                assert!(index.offset(position) <= text.len());
            }
        }
    }
}
