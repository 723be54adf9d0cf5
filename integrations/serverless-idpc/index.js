'use strict';

// serverless-idpc: compiles the idpc programs listed in `custom.idpc.programs`
// and adds their CloudFormation to the stack while `serverless package` (and
// so `serverless deploy`) runs. No runtime dependencies: the compiler is the
// `idpc` binary, found through `custom.idpc.binary`, `IDPC` or `PATH`.
//
// How a program's Serverless variables (`name "${self:custom.stage}Pool"`)
// get their values: the plugin compiles each program for Serverless
// (`idpc build --target serverless`, which keeps `${...}` as written and
// splits policy variables with `Fn::Join` so Serverless leaves them alone)
// while plugins load (`asyncInit`), and hands the result to the framework
// with `serverless.extendConfiguration` under `custom.idpcCompiled`. The
// framework resolves its variables there in its last resolution pass, as it
// does for `serverless.yml` itself (every source: self, sls, opt, env, aws,
// ssm, file...). At `before:package:finalize` the plugin takes the resolved
// templates from there into `resources:`.

const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const INSTALL_HELP =
  'install it with `cargo install --path <your idpc checkout>` (or `cargo install --git` ' +
  "with idpc's repository URL; see idpc's README, \"Install\"), then make sure it is on PATH, " +
  'or point `custom.idpc.binary` or the `IDPC` environment variable at it';

// The sections of `idpc build --target serverless` the plugin merges.
const MERGED_SECTIONS = ['Resources', 'Outputs'];
const IGNORED_SECTIONS = ['AWSTemplateFormatVersion'];

// Where the compiled templates wait for the framework to resolve their
// variables: `custom.idpcCompiled.<program>` (`serverless print` shows them).
const STASH = 'idpcCompiled';

const NOT_INITIALISED =
  'serverless-idpc: the framework did not initialise the plugin (asyncInit) or cannot take configuration ' +
  'from it (serverless.extendConfiguration, which resolves variables from Serverless Framework 3.26 on); ' +
  'use Serverless Framework 3.26 or later, or osls';

class ServerlessIdpc {
  constructor(serverless, cliOptions, utils) {
    this.serverless = serverless;
    this.cliOptions = cliOptions || {};
    this.log = pluginLog(serverless, utils);
    this.writeText = (utils && utils.writeText) || ((text) => process.stdout.write(`${text}\n`));
    // Set by asyncInit: { results: [{ program, template, diagnostics }], failure }.
    this.outcome = null;
    this.reported = false;
    this.merged = false;

    defineConfigSchema(serverless);

    this.commands = {
      idpc: {
        usage: 'idpc programs of this service (custom.idpc.programs)',
        commands: {
          print: {
            usage:
              'Compile the programs and print the Resources and Outputs that ' +
              '`serverless package` adds to the stack, Serverless variables resolved',
            lifecycleEvents: ['print'],
          },
        },
      },
    };
    this.hooks = {
      // The user's `resources:` are merged into the template just after;
      // no variable resolution follows.
      'before:package:finalize': () => this.addToStack(),
      'idpc:print:print': () => this.print(),
    };
  }

  /**
   * While plugins load, before the framework's last variable resolution:
   * compiles every program and hands the templates to the framework. A
   * failure is kept for the commands that need the programs (package,
   * deploy, idpc print), so `serverless remove` or `logs` still work. (A
   * variable the framework cannot resolve fails every command, as one in
   * `serverless.yml` does.)
   */
  async asyncInit() {
    const outcome = await this.compileAll();
    if (!outcome.failure) {
      const problem = this.extend(outcome.results);
      if (problem) outcome.failure = problem;
    }
    this.outcome = outcome;
  }

  /** Adds the templates at `custom.idpcCompiled`; a problem as text, else null. */
  extend(results) {
    const serverless = this.serverless;
    if (typeof serverless.extendConfiguration !== 'function') return NOT_INITIALISED;
    const custom = (serverless.configurationInput || {}).custom;
    if (custom && typeof custom === 'object' && custom[STASH] !== undefined) {
      return `serverless-idpc: \`custom.${STASH}\` is where the plugin puts the compiled programs; ` +
        `remove it from ${this.configFile()}`;
    }
    const stash = {};
    for (const { program, template } of results) stash[program] = template;
    try {
      serverless.extendConfiguration(['custom', STASH], stash);
    } catch (refused) {
      return `${NOT_INITIALISED} (${refused.message})`;
    }
    return null;
  }

  /** The plugin's settings as plugins load, checked, with the defaults filled in. */
  settings() {
    const configuration = this.serverless.configurationInput || this.serverless.service || {};
    const custom = (configuration.custom || {}).idpc;
    return readSettings(custom, (message) => new Error(message));
  }

  serviceDir() {
    return this.serverless.serviceDir || (this.serverless.config || {}).servicePath || process.cwd();
  }

  configFile() {
    return this.serverless.configurationFilename || 'serverless.yml';
  }

  error(message) {
    const ServerlessError = (this.serverless.classes && this.serverless.classes.Error) || Error;
    return new ServerlessError(message);
  }

  /**
   * Compiles every program: `{ results, failure }`, `failure` the errors of
   * every program that has any (or of the settings, or the binary).
   */
  async compileAll() {
    let settings;
    try {
      settings = this.settings();
    } catch (problem) {
      return { results: [], failure: problem.message };
    }
    const binary = findBinary(settings.binary, process.env, this.serviceDir());
    if (!binary.path) return { results: [], failure: binary.problem };
    const results = [];
    const failures = [];
    for (const program of settings.programs) {
      const result = await compileProgram(binary.path, program, this.serviceDir(), settings);
      if (result.failure) failures.push(result.failure);
      results.push({ program, template: result.template, diagnostics: result.diagnostics });
    }
    return { results, failure: failures.length ? failures.join('\n') : null };
  }

  /** Shows warnings and notes once (errors go into the failure). */
  report() {
    if (this.reported) return;
    this.reported = true;
    for (const { program, diagnostics } of this.outcome.results) {
      for (const diagnostic of diagnostics) {
        const text = formatDiagnostic(diagnostic, program);
        if (diagnostic.severity === 'warning') this.log.warning(text);
        else if (diagnostic.severity !== 'error') this.log.info(text);
      }
    }
  }

  /**
   * The programs' templates as the framework resolved them; throws the
   * compile failure, or a variable the framework left unresolved.
   */
  resolvedTemplates() {
    if (!this.outcome) throw this.error(NOT_INITIALISED);
    this.report();
    if (this.outcome.failure) throw this.error(this.outcome.failure);
    const stash = (this.serverless.service.custom || {})[STASH] || {};
    const problems = [];
    const compiled = this.outcome.results.map(({ program, template }) => {
      const resolved = stash[program];
      for (const problem of resolutionProblems(template, resolved)) {
        problems.push(`${variablePlace(program, problem.variable, this.serviceDir())}: ${problem.text}`);
      }
      return { program, template: resolved };
    });
    if (problems.length) {
      throw this.error(
        `serverless-idpc: Serverless variables in the programs were not resolved; nothing was added to the stack\n${problems.join('\n')}`
      );
    }
    return compiled;
  }

  async addToStack() {
    if (this.merged) return;
    const compiled = this.resolvedTemplates();
    const service = this.serverless.service;
    const stack = service.provider.compiledCloudFormationTemplate;
    const clashes = findClashes(compiled, stack, service.resources, this.configFile(), this.serviceDir());
    if (clashes.length) {
      throw this.error(`idpc: ${clashes.length} logical ID clash(es):\n${clashes.join('\n')}`);
    }
    // Added to the user's `resources:`, which Serverless merges into the
    // compiled template at aws:package:finalize:mergeCustomProviderResources:
    // the same template as including `idpc build --target serverless`
    // output with ${file(...)}.
    if (!service.resources || typeof service.resources !== 'object') service.resources = {};
    for (const { program, template } of compiled) {
      for (const section of MERGED_SECTIONS) {
        if (!template[section]) continue;
        service.resources[section] = Object.assign(service.resources[section] || {}, template[section]);
      }
      const counts = MERGED_SECTIONS.map((s) => `${Object.keys(template[s] || {}).length} ${s}`);
      this.log.info(`idpc: ${program} adds ${counts.join(', ')}`);
    }
    this.merged = true;
  }

  async print() {
    const compiled = this.resolvedTemplates();
    const merged = { Resources: {}, Outputs: {} };
    for (const { template } of compiled) {
      for (const section of MERGED_SECTIONS) Object.assign(merged[section], template[section] || {});
    }
    this.writeText(JSON.stringify(merged, null, 2));
  }
}

/**
 * What is wrong with a template as the framework resolved it, against the
 * template idpc wrote (`original`): `--target serverless` writes `${` only
 * in Serverless variables (policy variables are split with Fn::Join), so
 * any `${` left is a variable the framework did not resolve (a framework
 * before 3.26 does not resolve extensions); a string holding a variable
 * must stay a string (`${self:custom.obj}` could bring an object into a
 * pool's name). `[{ variable, text }]`, `variable` the first `${...}` of
 * the string as idpc wrote it.
 */
function resolutionProblems(original, resolved, where = []) {
  if (typeof original === 'string') {
    if (!original.includes('${')) return [];
    const variable = firstVariable(original);
    const at = where.join('.');
    if (typeof resolved !== 'string') {
      const got = resolved === undefined ? 'nothing' : JSON.stringify(resolved);
      return [{ variable, text: `\`${original}\` (${at}) resolved to ${got}, not text` }];
    }
    if (resolved.includes('${')) {
      return [{ variable, text: `\`${firstVariable(resolved)}\` (${at}) was left unresolved by the framework` }];
    }
    return [];
  }
  if (original === null || typeof original !== 'object') return [];
  if (resolved === null || typeof resolved !== 'object') {
    return [{ variable: null, text: `${where.join('.') || 'the template'} is missing from custom.${STASH}` }];
  }
  const problems = [];
  for (const key of Object.keys(original)) {
    problems.push(...resolutionProblems(original[key], resolved[key], [...where, key]));
  }
  return problems;
}

/** The first `${...}` of a text, nested ones included. */
function firstVariable(text) {
  const start = text.indexOf('${');
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text.startsWith('${', i)) {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) {
      return text.slice(start, i + 1);
    }
  }
  return text.slice(start);
}

/** The program's lines, or null when it cannot be read. */
function programLines(program, serviceDir) {
  try {
    return fs.readFileSync(path.resolve(serviceDir, program), 'utf8').split('\n');
  } catch (_) {
    return null;
  }
}

/** `program:line:col` of the first mention of a variable, else the program. */
function variablePlace(program, variable, serviceDir) {
  if (!variable) return program;
  const lines = programLines(program, serviceDir);
  if (!lines) return program;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trimStart().startsWith('#')) continue;
    const column = lines[i].indexOf(variable);
    if (column >= 0) return `${program}:${i + 1}:${column + 1}`;
  }
  return program;
}

function pluginLog(serverless, utils) {
  if (utils && typeof utils.log === 'function' && utils.log.warning) return utils.log;
  // Frameworks without the v3 writers: everything through serverless.cli.log.
  const cliLog = (text) => serverless.cli.log(text);
  cliLog.warning = (text) => serverless.cli.log(`Warning: ${text}`);
  cliLog.error = (text) => serverless.cli.log(`Error: ${text}`);
  cliLog.info = () => {};
  return cliLog;
}

function defineConfigSchema(serverless) {
  const handler = serverless.configSchemaHandler;
  if (!handler || typeof handler.defineCustomProperties !== 'function') return;
  handler.defineCustomProperties({
    type: 'object',
    properties: {
      idpc: {
        type: 'object',
        properties: {
          programs: { type: 'array', items: { type: 'string' } },
          binary: { type: 'string' },
          denyWarnings: { type: 'boolean' },
        },
        required: ['programs'],
        additionalProperties: false,
      },
      // Written by the plugin (asyncInit), not by the user.
      [STASH]: { type: 'object' },
    },
  });
}

/** `custom.idpc`, checked (the schema is not enforced by every framework). */
function readSettings(custom, error) {
  if (!custom || typeof custom !== 'object') {
    throw error('serverless-idpc: `custom.idpc.programs` is missing: list the .idp programs to compile');
  }
  const known = ['programs', 'binary', 'denyWarnings'];
  for (const key of Object.keys(custom)) {
    if (!known.includes(key)) {
      throw error(`serverless-idpc: unknown setting \`custom.idpc.${key}\` (expected one of ${known.join(', ')})`);
    }
  }
  const { programs, binary, denyWarnings } = custom;
  if (!Array.isArray(programs) || programs.length === 0 || programs.some((p) => typeof p !== 'string' || !p)) {
    throw error('serverless-idpc: `custom.idpc.programs` must be a non-empty list of .idp paths');
  }
  if (new Set(programs).size !== programs.length) {
    throw error('serverless-idpc: `custom.idpc.programs` lists a program twice');
  }
  if (binary !== undefined && (typeof binary !== 'string' || !binary)) {
    throw error('serverless-idpc: `custom.idpc.binary` must be the path of the idpc binary');
  }
  if (denyWarnings !== undefined && typeof denyWarnings !== 'boolean') {
    throw error('serverless-idpc: `custom.idpc.denyWarnings` must be true or false');
  }
  // Read while plugins load: a variable Serverless resolves later is still text.
  for (const [key, value] of [...programs.map((p) => ['programs', p]), ['binary', binary]]) {
    if (typeof value === 'string' && value.includes('${')) {
      throw error(
        `serverless-idpc: \`custom.idpc.${key}\` is \`${value}\`, with a variable Serverless resolves only after ` +
          'plugins load, when the plugin has compiled the programs: write the path itself'
      );
    }
  }
  return { programs, binary, denyWarnings: denyWarnings === true };
}

/**
 * The idpc binary: `custom.idpc.binary` (relative to the service), else
 * `IDPC`, else the first `idpc` on PATH. `{ path }` or `{ problem }`.
 */
function findBinary(configured, env, serviceDir) {
  if (configured) {
    const full = path.resolve(serviceDir, configured);
    return isExecutable(full)
      ? { path: full }
      : { problem: `serverless-idpc: \`custom.idpc.binary\` is ${configured}, but ${full} is not an executable file; ${INSTALL_HELP}` };
  }
  if (env.IDPC) {
    const full = path.resolve(env.IDPC);
    return isExecutable(full)
      ? { path: full }
      : { problem: `serverless-idpc: IDPC is ${env.IDPC}, but ${full} is not an executable file; ${INSTALL_HELP}` };
  }
  const names = process.platform === 'win32' ? ['idpc.exe', 'idpc'] : ['idpc'];
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const full = path.join(dir, name);
      if (isExecutable(full)) return { path: full };
    }
  }
  return { problem: `serverless-idpc: the idpc compiler was not found on PATH; ${INSTALL_HELP}` };
}

function isExecutable(file) {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch (_) {
    return false;
  }
}

/** Runs a command; resolves with its status, signal, stdout and stderr (never rejects). */
function run(binary, args, cwd) {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(binary, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (spawnError) {
      resolve({ spawnError });
      return;
    }
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', (spawnError) => resolve({ spawnError }));
    child.on('close', (status, signal) =>
      resolve({
        status,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      })
    );
  });
}

/**
 * Compiles one program from the service directory (so its `use
 * "serverless.yml"` reads this service's stack) into `Resources` and
 * `Outputs` for Serverless (its variables kept as written, policy variables
 * split with `Fn::Join`), JSON. Resolves with `{ template, diagnostics, failure }`:
 * `failure` is the message of a failed build (with every error in it).
 */
async function compileProgram(binary, program, serviceDir, settings) {
  const args = ['build', program, '--target', 'serverless', '--format', 'json', '--error-format', 'json', '--color', 'never'];
  if (settings.denyWarnings) args.push('--deny-warnings');
  const result = await run(binary, args, serviceDir);
  if (result.spawnError) {
    return { diagnostics: [], failure: `serverless-idpc: cannot run ${binary}: ${result.spawnError.message}; ${INSTALL_HELP}` };
  }
  const diagnostics = parseDiagnostics(result.stderr);
  if (result.status !== 0) {
    const shown = diagnostics.filter((d) => d.severity === 'error' || (settings.denyWarnings && d.severity === 'warning'));
    const lines = (shown.length ? shown : diagnostics).map((d) => formatDiagnostic(d, program));
    return { diagnostics, failure: [failureHeadline(program, result, diagnostics, settings.denyWarnings), ...lines].join('\n') };
  }
  let template;
  try {
    template = JSON.parse(result.stdout);
  } catch (parseError) {
    return { diagnostics, failure: `serverless-idpc: ${binary} printed no JSON template for ${program}: ${parseError.message}` };
  }
  const problem = templateProblem(template);
  if (problem) return { diagnostics, failure: `serverless-idpc: ${program}: ${problem}` };
  return { template, diagnostics };
}

function templateProblem(template) {
  if (!template || typeof template !== 'object' || Array.isArray(template)) return 'idpc wrote something other than a template';
  for (const key of Object.keys(template)) {
    if (IGNORED_SECTIONS.includes(key)) continue;
    if (!MERGED_SECTIONS.includes(key)) return `idpc wrote a \`${key}\` section, which the plugin cannot merge`;
    const section = template[key];
    if (!section || typeof section !== 'object' || Array.isArray(section)) return `idpc wrote a \`${key}\` section that is not a map`;
  }
  return null;
}

function failureHeadline(program, result, diagnostics, denyWarnings) {
  const errors = diagnostics.some((d) => d.severity === 'error');
  const suffix = `${denyWarnings && !errors ? 'custom.idpc.denyWarnings is on: ' : ''}nothing was added to the stack`;
  if (result.signal) return `idpc was killed by ${result.signal} while compiling ${program}; ${suffix}`;
  const summary = countBySeverity(diagnostics);
  if (result.status === 1 && summary) return `idpc found ${summary} in ${program}; ${suffix}`;
  return `idpc could not compile ${program} (exit ${result.status}); ${suffix}`;
}

function countBySeverity(diagnostics) {
  const counts = {};
  for (const d of diagnostics) {
    if (d.severity === 'error' || d.severity === 'warning') counts[d.severity] = (counts[d.severity] || 0) + 1;
  }
  return Object.entries(counts)
    .map(([severity, n]) => `${n} ${severity}${n === 1 ? '' : 's'}`)
    .join(', ');
}

/**
 * `--error-format json`: one object per line. A line that is not JSON (a
 * crash) is kept as an error, so nothing idpc says is lost.
 */
function parseDiagnostics(stderr) {
  const diagnostics = [];
  for (const line of stderr.split('\n')) {
    if (!line.trim()) continue;
    let parsed;
    try {
      parsed = JSON.parse(line);
    } catch (_) {
      parsed = null;
    }
    if (parsed && parsed.summary === true) {
      diagnostics.push({ severity: 'note', message: `${parsed.not_listed} more diagnostic(s) not listed` });
    } else if (parsed && typeof parsed === 'object' && typeof parsed.message === 'string') {
      diagnostics.push(parsed);
    } else {
      diagnostics.push({ severity: 'error', message: line });
    }
  }
  return diagnostics;
}

/** `file:line:col: CODE: message`, then its other places, notes and help. */
function formatDiagnostic(d, program) {
  const where = d.file ? `${d.file}:${d.line}:${d.column}` : program;
  const lines = [`${where}: ${d.code ? `${d.code}: ` : ''}${d.message}`];
  for (const label of d.labels || []) {
    if (label.primary) {
      if (label.message) lines.push(`  ${label.message}`);
    } else {
      lines.push(`  ${label.file}:${label.line}:${label.column}: ${label.message}`);
    }
  }
  for (const note of d.notes || []) lines.push(`  note: ${note}`);
  if (d.help) lines.push(`  help: ${d.help}`);
  return lines.join('\n');
}

/**
 * Every logical ID a program defines that something else in the stack
 * defines too: another program, the user's `resources:`, or Serverless.
 */
function findClashes(compiled, stack, userResources, configFile, serviceDir) {
  const clashes = [];
  for (const section of MERGED_SECTIONS) {
    const noun = section === 'Resources' ? 'resource' : 'output';
    const owners = new Map();
    for (const id of Object.keys((stack && stack[section]) || {})) owners.set(id, `the ${noun} generated by Serverless`);
    for (const id of Object.keys((userResources && userResources[section]) || {})) {
      owners.set(id, `the ${noun} in \`resources:\` of ${configFile}`);
    }
    for (const { program, template } of compiled) {
      for (const id of Object.keys(template[section] || {})) {
        const here = definitionPlace(program, id, serviceDir);
        if (owners.has(id)) {
          clashes.push(`${here}: ${noun} ${id} clashes with ${owners.get(id)}; rename one of them`);
        } else {
          owners.set(id, `the ${noun} of ${here}`);
        }
      }
    }
  }
  return clashes;
}

/** `program:line:col` of the first whole-word mention of `id`, else the program. */
function definitionPlace(program, id, serviceDir) {
  const lines = programLines(program, serviceDir);
  if (!lines) return program;
  const word = new RegExp(`(^|[^A-Za-z0-9_])${id.replace(/[^A-Za-z0-9_]/g, '\\$&')}(?![A-Za-z0-9_])`);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trimStart().startsWith('#')) continue;
    const match = word.exec(lines[i]);
    if (match) return `${program}:${i + 1}:${match.index + match[1].length + 1}`;
  }
  return program;
}

module.exports = ServerlessIdpc;
module.exports.internals = {
  readSettings,
  findBinary,
  compileProgram,
  parseDiagnostics,
  formatDiagnostic,
  findClashes,
  definitionPlace,
  templateProblem,
  resolutionProblems,
  firstVariable,
  variablePlace,
  STASH,
};
