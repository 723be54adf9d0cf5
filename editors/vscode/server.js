// What the extension runs and asks for, without VS Code: the `idpc lsp`
// command from the `idpc.path` setting, and the documents and files the
// client hands the server. extension.js wires it into VS Code; the unit
// tests (test/extension.test.js) call it directly.
'use strict';

const os = require('node:os');
const path = require('node:path');

/** The `idpc.path` default: the binary looked up in `PATH`. */
const DEFAULT_PATH = 'idpc';

/**
 * The binary to run for the `idpc.path` setting: empty means `idpc` from
 * `PATH`; `~` is the home directory; a bare name is looked up in `PATH`;
 * a relative path (with a slash, e.g. `target/release/idpc`) is relative to
 * the first workspace folder, when there is one; an absolute path is kept.
 */
function serverCommand(setting, { workspaceFolder, home = os.homedir() } = {}) {
  const value = typeof setting === 'string' ? setting.trim() : '';
  if (value === '') return DEFAULT_PATH;
  if (value === '~') return home;
  if (value.startsWith('~/') || value.startsWith('~\\')) return path.join(home, value.slice(2));
  if (path.isAbsolute(value)) return value;
  const hasSeparator = value.includes('/') || (path.sep === '\\' && value.includes('\\'));
  if (hasSeparator && workspaceFolder) return path.resolve(workspaceFolder, value);
  return value;
}

/** How the server is started: `<command> lsp`, talking over stdin and stdout. */
function serverExecutable(command, workspaceFolder) {
  const executable = { command, args: ['lsp'] };
  if (workspaceFolder) executable.options = { cwd: workspaceFolder };
  return executable;
}

/** The documents `idpc lsp` serves: `.idp` programs, saved or not. */
const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'idp' },
  { scheme: 'untitled', language: 'idp' },
];

/**
 * Files whose changes the client reports (workspace/didChangeWatchedFiles):
 * the stacks programs read with `use "..."` and the `idpc.toml` settings,
 * which are not `idp` documents, so no didSave of theirs reaches the server.
 */
const WATCHED_FILES = '**/{*.yml,*.yaml,*.json,*.template,idpc.toml}';

module.exports = { DEFAULT_PATH, DOCUMENT_SELECTOR, WATCHED_FILES, serverCommand, serverExecutable };
