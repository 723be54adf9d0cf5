//! The language server's latency, through the protocol (an in-memory
//! connection to `idpc::lsp::serve`, the loop `idpc lsp` runs on stdio).
//! Run with `cargo bench --bench lsp`.
//!
//! - `lsp/diagnostics after an edit (1000 statements)`: a `didChange` of a
//!   1,000-statement program until its `publishDiagnostics` arrives: the
//!   whole of `idpc check` (parse, check, lints, proofs of the implied
//!   isolation, lowering into nothing) and the conversion; goal: 20 ms
//!   (median).
//! - `lsp/completion after s3: (1000 statements)`: a completion request in
//!   the same program until its answer; goal: 10 ms.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{Criterion, criterion_group, criterion_main};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::json;

/// The program of `benches/compile.rs`: `n` statements over the forms the
/// checker judges.
fn program(n: usize) -> String {
    let mut text = String::from(
        "use bucket Files\nuse table Notes\nuse rest_api Api\n\
         identity_pool Pool {\n  authenticated role {\n",
    );
    let lines = [
        "    allow s3:GetObject, s3:PutObject on Files/private/$<sub>/*\n",
        "    allow s3:ListBucket on Files when s3:prefix like \"private/$<sub>/*\"\n",
        "    allow dynamodb:GetItem, dynamodb:Query on Notes when all dynamodb:LeadingKeys == \"$<sub>\"\n",
        "    allow execute-api:Invoke on Api/*/GET/notes\n",
        "    allow s3:Get* on Files/public/*\n",
    ];
    for i in 0..n {
        text.push_str(lines[i % lines.len()]);
    }
    text.push_str("  }\n}\n");
    text
}

struct Client {
    connection: Connection,
    next_id: i32,
}

impl Client {
    fn start() -> Client {
        let (server, connection) = Connection::memory();
        std::thread::spawn(move || idpc::lsp::serve(&server).unwrap());
        let mut client = Client {
            connection,
            next_id: 0,
        };
        client.request("initialize", json!({ "capabilities": {} }));
        client.notify("initialized", json!({}));
        client
    }

    fn notify(&self, method: &str, params: serde_json::Value) {
        let message = Notification::new(method.to_string(), params);
        self.connection.sender.send(message.into()).unwrap();
    }

    fn request(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let request = Request::new(id.clone(), method.to_string(), params);
        self.connection.sender.send(request.into()).unwrap();
        loop {
            if let Message::Response(response) = self.connection.receiver.recv().unwrap()
                && response.id == id
            {
                return response.response_result.unwrap();
            }
        }
    }

    /// Waits for the diagnostics of `uri`; returns how many there are.
    fn diagnostics(&self, uri: &str) -> usize {
        loop {
            if let Message::Notification(n) = self.connection.receiver.recv().unwrap()
                && n.method == "textDocument/publishDiagnostics"
                && n.params["uri"] == uri
            {
                return n.params["diagnostics"].as_array().unwrap().len();
            }
        }
    }
}

fn lsp(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.idp");
    let uri = format!("file://{}", path.display());
    let text = program(1000);
    std::fs::write(&path, &text).unwrap();
    let mut client = Client::start();
    let document = json!({ "uri": uri, "languageId": "idp", "version": 1, "text": text });
    client.notify("textDocument/didOpen", json!({ "textDocument": document }));
    client.diagnostics(&uri);

    let mut group = c.benchmark_group("lsp");
    group.sample_size(30);
    let edited = [text.replace("GET/notes", "GET/note"), text.clone()];
    let mut version = 1;
    group.bench_function("diagnostics after an edit (1000 statements)", |b| {
        b.iter(|| {
            version += 1;
            let text = &edited[version as usize % 2];
            let change = json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] });
            client.notify("textDocument/didChange", change);
            client.diagnostics(&uri);
        })
    });

    // A statement being typed at the end of the role: `allow s3:`.
    let typing = text.replace("  }\n}\n", "    allow s3:\n  }\n}\n");
    let line = typing.lines().count() - 3;
    version += 1;
    let change = json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": typing }] });
    client.notify("textDocument/didChange", change);
    client.diagnostics(&uri);
    group.bench_function("completion after s3: (1000 statements)", |b| {
        b.iter(|| {
            let at = json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": 13 } });
            let list = client.request("textDocument/completion", at);
            assert!(list["items"].as_array().unwrap().len() > 100);
        })
    });
    group.finish();
}

criterion_group!(benches, lsp);
criterion_main!(benches);
