// Loads syntaxes/idp.tmLanguage.json with the engine VS Code itself uses
// (vscode-textmate on vscode-oniguruma's WebAssembly build of Oniguruma) and
// tokenizes text line by line, as the editor does.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const GRAMMAR = path.join(__dirname, '..', 'syntaxes', 'idp.tmLanguage.json');

let grammarPromise;

/** The grammar, loaded once. */
function loadGrammar() {
  if (!grammarPromise) {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    const onigLib = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }));
    const registry = new vsctm.Registry({
      onigLib,
      loadGrammar: async (scopeName) =>
        scopeName === 'source.idp' ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR) : null,
    });
    grammarPromise = registry.loadGrammar('source.idp');
  }
  return grammarPromise;
}

/**
 * Tokens of every line of `text`: `{ line, column, text, scopes }`, one per
 * token, `scopes` from the outermost (`source.idp`) in.
 */
async function tokenize(text) {
  const grammar = await loadGrammar();
  const tokens = [];
  let ruleStack = vsctm.INITIAL;
  text.split(/\r?\n/).forEach((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, ruleStack);
    for (const token of result.tokens) {
      const end = Math.min(token.endIndex, lineText.length);
      if (end <= token.startIndex) continue;
      tokens.push({ line: line + 1, column: token.startIndex + 1, text: lineText.slice(token.startIndex, end), scopes: token.scopes });
    }
    ruleStack = result.ruleStack;
  });
  return tokens;
}

/** The innermost scope of a token. */
const innermost = (token) => token.scopes[token.scopes.length - 1];

module.exports = { loadGrammar, tokenize, innermost };
