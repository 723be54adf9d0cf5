// extension.js and server.js without VS Code: server.js is plain Node;
// extension.js runs against a stand-in for the `vscode` module and for
// vscode-languageclient's LanguageClient (which needs a running VS Code),
// recording what the extension asks of them.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const Module = require('node:module');
const path = require('node:path');
const { serverCommand, serverExecutable, DOCUMENT_SELECTOR, WATCHED_FILES } = require('../server.js');
const manifest = require('../package.json');

test('idpc.path: empty is `idpc` from PATH, a name stays a name', () => {
  for (const setting of [undefined, null, '', '   ']) assert.equal(serverCommand(setting, { workspaceFolder: '/ws' }), 'idpc');
  assert.equal(serverCommand('idpc-nightly', { workspaceFolder: '/ws' }), 'idpc-nightly');
  assert.equal(serverCommand(' /opt/idpc/bin/idpc ', { workspaceFolder: '/ws' }), '/opt/idpc/bin/idpc');
});

test('idpc.path: `~` is the home directory, a relative path the workspace folder', () => {
  assert.equal(serverCommand('~/.cargo/bin/idpc', { home: '/home/ann' }), '/home/ann/.cargo/bin/idpc');
  assert.equal(serverCommand('target/release/idpc', { workspaceFolder: '/ws/app' }), '/ws/app/target/release/idpc');
  assert.equal(serverCommand('./idpc', { workspaceFolder: '/ws/app' }), '/ws/app/idpc');
  // No folder open: nothing to resolve against, the path is left to the OS.
  assert.equal(serverCommand('target/release/idpc', {}), 'target/release/idpc');
});

test('the server is `<command> lsp` in the workspace folder', () => {
  assert.deepEqual(serverExecutable('/bin/idpc', '/ws'), { command: '/bin/idpc', args: ['lsp'], options: { cwd: '/ws' } });
  assert.deepEqual(serverExecutable('idpc', undefined), { command: 'idpc', args: ['lsp'] });
});

test('the client serves the language the manifest contributes, and watches stacks and idpc.toml', () => {
  const languages = manifest.contributes.languages.map((l) => l.id);
  for (const selector of DOCUMENT_SELECTOR) assert.ok(languages.includes(selector.language));
  assert.deepEqual(DOCUMENT_SELECTOR.map((s) => s.scheme).sort(), ['file', 'untitled']);
  for (const name of ['serverless.yml', 'template.yaml', 'template.json', 'idpc.toml']) assert.ok(globMatches(WATCHED_FILES, name), name);
  assert.ok(!globMatches(WATCHED_FILES, 'notes.idp'));
  assert.equal(manifest.contributes.configuration.properties['idpc.path'].default, 'idpc');
});

/** `**\/{a,b}` globs as VS Code reads them, enough for WATCHED_FILES. */
function globMatches(glob, name) {
  const alternatives = glob.replace(/^\*\*\/\{/, '').replace(/\}$/, '').split(',');
  return alternatives.some((alt) => new RegExp('^' + alt.replace(/\./g, '\\.').replace(/\*/g, '[^/]*') + '$').test(name));
}

// --- extension.js against stand-ins -----------------------------------------

/** A fresh extension.js with `vscode` and the client replaced; returns it and what it did. */
function loadExtension({ settings = {}, folder = '/ws', failStart = null } = {}) {
  const log = { clients: [], errors: [], commands: {}, configListeners: [], lines: [], channelOptions: null };
  class FakeClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions, started: false, stopped: false });
      log.clients.push(this);
    }
    async start() {
      if (failStart) throw new Error(failStart);
      this.started = true;
    }
    async stop() {
      this.stopped = true;
    }
  }
  const vscode = {
    workspace: {
      workspaceFolders: folder ? [{ uri: { fsPath: folder } }] : undefined,
      getConfiguration: (section) => ({ get: (key) => settings[`${section}.${key}`] }),
      createFileSystemWatcher: (glob) => ({ glob, dispose() {} }),
      onDidChangeConfiguration: (listener) => {
        log.configListeners.push(listener);
        return { dispose() {} };
      },
    },
    window: {
      createOutputChannel: (name, options) => {
        log.channelOptions = { name, options };
        return { appendLine: (line) => log.lines.push(line), dispose() {} };
      },
      showErrorMessage: (message) => log.errors.push(message),
    },
    commands: {
      registerCommand: (id, handler) => {
        log.commands[id] = handler;
        return { dispose() {} };
      },
    },
  };
  const languageClient = { LanguageClient: FakeClient, TransportKind: { stdio: 0, ipc: 1 } };
  const file = path.join(__dirname, '..', 'extension.js');
  const originalLoad = Module._load;
  Module._load = function (request, parent, isMain) {
    if (request === 'vscode') return vscode;
    if (request === 'vscode-languageclient/node') return languageClient;
    return originalLoad.call(this, request, parent, isMain);
  };
  try {
    delete require.cache[require.resolve(file)];
    return { extension: require(file), log };
  } finally {
    Module._load = originalLoad;
  }
}

const context = () => ({ subscriptions: [] });

test('activate starts `idpc lsp` over stdio, for .idp documents, with the id that reads idpc.trace.server', async () => {
  const { extension, log } = loadExtension({ settings: { 'idpc.path': 'target/debug/idpc' } });
  const ctx = context();
  await extension.activate(ctx);
  assert.equal(log.clients.length, 1);
  const client = log.clients[0];
  assert.equal(client.id, 'idpc');
  assert.ok(client.started);
  const expected = { command: '/ws/target/debug/idpc', args: ['lsp'], options: { cwd: '/ws' }, transport: 0 };
  assert.deepEqual(client.serverOptions, { run: expected, debug: expected });
  assert.deepEqual(client.clientOptions.documentSelector, DOCUMENT_SELECTOR);
  assert.equal(client.clientOptions.synchronize.fileEvents.glob, WATCHED_FILES);
  assert.deepEqual(log.channelOptions, { name: 'idpc', options: { log: true } });
  assert.ok(log.commands['idpc.restartServer'], 'the restart command is registered');
  const contributed = manifest.contributes.commands.map((c) => c.command);
  assert.deepEqual(Object.keys(log.commands), contributed, 'registered commands are the contributed ones');
  assert.equal(ctx.subscriptions.length, 4);
});

test('a changed idpc.path restarts the server with the new binary; other settings do not', async () => {
  const settings = { 'idpc.path': '' };
  const { extension, log } = loadExtension({ settings });
  await extension.activate(context());
  assert.equal(log.clients[0].serverOptions.run.command, 'idpc');
  await log.configListeners[0]({ affectsConfiguration: (s) => s === 'editor.tabSize' });
  assert.equal(log.clients.length, 1);
  settings['idpc.path'] = '/opt/idpc';
  await log.configListeners[0]({ affectsConfiguration: (s) => s === 'idpc.path' });
  assert.equal(log.clients.length, 2);
  assert.ok(log.clients[0].stopped);
  assert.equal(log.clients[1].serverOptions.run.command, '/opt/idpc');
  await log.commands['idpc.restartServer']();
  assert.equal(log.clients.length, 3);
  assert.ok(log.clients[1].stopped);
  await extension.deactivate();
  assert.ok(log.clients[2].stopped);
});

test('a binary that cannot start is an error message naming it and the setting, not a crash', async () => {
  const { extension, log } = loadExtension({ settings: { 'idpc.path': 'idpc' }, failStart: 'spawn idpc ENOENT' });
  await extension.activate(context());
  assert.equal(log.errors.length, 1);
  assert.match(log.errors[0], /`idpc lsp`/);
  assert.match(log.errors[0], /spawn idpc ENOENT/);
  assert.match(log.errors[0], /idpc\.path/);
  assert.match(log.lines.join('\n'), /could not start/);
});

test('language-configuration.json: `#` comments, brackets, and words that keep `service:Action*` whole', () => {
  const config = require('../language-configuration.json');
  assert.equal(config.comments.lineComment, '#');
  assert.deepEqual(config.brackets, [['{', '}'], ['[', ']'], ['(', ')']]);
  const closing = Object.fromEntries(config.autoClosingPairs.map((p) => [p.open, p.close]));
  assert.deepEqual(closing, { '{': '}', '[': ']', '(': ')', '"': '"', '$<': '>' });
  const word = new RegExp(config.wordPattern, 'g');
  const words = (line) => line.match(word);
  assert.deepEqual(words('allow s3:Get*, cognito-identity:GetId on Files/*'), ['allow', 's3:Get*', 'cognito-identity:GetId', 'on', 'Files']);
  assert.deepEqual(words('when aws:PrincipalTag/team == "x"'), ['when', 'aws:PrincipalTag/team', 'x']);
  const indent = new RegExp(config.indentationRules.increaseIndentPattern);
  assert.ok(indent.test('identity_pool Pool {'));
  assert.ok(indent.test('  authenticated role Reader {  # readers'));
  assert.ok(!indent.test('  metadata "{"'));
  assert.ok(!indent.test('# a block {'));
  assert.ok(new RegExp(config.indentationRules.decreaseIndentPattern).test('  }'));
});

test('the manifest: what it contributes exists, the client is a pinned runtime dependency', () => {
  const fs = require('node:fs');
  const root = path.join(__dirname, '..');
  assert.ok(fs.existsSync(path.join(root, manifest.main)), manifest.main);
  for (const language of manifest.contributes.languages) assert.ok(fs.existsSync(path.join(root, language.configuration)));
  for (const grammar of manifest.contributes.grammars) {
    const file = path.join(root, grammar.path);
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).scopeName, grammar.scopeName);
    assert.equal(grammar.language, 'idp');
  }
  assert.deepEqual(manifest.contributes.languages[0].extensions, ['.idp']);
  assert.match(manifest.dependencies['vscode-languageclient'], /^\d+\.\d+\.\d+$/, 'an exact version');
  for (const version of Object.values(manifest.devDependencies)) assert.match(version, /^\d+\.\d+\.\d+$/);
  assert.deepEqual(Object.keys(manifest.contributes.configuration.properties).sort(), ['idpc.path', 'idpc.trace.server']);
});
