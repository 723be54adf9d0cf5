// The VS Code side of idpc: starts `idpc lsp` (the binary of the `idpc.path`
// setting) over stdio with vscode-languageclient, restarts it when the
// setting changes or on the command "idpc: Restart the idpc language
// server". Highlighting is the TextMate grammar (syntaxes/), comments and
// brackets language-configuration.json; everything else comes from the server.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');
const { DOCUMENT_SELECTOR, WATCHED_FILES, serverCommand, serverExecutable } = require('./server.js');

let client;
let output;
let watcher;

function firstWorkspaceFolder() {
  const folders = vscode.workspace.workspaceFolders;
  return folders && folders.length > 0 ? folders[0].uri.fsPath : undefined;
}

/** Starts a client for the current settings; a server that cannot start is reported, not thrown. */
async function start() {
  const workspaceFolder = firstWorkspaceFolder();
  const command = serverCommand(vscode.workspace.getConfiguration('idpc').get('path'), { workspaceFolder });
  const executable = { ...serverExecutable(command, workspaceFolder), transport: TransportKind.stdio };
  const serverOptions = { run: executable, debug: executable };
  const clientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: { fileEvents: watcher },
    outputChannel: output,
  };
  // The id `idpc` makes the client read the `idpc.trace.server` setting.
  client = new LanguageClient('idpc', 'idpc', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    const reason = error && error.message ? error.message : String(error);
    output.appendLine(`could not start \`${command} lsp\`: ${reason}`);
    vscode.window.showErrorMessage(
      `idpc: could not start \`${command} lsp\` (${reason}). Install idpc or set "idpc.path" to its binary.`,
    );
  }
}

async function stop() {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (error) {
      output.appendLine(`stopping the server: ${error && error.message ? error.message : error}`);
    }
  }
}

async function restart() {
  await stop();
  await start();
}

async function activate(context) {
  // A log channel: its log level (Trace) is what turns tracing on; `idpc.trace.server`
  // then picks `messages` or `verbose` (vscode-languageclient 10).
  output = vscode.window.createOutputChannel('idpc', { log: true });
  watcher = vscode.workspace.createFileSystemWatcher(WATCHED_FILES);
  context.subscriptions.push(
    output,
    watcher,
    vscode.commands.registerCommand('idpc.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('idpc.path')) return restart();
      return undefined;
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
