// A stand-in for `idpc lsp` that the Neovim test starts: it answers
// `initialize` and `shutdown`, logs every method it receives (one JSON line
// each, to the file named by $IDPC_FAKE_LOG) and answers each didOpen with
// one diagnostic, so the test sees the client wired end to end.
'use strict';

const fs = require('node:fs');
const log = process.env.IDPC_FAKE_LOG;
let buffer = Buffer.alloc(0);

function send(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
}

function handle(message) {
  if (log) fs.appendFileSync(log, JSON.stringify({ method: message.method, params: message.params }) + '\n');
  if (message.method === 'initialize') send({ id: message.id, result: { capabilities: { textDocumentSync: 1 } } });
  else if (message.method === 'shutdown') send({ id: message.id, result: null });
  else if (message.method === 'exit') process.exit(0);
  else if (message.method === 'textDocument/didOpen') {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    const diagnostics = [{ range, severity: 2, code: 'W9999', source: 'fake-idpc', message: 'seen by the fake server' }];
    send({ method: 'textDocument/publishDiagnostics', params: { uri: message.params.textDocument.uri, diagnostics } });
  }
}

process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.slice(0, headerEnd).toString())[1]);
    if (buffer.length < headerEnd + 4 + length) return;
    handle(JSON.parse(buffer.slice(headerEnd + 4, headerEnd + 4 + length).toString()));
    buffer = buffer.slice(headerEnd + 4 + length);
  }
});
