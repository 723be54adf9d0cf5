// The extension's side of the conversation with the real `idpc lsp`, without
// VS Code: the server is started exactly as extension.js starts it (the
// command and options server.js builds from `idpc.path`, over stdio), and
// spoken to with vscode-languageserver-protocol, the package
// vscode-languageclient itself speaks through, as VS Code would: initialize,
// open a program, wait for its diagnostics, hover, complete, format, shut down.
// Usage: node test/lsp-smoke.js /path/to/idpc   (.ci/check-editors runs it)
'use strict';

const assert = require('node:assert/strict');
const cp = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const rpc = require('vscode-languageserver-protocol/node');
const { serverCommand, serverExecutable } = require('../server.js');

const WATCHDOG_MS = 5 * 60 * 1000; // a hang, not a timing assertion

async function main() {
  const binary = process.argv[2];
  assert.ok(binary, 'usage: node test/lsp-smoke.js /path/to/idpc');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'idpc-vscode-'));
  const watchdog = setTimeout(() => {
    console.error('lsp-smoke: no answer in five minutes');
    process.exit(1);
  }, WATCHDOG_MS);
  try {
    fs.writeFileSync(path.join(workspace, 'serverless.yml'),
      'service: notes\nprovider:\n  name: aws\nresources:\n  Resources:\n    AttachmentsBucket:\n      Type: AWS::S3::Bucket\n');
    const program = 'use "serverless.yml"\nidentity_pool Pool {\n  authenticated role Reader {\n    allow s3:GetObject on AttachmentBucket/private/$<sub>/*\n  }\n}\n';
    const file = path.join(workspace, 'app.idp');
    fs.writeFileSync(file, program);

    // As extension.js: the setting (here an absolute path), then `<command> lsp` in the folder.
    const executable = serverExecutable(serverCommand(binary, { workspaceFolder: workspace }), workspace);
    const child = cp.spawn(executable.command, executable.args, { cwd: executable.options.cwd, stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
    const published = new Map();
    const waiters = [];
    connection.onNotification(rpc.PublishDiagnosticsNotification.type, (params) => {
      published.set(params.uri, params.diagnostics);
      waiters.splice(0).forEach((wake) => wake());
    });
    connection.listen();
    const diagnosticsOf = async (uri) => {
      while (!published.has(uri)) await new Promise((wake) => waiters.push(wake));
      return published.get(uri);
    };

    const root = pathToFileURL(workspace).href;
    const init = await connection.sendRequest(rpc.InitializeRequest.type, {
      processId: process.pid,
      clientInfo: { name: 'Visual Studio Code (stand-in)', version: '1.91.0' },
      rootUri: root,
      workspaceFolders: [{ uri: root, name: 'app' }],
      capabilities: {
        general: { positionEncodings: ['utf-16'] },
        workspace: { workspaceFolders: true, configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: {
          synchronization: { didSave: true, dynamicRegistration: true },
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
          formatting: { dynamicRegistration: true },
          rename: { prepareSupport: true },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        },
      },
    });
    const caps = init.capabilities;
    for (const capability of ['hoverProvider', 'completionProvider', 'definitionProvider', 'documentFormattingProvider', 'renameProvider', 'documentSymbolProvider', 'codeActionProvider'])
      assert.ok(caps[capability], `the server offers ${capability}`);
    connection.sendNotification(rpc.InitializedNotification.type, {});

    const uri = pathToFileURL(file).href;
    connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'idp', version: 1, text: program } });
    const diagnostics = await diagnosticsOf(uri);
    const unknown = diagnostics.find((d) => d.code === 'E0101');
    assert.ok(unknown, `E0101 for the misspelt bucket, got ${JSON.stringify(diagnostics)}`);
    assert.deepEqual(unknown.range.start, { line: 3, character: 26 });
    console.log('lsp-smoke: diagnostics: E0101 at 4:27');

    const hover = await connection.sendRequest(rpc.HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 14 } });
    const text = JSON.stringify(hover && hover.contents);
    assert.match(text, /GetObject/, `hover on s3:GetObject names it: ${text}`);
    console.log('lsp-smoke: hover on s3:GetObject');

    // Completion: VS Code filters items by the text from their edit's start
    // to the cursor, whatever the language configuration's word pattern says.
    const partial = 'use bucket Files\nrole R {\n  allow s3:Get\n}\n';
    const partialUri = pathToFileURL(path.join(workspace, 'partial.idp')).href;
    connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri: partialUri, languageId: 'idp', version: 1, text: partial } });
    const completion = await connection.sendRequest(rpc.CompletionRequest.type, { textDocument: { uri: partialUri }, position: { line: 2, character: 14 } });
    const items = Array.isArray(completion) ? completion : completion.items;
    const getObject = items.find((item) => item.label === 's3:GetObject');
    assert.ok(getObject, `s3:GetObject is offered after s3:Get: ${items.slice(0, 5).map((i) => i.label)}`);
    const typed = partial.split('\n')[2].slice(getObject.textEdit.range.start.character, 14);
    assert.equal(typed, 's3:Get', 'the edit replaces what was typed of the action');
    const shown = items.filter((item) => (item.filterText || item.label).startsWith(typed));
    assert.ok(shown.length === items.length, `every item passes VS Code's filter for ${typed}`);
    console.log(`lsp-smoke: completion after s3:Get: ${items.length} item(s), s3:GetObject among them`);

    const edits = await connection.sendRequest(rpc.DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.ok(Array.isArray(edits), 'formatting answers with edits (none for a formatted program)');
    console.log(`lsp-smoke: formatting: ${edits.length} edit(s)`);

    await connection.sendRequest(rpc.ShutdownRequest.type);
    connection.sendNotification(rpc.ExitNotification.type);
    const code = await exited;
    assert.equal(code, 0, 'the server exits 0 after shutdown and exit');
    connection.dispose();
    console.log('lsp-smoke: ok');
  } finally {
    clearTimeout(watchdog);
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`lsp-smoke: ${error.stack || error}`);
  process.exit(1);
});
