// The TextMate grammar (syntaxes/idp.tmLanguage.json) on every program of
// the repository: the examples, the UI cases and test/fixtures, tokenized by
// the engine VS Code uses. Run with `node --test test/` (.ci/check-editors).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { tokenize, innermost } = require('./tokenize.js');

const ROOT = path.join(__dirname, '..', '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');

/** Every `.idp` file under `dir`, recursively, sorted. */
function idpFiles(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...idpFiles(full));
    else if (entry.name.endsWith('.idp')) found.push(full);
  }
  return found.sort();
}

/**
 * A UI case is a syntax error when its snapshot reports one of the codes
 * of unreadable input: E0001 (the grammar), E0003 (not UTF-8), E0004 (a
 * line break other than LF or CRLF). Every other program parses.
 */
function isSyntaxError(file) {
  const snap = file.replace(/\.idp$/, '.snap');
  return fs.existsSync(snap) && /\[E000[134]\]/.test(fs.readFileSync(snap, 'utf8'));
}

const examples = idpFiles(path.join(ROOT, 'examples'));
const uiCases = idpFiles(path.join(ROOT, 'tests', 'ui'));
const fixtures = idpFiles(FIXTURES);
const validFiles = [...examples, ...uiCases.filter((f) => !isSyntaxError(f)), ...fixtures];
const brokenFiles = uiCases.filter(isSyntaxError);
const rel = (file) => path.relative(ROOT, file);
const where = (file, t) => `${rel(file)}:${t.line}:${t.column} ${JSON.stringify(t.text)} (${t.scopes.join(' ')})`;
const has = (t, prefix) => t.scopes.some((s) => s === prefix || s.startsWith(prefix + '.'));

/** The keywords and kinds of grammar/idp.pest: the `kw_*` rules and the alternatives of `kind`. */
function pestWords() {
  const pest = fs.readFileSync(path.join(ROOT, 'grammar', 'idp.pest'), 'utf8');
  const keywords = [...pest.matchAll(/^kw_\w+ = @\{ "([a-z_]+)" ~ !ident_char \}$/gm)].map((m) => m[1]);
  const kindRule = pest.match(/^kind = @\{([\s\S]*?)\}$/m);
  assert.ok(kindRule, 'grammar/idp.pest has no `kind` rule');
  const kinds = [...kindRule[1].matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
  return { keywords: new Set(keywords), kinds: new Set(kinds) };
}

const { keywords, kinds } = pestWords();
const CONSTANT_WORDS = {
  true: 'constant.language.boolean',
  false: 'constant.language.boolean',
  list: 'constant.language.access-level',
  read: 'constant.language.access-level',
  write: 'constant.language.access-level',
  tagging: 'constant.language.access-level',
  permissions: 'constant.language.access-level',
  retain: 'constant.language.retention',
  delete: 'constant.language.retention',
  retain_except_on_create: 'constant.language.retention',
};

const tokenCache = new Map();
async function tokensOf(file) {
  if (!tokenCache.has(file)) tokenCache.set(file, await tokenize(fs.readFileSync(file, 'utf8')));
  return tokenCache.get(file);
}

/** Tokens of code: not in a comment, a string, a resource path, an action or a condition key. */
const isCode = (t) =>
  !has(t, 'comment') && !has(t, 'string') && !has(t, 'meta.resource') && !has(t, 'meta.action') && !has(t, 'support.variable.condition-key');

test('the corpus is what the other tests assume', () => {
  assert.ok(examples.length >= 5, `examples/: ${examples.length} programs`);
  assert.ok(uiCases.length >= 200, `tests/ui: ${uiCases.length} programs`);
  assert.ok(brokenFiles.length >= 20, `${brokenFiles.length} syntax-error cases`);
  assert.ok(keywords.size >= 70, `grammar/idp.pest: ${keywords.size} keywords`);
  assert.ok(kinds.has('bucket') && kinds.has('saml_provider'), 'the kinds of grammar/idp.pest');
});

test('every token of every valid program has a scope, none invalid', async () => {
  const bad = [];
  for (const file of validFiles) {
    for (const t of await tokensOf(file)) {
      if (!t.text.trim()) continue;
      if (t.scopes.length < 2 || has(t, 'invalid')) bad.push(where(file, t));
    }
  }
  assert.deepEqual(bad, [], `unscoped or invalid tokens:\n${bad.slice(0, 30).join('\n')}`);
});

test('programs with syntax errors tokenize, and stray characters are invalid', async () => {
  for (const file of brokenFiles) await tokensOf(file);
  const tokens = await tokenize('allow s3:GetObject on Bucket ; role R-x {}\n');
  const invalid = tokens.filter((t) => has(t, 'invalid.illegal')).map((t) => t.text);
  assert.deepEqual(invalid, [';', '-']);
});

test('every keyword and kind of grammar/idp.pest is highlighted as one, wherever it is written', async () => {
  const bad = [];
  const seen = new Set();
  for (const file of validFiles) {
    const tokens = (await tokensOf(file)).filter((t) => t.text.trim());
    tokens.forEach((t, i) => {
      const word = t.text;
      if (!(keywords.has(word) || kinds.has(word)) || !isCode(t)) return;
      const previous = tokens[i - 1];
      const afterUse = previous && previous.text === 'use' && previous.line === t.line;
      const expected = afterUse && kinds.has(word) ? 'support.type.kind' : CONSTANT_WORDS[word] || 'keyword';
      if (has(t, expected)) seen.add(word);
      else bad.push(`${where(file, t)}: expected ${expected}`);
    });
  }
  assert.deepEqual(bad, []);
  const unseen = [...keywords, ...kinds].filter((w) => !seen.has(w));
  assert.deepEqual(unseen, [], 'keywords no program uses: add them to test/fixtures/every-keyword.idp');
});

test('no name, path or action is highlighted as a keyword', async () => {
  const bad = [];
  for (const file of validFiles) {
    for (const t of await tokensOf(file)) {
      if (has(t, 'keyword') && !has(t, 'keyword.operator') && !has(t, 'comment') && !keywords.has(t.text) && t.text !== 'import')
        bad.push(where(file, t));
      if (has(t, 'support.type.kind') && !kinds.has(t.text)) bad.push(where(file, t));
    }
  }
  assert.deepEqual(bad, []);
});

test('comments are comments to the end of the line, strings are strings', async () => {
  const bad = [];
  for (const file of validFiles) {
    const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
    for (const t of await tokensOf(file)) {
      if (!t.text.trim()) continue;
      const line = lines[t.line - 1];
      if (line.trimStart().startsWith('#') && !has(t, 'comment.line.number-sign')) bad.push(`${where(file, t)}: not a comment`);
      if (t.text.includes('"') && !has(t, 'comment') && !has(t, 'string.quoted.double')) bad.push(`${where(file, t)}: quote outside a string`);
      if (has(t, 'punctuation.definition.comment') && (t.text !== '#' || has(t, 'string'))) bad.push(`${where(file, t)}: comment start`);
    }
  }
  assert.deepEqual(bad, []);
});

/** For every match of `regex` in code (not comments) of every valid program, the tokens it covers. */
async function matchedTokens(regex) {
  const found = [];
  for (const file of validFiles) {
    const tokens = await tokensOf(file);
    fs.readFileSync(file, 'utf8').split(/\r?\n/).forEach((line, index) => {
      for (const m of line.matchAll(regex)) {
        const start = m.index + 1;
        const end = start + m[0].length;
        const covering = tokens.filter((t) => t.line === index + 1 && t.column < end && t.column + t.text.length > start);
        if (covering.some((t) => has(t, 'comment'))) continue;
        found.push({ file, text: m[0], tokens: covering });
      }
    });
  }
  return found;
}

test('policy variables `$<sub>`, Serverless variables `${...}` and references `$(...)` are variables', async () => {
  const policy = await matchedTokens(/\$<[A-Za-z0-9:/._-]+>/g);
  const serverless = await matchedTokens(/\$\{[^}"]*\}/g);
  const references = await matchedTokens(/\$\((?!import )[A-Za-z:]+(\.[A-Za-z]+)?\)/g);
  assert.ok(policy.length >= 50 && serverless.length >= 20 && references.length >= 10, 'the corpus has variables');
  const bad = [];
  for (const m of policy) for (const t of m.tokens) if (!has(t, 'variable.language.policy')) bad.push(where(m.file, t));
  for (const m of serverless) for (const t of m.tokens) if (!has(t, 'variable.other.serverless')) bad.push(where(m.file, t));
  for (const m of references) for (const t of m.tokens) if (!has(t, 'meta.reference')) bad.push(where(m.file, t));
  assert.deepEqual(bad, []);
});

test('every action of a statement is an action: service, separator, name', async () => {
  const bad = [];
  let count = 0;
  for (const file of validFiles) {
    const tokens = (await tokensOf(file)).filter((t) => t.text.trim() && !has(t, 'comment'));
    tokens.forEach((t, i) => {
      if (!isCode(t) || !['allow', 'deny', 'cannot'].includes(t.text)) return;
      // The action list, up to `on` or the resources (`otherwise deny` has none).
      for (const u of tokens.slice(i + 1)) {
        if (u.text === ',' || has(u, 'constant.language.access-level') || has(u, 'constant.language.wildcard')) continue;
        const action =
          (has(u, 'entity.name.namespace.service') && /^[a-z][a-z0-9-]*$/.test(u.text)) ||
          (has(u, 'punctuation.separator.namespace') && u.text === ':') ||
          (has(u, 'support.function.action') && /^[A-Za-z0-9*?]+$/.test(u.text));
        if (action) {
          count++;
          continue;
        }
        // What ends the list: `on`, a resource, or the end of the item.
        if (!(u.text === 'on' || has(u, 'meta.resource') || has(u, 'keyword') || has(u, 'punctuation.section'))) bad.push(where(file, u));
        break;
      }
    });
  }
  assert.deepEqual(bad, []);
  assert.ok(count >= 1000, `${count} action tokens`);
});

test('a condition key is not an action, even one shaped like it', async () => {
  const tokens = await tokenize('allow s3:ListBucket on B when s3:prefix like "a/*" and aws:PrincipalTag/team == "x"');
  const scoped = (text) => innermost(tokens.find((t) => t.text === text));
  assert.equal(scoped('s3:prefix'), 'support.variable.condition-key.idp');
  assert.equal(scoped('aws:PrincipalTag/team'), 'support.variable.condition-key.idp');
  assert.equal(scoped('ListBucket'), 'support.function.action.idp');
});

test("the Neovim syntax file (editors/neovim/syntax/idp.vim) knows every keyword and kind too", () => {
  const vim = fs.readFileSync(path.join(ROOT, 'editors', 'neovim', 'syntax', 'idp.vim'), 'utf8');
  const words = new Set();
  for (const m of vim.matchAll(/^syntax keyword \w+ (.*)$/gm)) m[1].split(/\s+/).forEach((w) => words.add(w));
  for (const m of vim.matchAll(/^syntax match \w+ \/\\<(\w+)\\>\/$/gm)) words.add(m[1]);
  const missing = [...keywords, ...kinds].filter((w) => !words.has(w));
  assert.deepEqual(missing, []);
  const unknown = [...words].filter((w) => !keywords.has(w) && !kinds.has(w));
  assert.deepEqual(unknown, [], 'words the grammar does not have');
});
