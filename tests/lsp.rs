//! `idpc lsp` spoken to over stdio, as an editor does: JSON-RPC messages
//! framed by `Content-Length` headers. Every wait is under a hang watchdog
//! of minutes; nothing asserts a time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

/// Past this, the server counts as hung.
const WATCHDOG: Duration = Duration::from_secs(300);

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications read while waiting for something else.
    pending: Vec<Value>,
    next_id: i64,
    /// The document version of the diagnostics last read.
    last_version: Option<i64>,
}

/// Reads one framed message.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_idpc"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            incoming,
            pending: Vec::new(),
            next_id: 0,
            last_version: None,
        };
        let init = client.request(
            "initialize",
            json!({ "capabilities": {}, "processId": null, "rootUri": null }),
        );
        assert!(
            init["capabilities"]["hoverProvider"].as_bool().unwrap(),
            "{init}"
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn receive(&mut self) -> Value {
        match self.incoming.recv_timeout(WATCHDOG) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => {
                panic!("no message from `idpc lsp` in {WATCHDOG:?}: a hang")
            }
            Err(RecvTimeoutError::Disconnected) => {
                let mut err = String::new();
                let _ = self
                    .child
                    .stderr
                    .take()
                    .map(|mut e| e.read_to_string(&mut err));
                panic!("`idpc lsp` closed its output:\n{err}");
            }
        }
    }

    /// The whole response (result or error) to a request.
    fn respond(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive();
            if message["id"] == json!(id) && message.get("method").is_none() {
                return message;
            }
            self.pending.push(message);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.respond(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics_for(&mut self, uri: &str) -> Vec<Value> {
        let wanted = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        let found = match self.pending.iter().position(wanted) {
            Some(at) => self.pending.remove(at),
            None => loop {
                let message = self.receive();
                if wanted(&message) {
                    break message;
                }
                self.pending.push(message);
            },
        };
        self.last_version = found["params"]["version"].as_i64();
        found["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, uri: &str, text: &str) {
        let document = json!({ "uri": uri, "languageId": "idp", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": document }));
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    /// `shutdown`, `exit`, and the exit status.
    fn stop(mut self) -> i32 {
        let answer = self.request("shutdown", Value::Null);
        assert_eq!(answer, Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        let mut err = String::new();
        let _ = self
            .child
            .stderr
            .take()
            .map(|mut e| e.read_to_string(&mut err));
        assert!(!err.contains("panicked"), "{err}");
        status.code().unwrap()
    }
}

fn at(line: u32, character: u32, uri: &str) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

const SERVERLESS: &str = "service: notes\nprovider:\n  name: aws\n  runtime: nodejs20.x\nresources:\n  Resources:\n    AttachmentsBucket:\n      Type: AWS::S3::Bucket\n";

const BROKEN: &str = "use \"serverless.yml\"\n# tenant's bucket — café\nidentity_pool Pool {\n  authenticated role Reader {\n    allow s3:GetObject on AttachmentBucket/private/$<sub>/*\n  }\n}\n";

fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("serverless.yml"), SERVERLESS).unwrap();
    let program = dir.path().join("app.idp");
    std::fs::write(&program, BROKEN).unwrap();
    (dir, program)
}

#[test]
fn diagnostics_appear_as_typed_and_clear_when_fixed() {
    let (_dir, program) = project();
    let uri = uri_of(&program);
    let mut client = Client::start();
    client.open(&uri, BROKEN);
    let diagnostics = client.diagnostics_for(&uri);
    let unknown = diagnostics
        .iter()
        .find(|d| d["code"] == "E0101")
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    // `AttachmentBucket` on line 4, after 26 characters.
    assert_eq!(
        unknown["range"]["start"],
        json!({ "line": 4, "character": 26 })
    );
    assert_eq!(
        unknown["range"]["end"],
        json!({ "line": 4, "character": 42 })
    );
    assert!(
        unknown["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `AttachmentsBucket`?"),
        "{unknown}"
    );
    // The quick fix writes the suggestion over the underlined name.
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": unknown["range"], "context": { "diagnostics": [unknown] } }),
    );
    let fix = &actions[0]["edit"]["changes"][&uri][0];
    assert_eq!(fix["newText"], "AttachmentsBucket");
    assert_eq!(fix["range"], unknown["range"]);
    let fixed = BROKEN.replace("AttachmentBucket", "AttachmentsBucket");
    client.change(&uri, 2, &fixed);
    let after = client.diagnostics_for(&uri);
    assert_eq!(
        client.last_version,
        Some(2),
        "the diagnostics are of version 2"
    );
    assert!(
        after.iter().all(|d| d["severity"] != 1),
        "no stale error: {after:?}"
    );
    assert!(after.iter().all(|d| d["code"] != "E0101"), "{after:?}");
    assert_eq!(client.stop(), 0);
}

#[test]
fn hover_completion_definition_and_formatting() {
    let (_dir, program) = project();
    let uri = uri_of(&program);
    let text = BROKEN.replace("AttachmentBucket", "AttachmentsBucket");
    let mut client = Client::start();
    client.open(&uri, &text);
    client.diagnostics_for(&uri);

    let hover = client.request("textDocument/hover", at(4, 12, &uri));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("`s3:GetObject`") && shown.contains("access level **Read**"),
        "{shown}"
    );

    let stack = client.request("textDocument/hover", at(0, 8, &uri));
    let shown = stack["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("`AttachmentsBucket` (bucket)"), "{shown}");

    let sub = client.request("textDocument/hover", at(4, 55, &uri));
    assert!(
        sub["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("identity ID"),
        "{sub}"
    );

    // Definition of the bucket: its key in serverless.yml (line 7, 0-based 6).
    let definition = client.request("textDocument/definition", at(4, 30, &uri));
    assert!(
        definition["uri"]
            .as_str()
            .unwrap()
            .ends_with("/serverless.yml"),
        "{definition}"
    );
    assert_eq!(definition["range"]["start"]["line"], 6);

    // Completion after `s3:` in a new statement.
    let typing = text.replace("  }\n}", "    allow s3:\n  }\n}");
    client.change(&uri, 2, &typing);
    let list = client.request("textDocument/completion", at(5, 13, &uri));
    let labels: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"s3:GetObject"), "{labels:?}");
    assert!(labels.iter().all(|l| l.starts_with("s3:")), "{labels:?}");

    // Formatting a badly laid-out program; refusing one that does not parse.
    let messy = "use bucket   B\nidentity_pool P{authenticated role {allow s3:GetObject on B/*}}\n";
    client.change(&uri, 3, messy);
    let edits = client.request("textDocument/formatting", json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }));
    let formatted = edits[0]["newText"].as_str().unwrap();
    assert!(formatted.starts_with("use bucket B\n"), "{formatted}");
    assert!(
        formatted.contains("\n    allow s3:GetObject on B/*\n"),
        "{formatted}"
    );
    client.change(&uri, 4, "identity_pool P {");
    let refused = client.respond("textDocument/formatting", json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }));
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("does not parse"),
        "{refused}"
    );
    assert_eq!(client.stop(), 0);
}

#[test]
fn diagnostics_in_serverless_yml_are_published_there_and_cleared() {
    let dir = tempfile::tempdir().unwrap();
    // A missing include: W0301, whose primary label is in serverless.yml.
    let yml = format!("{SERVERLESS}  - ${{file(resources/missing.yml)}}\n").replace(
        "  Resources:\n    AttachmentsBucket:\n      Type: AWS::S3::Bucket\n  - ",
        "  - Resources:\n      AttachmentsBucket:\n        Type: AWS::S3::Bucket\n  - ",
    );
    std::fs::write(dir.path().join("serverless.yml"), &yml).unwrap();
    let program = dir.path().join("app.idp");
    let uri = uri_of(&program);
    let yml_uri = uri_of(&dir.path().join("serverless.yml"));
    let text = "use \"serverless.yml\"\nidentity_pool Pool {\n  authenticated role {\n    allow s3:GetObject on AttachmentsBucket/*\n  }\n}\n";
    let mut client = Client::start();
    client.open(&uri, text);
    let in_yml = client.diagnostics_for(&yml_uri);
    assert!(
        in_yml.iter().any(|d| d["code"] == "W0301"),
        "{yml}\n{in_yml:?}"
    );
    // The include fixed on disk: the editor tells the server it changed
    // (it watches stack files, which are no `.idp` documents), and the
    // warning goes.
    std::fs::write(dir.path().join("serverless.yml"), SERVERLESS).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": yml_uri, "type": 2}]}),
    );
    assert_eq!(client.diagnostics_for(&yml_uri), Vec::<Value>::new());
    std::fs::write(dir.path().join("serverless.yml"), &yml).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": yml_uri, "type": 2}]}),
    );
    assert!(
        client
            .diagnostics_for(&yml_uri)
            .iter()
            .any(|d| d["code"] == "W0301")
    );
    // Without the `use` line, serverless.yml is cleared.
    client.change(&uri, 2, "identity_pool Pool {\n}\n");
    assert_eq!(client.diagnostics_for(&yml_uri), Vec::<Value>::new());
    assert_eq!(client.stop(), 0);
}

#[test]
fn half_typed_and_garbage_documents_never_take_the_server_down() {
    let mut client = Client::start();
    let uri = "file:///nonexistent/dir/half.idp";
    let texts = [
        "",
        "allow",
        "identity_pool {",
        "identity_pool P {\n  authenticated role {\n    allow s3:",
        "identity_pool P {\n  authenticated role {\n    allow s3:GetObject on Files when aws:SourceIp ",
        "use \"",
        "use \"../../../../etc\"\n",
        "\u{feff}\u{0}\u{1}\r\r\u{2028}$<$<${{{\"\\",
        "}}}}]]]]))))====\"\"\"#idpc: allow(W9999) reason:",
        "é𝄞 allow s3:Get* on é/𝄞 when é 𝄞 like \"é",
    ];
    client.open(uri, "");
    client.diagnostics_for(uri);
    for (n, text) in texts.iter().enumerate() {
        client.change(uri, n as i64 + 2, text);
        client.diagnostics_for(uri);
        for line in 0..3 {
            for character in [0, 1, 5, 13, 200] {
                for method in [
                    "textDocument/hover",
                    "textDocument/completion",
                    "textDocument/definition",
                    "textDocument/references",
                    "textDocument/prepareRename",
                ] {
                    let mut params = at(line, character, uri);
                    params["context"] = json!({ "includeDeclaration": true });
                    let answer = client.respond(method, params);
                    assert!(
                        answer.get("result").is_some() || answer["error"]["code"] != -32603,
                        "{method} on {text:?}: {answer}"
                    );
                }
            }
        }
        for method in ["textDocument/formatting", "textDocument/documentSymbol"] {
            let answer = client.respond(method, json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }));
            assert!(
                answer.get("result").is_some() || answer["error"]["code"] != -32603,
                "{method} on {text:?}: {answer}"
            );
        }
    }
    // A huge document: a diagnostic, not a crash.
    let huge = "# ".to_string() + &"x".repeat(17 * 1024 * 1024);
    client.change(uri, 100, &huge);
    let diagnostics = client.diagnostics_for(uri);
    assert_eq!(diagnostics[0]["code"], "E0901", "{:?}", diagnostics.first());
    // A request about a document never opened is an error response.
    let unknown = client.respond("textDocument/hover", at(0, 0, "file:///never/opened.idp"));
    assert!(unknown.get("error").is_some(), "{unknown}");
    // Parameters of the wrong shape are an error response too.
    let wrong = client.respond("textDocument/hover", json!({ "nonsense": true }));
    assert_eq!(wrong["error"]["code"], -32602, "{wrong}");
    // And the server still answers.
    client.change(uri, 101, "use bucket B\n");
    let hover = client.request("textDocument/hover", at(0, 12, uri));
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("bucket"),
        "{hover}"
    );
    assert_eq!(client.stop(), 0);
}

#[test]
fn the_suppression_quick_fix_silences_the_warning() {
    let uri = "file:///nowhere/wide.idp";
    let text =
        "use bucket B\nidentity_pool P {\n  authenticated role {\n    allow s3:* on B/*\n  }\n}\n";
    let mut client = Client::start();
    client.open(uri, text);
    let diagnostics = client.diagnostics_for(uri);
    let wide = diagnostics
        .iter()
        .find(|d| d["code"] == "W0601")
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": wide["range"], "context": { "diagnostics": [wide] } }),
    );
    let suppress = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Suppress W0601"))
        .unwrap();
    let insert = &suppress["edit"]["changes"][uri][0];
    assert_eq!(
        insert["range"]["start"],
        json!({ "line": 3, "character": 0 })
    );
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let comment = insert["newText"].as_str().unwrap();
    lines.insert(3, comment);
    client.change(uri, 2, &lines.concat());
    let after = client.diagnostics_for(uri);
    assert!(after.iter().all(|d| d["code"] != "W0601"), "{after:?}");
    assert_eq!(client.stop(), 0);
}

#[test]
fn idpc_toml_levels_apply_and_its_mistakes_are_published_to_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("idpc.toml"),
        "[lints]\nW0601 = \"deny\"\nW9999 = \"allow\"\n",
    )
    .unwrap();
    let program = dir.path().join("wide.idp");
    let uri = uri_of(&program);
    let toml_uri = uri_of(&dir.path().join("idpc.toml"));
    let text =
        "use bucket B\nidentity_pool P {\n  authenticated role {\n    allow s3:* on B/*\n  }\n}\n";
    let mut client = Client::start();
    client.open(&uri, text);
    let diagnostics = client.diagnostics_for(&uri);
    let wide = diagnostics
        .iter()
        .find(|d| d["code"] == "W0601")
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    assert_eq!(wide["severity"], 1, "denied: an error {wide}");
    let in_toml = client.diagnostics_for(&toml_uri);
    assert!(
        !in_toml.is_empty(),
        "the unknown code W9999 is reported in idpc.toml"
    );
    assert_eq!(in_toml[0]["range"]["start"]["line"], 2, "{in_toml:?}");
    assert_eq!(client.stop(), 0);
}

#[test]
fn rename_symbols_and_suppression() {
    let uri = "file:///nowhere/app.idp";
    let text = "use bucket B\nrole Shared {\n  allow s3:GetObject on B/*\n}\nidentity_pool Pool {\n  authenticated role Shared\n}\noutput PoolId = Pool\n";
    let mut client = Client::start();
    client.open(uri, text);
    client.diagnostics_for(uri);
    let edit = client.request("textDocument/rename", json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": 6 }, "newName": "Readers" }));
    let edits = edit["changes"][uri].as_array().unwrap();
    assert_eq!(edits.len(), 2, "{edit}");
    assert!(edits.iter().all(|e| e["newText"] == "Readers"));
    let refused = client.respond("textDocument/rename", json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": 6 }, "newName": "not-valid" }));
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not a valid logical ID"),
        "{refused}"
    );
    let not_ours = client.respond("textDocument/rename", json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 11 }, "newName": "C" }));
    assert!(not_ours.get("error").is_some(), "{not_ours}");

    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Shared", "Pool", "PoolId"]);

    // A warning offers a justified suppression above its statement.
    let warning = json!({
        "range": { "start": { "line": 2, "character": 8 }, "end": { "line": 2, "character": 20 } },
        "severity": 2, "code": "W0601", "source": "idpc", "message": "m",
        "data": { "suppressible": true }
    });
    let actions = client.request("textDocument/codeAction", json!({ "textDocument": { "uri": uri }, "range": warning["range"], "context": { "diagnostics": [warning] } }));
    let insert = &actions[0]["edit"]["changes"][uri][0];
    assert_eq!(insert["newText"], "  # idpc: allow(W0601) reason: <why>\n");
    assert_eq!(
        insert["range"]["start"],
        json!({ "line": 2, "character": 0 })
    );
    assert_eq!(client.stop(), 0);
}
