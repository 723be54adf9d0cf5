'use strict';

// Unit tests of the plugin's own logic, with a fake idpc (test/fake-idpc.js).
// The real compiler and the real frameworks are tested by .ci/check-plugin.

const { test, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ServerlessIdpc = require('..');
const {
  readSettings, findBinary, compileProgram, parseDiagnostics, formatDiagnostic, findClashes,
  resolutionProblems, firstVariable, variablePlace, STASH,
} = ServerlessIdpc.internals;

const FAKE = path.join(__dirname, 'fake-idpc.js');

class FakeServerlessError extends Error {}

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'serverless-idpc-test-'));
}

// What `idpc build --target serverless` writes: Serverless variables as
// written, policy variables split with Fn::Join.
const PRIVATE_OBJECTS = { 'Fn::Join': ['', ['arn:aws:s3:::b/private/', '$', '{cognito-identity.amazonaws.com:sub}/*']] };
const TEMPLATE = {
  Resources: {
    NotesPool: {
      Type: 'AWS::Cognito::IdentityPool',
      Properties: { IdentityPoolName: '${self:custom.stage}NotesPool', AllowUnauthenticatedIdentities: false },
    },
    NotesAuthRole: {
      Type: 'AWS::IAM::Role',
      Properties: { Policies: [{ PolicyDocument: { Statement: [{ Resource: PRIVATE_OBJECTS }] } }] },
    },
  },
  Outputs: { NotesPoolId: { Value: { Ref: 'NotesPool' } } },
};

/** A stand-in for the framework's resolver: replaces whole variables it knows. */
function resolveWith(values) {
  const walk = (value) => {
    if (typeof value === 'string') return value.replace(/\$\{[^}]*\}/g, (v) => (v in values ? values[v] : v));
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk;
}

const UNKNOWN_ACTION = {
  code: 'E0402',
  severity: 'error',
  message: '`s3:GetObjekt` is not an action',
  file: 'pool.idp',
  line: 7,
  column: 11,
  end_line: 7,
  end_column: 23,
  labels: [{ file: 'pool.idp', line: 7, column: 11, end_line: 7, end_column: 23, start: 90, end: 102, message: 'unknown action', primary: true }],
  notes: ['IAM accepts a policy naming an action that does not exist'],
  help: 'did you mean `s3:GetObject`?',
};

const WIDE_GRANT = {
  code: 'W0601',
  severity: 'warning',
  message: '`s3:*` grants every S3 action',
  file: 'pool.idp',
  line: 8,
  column: 11,
  labels: [],
  notes: [],
  help: null,
};

function fakeRun({ stdout = '', stderr = '', status = 0 } = {}) {
  process.env.FAKE_IDPC_STDOUT = stdout;
  process.env.FAKE_IDPC_STDERR = stderr;
  process.env.FAKE_IDPC_STATUS = String(status);
}

/**
 * A Serverless instance with just what the plugin touches; logs are
 * recorded. `extendConfiguration` sets the value as the frameworks do;
 * `resolveVariables()` then plays their last resolution pass with
 * `resolve` (a function of the configuration's `custom`).
 */
function fakeServerless(serviceDir, custom, { generated = {}, resources, resolve = resolveWith({ '${self:custom.stage}': 'dev' }) } = {}) {
  const logs = [];
  const log = (text) => logs.push(['notice', text]);
  log.warning = (text) => logs.push(['warning', text]);
  log.error = (text) => logs.push(['error', text]);
  log.info = (text) => logs.push(['info', text]);
  const configurationInput = { custom };
  const serverless = {
    serviceDir,
    configurationFilename: 'serverless.yml',
    classes: { Error: FakeServerlessError },
    configurationInput,
    extensions: [],
    extendConfiguration(keys, value) {
      this.extensions.push(keys.join('.'));
      let at = configurationInput;
      for (const key of keys.slice(0, -1)) at = at[key] = at[key] || {};
      at[keys[keys.length - 1]] = JSON.parse(JSON.stringify(value));
    },
    resolveVariables() {
      configurationInput.custom = resolve(configurationInput.custom);
      this.service.custom = configurationInput.custom;
    },
    service: {
      custom,
      resources,
      provider: { compiledCloudFormationTemplate: { Resources: { ...generated }, Outputs: {} } },
    },
  };
  const written = [];
  const plugin = new ServerlessIdpc(serverless, {}, { log, writeText: (t) => written.push(t) });
  return { serverless, plugin, logs, written };
}

beforeEach(() => {
  delete process.env.FAKE_IDPC_RECORD;
  fakeRun();
});

test('settings: programs are required, unknown keys and wrong types are errors', () => {
  const error = (m) => new Error(m);
  assert.throws(() => readSettings(undefined, error), /`custom.idpc.programs` is missing/);
  assert.throws(() => readSettings({ programs: [] }, error), /non-empty list/);
  assert.throws(() => readSettings({ programs: 'pool.idp' }, error), /non-empty list/);
  assert.throws(() => readSettings({ programs: ['a.idp', 'a.idp'] }, error), /lists a program twice/);
  assert.throws(() => readSettings({ programs: ['a.idp'], program: 'b.idp' }, error), /unknown setting `custom.idpc.program`/);
  assert.throws(() => readSettings({ programs: ['a.idp'], denyWarnings: 'yes' }, error), /true or false/);
  assert.deepEqual(readSettings({ programs: ['a.idp'] }, error), { programs: ['a.idp'], binary: undefined, denyWarnings: false });
});

test('binary: custom.idpc.binary (relative to the service), then IDPC, then PATH', () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'bin'));
  const onPath = path.join(dir, 'bin', 'idpc');
  fs.copyFileSync(FAKE, onPath);
  fs.chmodSync(onPath, 0o755);
  const env = { PATH: path.join(dir, 'bin'), IDPC: FAKE };
  assert.equal(findBinary('bin/idpc', env, dir).path, onPath);
  assert.equal(findBinary(undefined, env, dir).path, FAKE);
  assert.equal(findBinary(undefined, { PATH: `/nonexistent${path.delimiter}${path.join(dir, 'bin')}` }, dir).path, onPath);
});

test('binary: a missing one says how to install idpc and where it looked', () => {
  const dir = tempDir();
  const notFound = findBinary(undefined, { PATH: dir }, dir);
  assert.equal(notFound.path, undefined);
  assert.match(notFound.problem, /idpc compiler was not found on PATH/);
  assert.match(notFound.problem, /cargo install --path/);
  assert.match(notFound.problem, /README, "Install"/);
  assert.match(findBinary('tools/idpc', {}, dir).problem, /`custom.idpc.binary` is tools\/idpc, but .*tools\/idpc is not an executable file/);
  assert.match(findBinary(undefined, { IDPC: path.join(dir, 'nope') }, dir).problem, /IDPC is .*nope, but .* is not an executable file/);
  const notExecutable = path.join(dir, 'idpc');
  fs.writeFileSync(notExecutable, '');
  fs.chmodSync(notExecutable, 0o644);
  assert.equal(findBinary(undefined, { PATH: dir }, dir).path, undefined);
});

test('compile: runs idpc build for Serverless (--target serverless), from the service directory', async () => {
  const dir = tempDir();
  process.env.FAKE_IDPC_RECORD = path.join(dir, 'record.json');
  fakeRun({ stdout: JSON.stringify(TEMPLATE) });
  const result = await compileProgram(FAKE, 'pool.idp', dir, { denyWarnings: true });
  assert.equal(result.failure, undefined);
  assert.deepEqual(result.template, TEMPLATE);
  const record = JSON.parse(fs.readFileSync(process.env.FAKE_IDPC_RECORD, 'utf8'));
  assert.equal(fs.realpathSync(record.cwd), fs.realpathSync(dir));
  assert.deepEqual(record.args, [
    'build', 'pool.idp', '--target', 'serverless', '--format', 'json',
    '--error-format', 'json', '--color', 'never', '--deny-warnings',
  ]);
});

test('compile: errors fail with file:line:col, code, message, notes and help; warnings are kept', async () => {
  fakeRun({ stderr: `${JSON.stringify(WIDE_GRANT)}\n${JSON.stringify(UNKNOWN_ACTION)}\n`, status: 1 });
  const result = await compileProgram(FAKE, 'pool.idp', tempDir(), { denyWarnings: false });
  assert.equal(result.template, undefined);
  assert.equal(
    result.failure,
    [
      'idpc found 1 warning, 1 error in pool.idp; nothing was added to the stack',
      'pool.idp:7:11: E0402: `s3:GetObjekt` is not an action',
      '  unknown action',
      '  note: IAM accepts a policy naming an action that does not exist',
      '  help: did you mean `s3:GetObject`?',
    ].join('\n')
  );
  assert.deepEqual(result.diagnostics.map((d) => d.code), ['W0601', 'E0402']);
});

test('compile: under denyWarnings a warning alone fails, and says why', async () => {
  fakeRun({ stderr: `${JSON.stringify(WIDE_GRANT)}\n`, status: 1 });
  const result = await compileProgram(FAKE, 'pool.idp', tempDir(), { denyWarnings: true });
  assert.match(result.failure, /^idpc found 1 warning in pool\.idp; custom\.idpc\.denyWarnings is on: nothing was added/);
  assert.match(result.failure, /pool\.idp:8:11: W0601: `s3:\*` grants every S3 action/);
});

test('compile: I/O failures, crashes and odd output are failures that keep what idpc said', async () => {
  fakeRun({ stderr: 'thread main panicked at src/x.rs\n', status: 101 });
  const crash = await compileProgram(FAKE, 'pool.idp', tempDir(), {});
  assert.equal(crash.failure, 'idpc could not compile pool.idp (exit 101); nothing was added to the stack\npool.idp: thread main panicked at src/x.rs');

  fakeRun({ stdout: 'not json' });
  assert.match((await compileProgram(FAKE, 'pool.idp', tempDir(), {})).failure, /printed no JSON template for pool\.idp/);

  fakeRun({ stdout: JSON.stringify({ ...TEMPLATE, Parameters: { Stage: { Type: 'String' } } }) });
  assert.match((await compileProgram(FAKE, 'pool.idp', tempDir(), {})).failure, /a `Parameters` section, which the plugin cannot merge/);

  const dir = tempDir();
  const notExecutable = path.join(dir, 'idpc');
  fs.writeFileSync(notExecutable, '');
  const spawnFailure = await compileProgram(notExecutable, 'pool.idp', dir, {});
  assert.match(spawnFailure.failure, /cannot run .*idpc: .*cargo install/);
});

test('diagnostics: the summary line past 1,000 and secondary places are shown', () => {
  const parsed = parseDiagnostics('{"summary": true, "not_listed": 5, "errors": 5, "warnings": 0, "notes": 0}\n');
  assert.deepEqual(parsed, [{ severity: 'note', message: '5 more diagnostic(s) not listed' }]);
  const twice = {
    code: 'E0103',
    severity: 'error',
    message: '`Pool` is declared more than once',
    file: 'pool.idp',
    line: 3,
    column: 15,
    labels: [
      { file: 'pool.idp', line: 3, column: 15, message: 'declared again here', primary: true },
      { file: 'resources/pool.yml', line: 2, column: 3, message: '`Pool` first declared here', primary: false },
    ],
    notes: [],
    help: 'logical IDs are unique within a stack: rename one of them',
  };
  assert.equal(
    formatDiagnostic(twice, 'pool.idp'),
    'pool.idp:3:15: E0103: `Pool` is declared more than once\n  declared again here\n' +
      '  resources/pool.yml:2:3: `Pool` first declared here\n  help: logical IDs are unique within a stack: rename one of them'
  );
  // A diagnostic about no text is placed at the program.
  assert.equal(formatDiagnostic({ code: 'E0901', message: 'cannot read', labels: [], notes: [] }, 'pool.idp'), 'pool.idp: E0901: cannot read');
});

test('clashes: with Serverless, with resources:, between programs, each naming both', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'a.idp'), '# NotesPool in a comment\nidentity_pool NotesPool {\n}\noutput NotesPoolId = NotesPool\n');
  fs.writeFileSync(path.join(dir, 'b.idp'), 'identity_pool Other {\n  authenticated role IamRoleLambdaExecution {\n  }\n}\noutput NotesPoolId = Other\n');
  const compiled = [
    { program: 'a.idp', template: { Resources: { NotesPool: {}, UserPool: {} }, Outputs: { NotesPoolId: {} } } },
    { program: 'b.idp', template: { Resources: { IamRoleLambdaExecution: {} }, Outputs: { NotesPoolId: {} } } },
  ];
  const clashes = findClashes(
    compiled,
    { Resources: { IamRoleLambdaExecution: {} }, Outputs: {} },
    { Resources: { UserPool: {} }, Outputs: {} },
    'serverless.yml',
    dir
  );
  assert.deepEqual(clashes, [
    'a.idp: resource UserPool clashes with the resource in `resources:` of serverless.yml; rename one of them',
    'b.idp:2:22: resource IamRoleLambdaExecution clashes with the resource generated by Serverless; rename one of them',
    'b.idp:5:8: output NotesPoolId clashes with the output of a.idp:4:8; rename one of them',
  ]);
  // Resources and Outputs are separate: an output may share a resource's name.
  assert.deepEqual(findClashes([{ program: 'a.idp', template: { Outputs: { NotesPool: {} } } }], { Resources: { NotesPool: {} } }, undefined, 'serverless.yml', dir), []);
});

/** Plays a command: plugins load (asyncInit), the framework resolves its variables, then the hook. */
async function load(fake) {
  await fake.plugin.asyncInit();
  fake.serverless.resolveVariables();
}

test('plugin: programs compiled as plugins load reach resources: with their variables resolved by the framework', async () => {
  const dir = tempDir();
  process.env.IDPC = FAKE;
  fakeRun({ stdout: JSON.stringify(TEMPLATE), stderr: `${JSON.stringify(WIDE_GRANT)}\n` });
  const fake = fakeServerless(dir, { stage: 'dev', idpc: { programs: ['pool.idp'] } }, {
    generated: { ServerlessDeploymentBucket: {} },
    resources: { Resources: { UserPool: { Type: 'AWS::Cognito::UserPool' } } },
    resolve: resolveWith({ '${self:custom.stage}': 'qa' }),
  });
  const { serverless, plugin, logs } = fake;
  await plugin.asyncInit();
  // Handed to the framework before its last resolution pass, as idpc wrote it.
  assert.deepEqual(serverless.extensions, [`custom.${STASH}`]);
  assert.deepEqual(serverless.configurationInput.custom[STASH], { 'pool.idp': TEMPLATE });
  assert.deepEqual(logs, [], 'nothing is said while plugins load');
  serverless.resolveVariables();
  await plugin.hooks['before:package:finalize']();
  const { resources, provider } = serverless.service;
  assert.deepEqual(Object.keys(resources.Resources), ['UserPool', 'NotesPool', 'NotesAuthRole']);
  assert.equal(resources.Resources.NotesPool.Properties.IdentityPoolName, 'qaNotesPool');
  assert.deepEqual(resources.Outputs, TEMPLATE.Outputs);
  assert.deepEqual(resources.Resources.NotesAuthRole.Properties.Policies[0].PolicyDocument.Statement[0].Resource, PRIVATE_OBJECTS);
  assert.deepEqual(Object.keys(provider.compiledCloudFormationTemplate.Resources), ['ServerlessDeploymentBucket']);
  assert.deepEqual(logs.filter(([level]) => level === 'warning'), [['warning', 'pool.idp:8:11: W0601: `s3:*` grants every S3 action']]);
  // A second package:finalize in the same process does not clash with itself, nor warns again.
  await plugin.hooks['before:package:finalize']();
  assert.deepEqual(Object.keys(resources.Resources), ['UserPool', 'NotesPool', 'NotesAuthRole']);
  assert.equal(logs.filter(([level]) => level === 'warning').length, 1);
});

test('plugin: an error or a clash fails at package, not while plugins load, with the framework\'s error class, leaving the stack alone', async () => {
  const dir = tempDir();
  process.env.IDPC = FAKE;
  fakeRun({ stderr: `${JSON.stringify(UNKNOWN_ACTION)}\n`, status: 1 });
  const failing = fakeServerless(dir, { idpc: { programs: ['pool.idp'] } }, { resources: { Resources: {} } });
  await load(failing); // `serverless remove` or `logs` still work
  assert.deepEqual(failing.serverless.extensions, []);
  await assert.rejects(failing.plugin.hooks['before:package:finalize'](), (e) => e instanceof FakeServerlessError && /pool\.idp:7:11: E0402/.test(e.message));
  assert.deepEqual(failing.serverless.service.resources, { Resources: {} });

  fakeRun({ stdout: JSON.stringify(TEMPLATE) });
  const clashing = fakeServerless(dir, { idpc: { programs: ['pool.idp'] } }, { generated: { NotesPool: {} }, resources: undefined });
  await load(clashing);
  await assert.rejects(clashing.plugin.hooks['before:package:finalize'](), /resource NotesPool clashes with the resource generated by Serverless/);
  assert.equal(clashing.serverless.service.resources, undefined);

  const unconfigured = fakeServerless(dir, undefined);
  await load(unconfigured);
  await assert.rejects(unconfigured.plugin.hooks['before:package:finalize'](), (e) => e instanceof FakeServerlessError && /`custom.idpc.programs` is missing/.test(e.message));
});

test('plugin: a variable the framework leaves unresolved, or resolves to no text, fails naming it and its line', async () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'pool.idp'), 'use "serverless.yml"\n\nidentity_pool NotesPool {\n  name "${self:custom.stage}NotesPool"\n}\n');
  process.env.IDPC = FAKE;
  fakeRun({ stdout: JSON.stringify(TEMPLATE) });
  // A framework that does not resolve extensions (Serverless before 3.26).
  const old = fakeServerless(dir, { idpc: { programs: ['pool.idp'] } }, { resources: {}, resolve: (custom) => custom });
  await load(old);
  await assert.rejects(old.plugin.hooks['before:package:finalize'](), (e) =>
    e instanceof FakeServerlessError &&
    e.message.includes('pool.idp:4:9: `${self:custom.stage}` (Resources.NotesPool.Properties.IdentityPoolName) was left unresolved by the framework'));
  assert.deepEqual(old.serverless.service.resources, {});

  const object = fakeServerless(dir, { idpc: { programs: ['pool.idp'] } }, { resources: {}, resolve: resolveWith({ '${self:custom.stage}': '' }) });
  object.serverless.resolveVariables = function () {
    this.configurationInput.custom[STASH]['pool.idp'].Resources.NotesPool.Properties.IdentityPoolName = { a: 1 };
    this.service.custom = this.configurationInput.custom;
  };
  await load(object);
  await assert.rejects(object.plugin.hooks['before:package:finalize'](), /pool\.idp:4:9: `\$\{self:custom\.stage\}NotesPool` \(Resources\.NotesPool\.Properties\.IdentityPoolName\) resolved to \{"a":1\}, not text/);
});

test('plugin: a framework that cannot take configuration from plugins is an error, never a silent template', async () => {
  process.env.IDPC = FAKE;
  fakeRun({ stdout: JSON.stringify(TEMPLATE) });
  const noExtend = fakeServerless(tempDir(), { idpc: { programs: ['pool.idp'] } }, { resources: {} });
  delete noExtend.serverless.extendConfiguration;
  await load(noExtend);
  await assert.rejects(noExtend.plugin.hooks['before:package:finalize'](), /serverless\.extendConfiguration.*Serverless Framework 3\.26 or later, or osls/);
  // Called too late (after plugins loaded), the framework refuses: the same.
  const late = fakeServerless(tempDir(), { idpc: { programs: ['pool.idp'] } }, { resources: {} });
  late.serverless.extendConfiguration = () => {
    throw new Error('Cannot extend configuration: It can only be extended during initialization phase.');
  };
  await load(late);
  await assert.rejects(late.plugin.hooks['before:package:finalize'](), /or osls \(Cannot extend configuration: It can only be extended during initialization phase\.\)/);
  // asyncInit never called: the same.
  const noInit = fakeServerless(tempDir(), { idpc: { programs: ['pool.idp'] } }, { resources: {} });
  await assert.rejects(noInit.plugin.hooks['before:package:finalize'](), /did not initialise the plugin/);
  assert.deepEqual(noInit.serverless.service.resources, {});
  // custom.idpcCompiled is the plugin's.
  const taken = fakeServerless(tempDir(), { idpc: { programs: ['pool.idp'] }, [STASH]: {} }, { resources: {} });
  await load(taken);
  await assert.rejects(taken.plugin.hooks['before:package:finalize'](), /`custom.idpcCompiled` is where the plugin puts the compiled programs; remove it from serverless.yml/);
});

test('settings: a variable still unresolved when plugins load is an error', () => {
  const error = (m) => new Error(m);
  assert.throws(() => readSettings({ programs: ['${sls:stage}.idp'] }, error),
    /`custom.idpc.programs` is `\$\{sls:stage\}.idp`, with a variable Serverless resolves only after plugins load/);
  assert.throws(() => readSettings({ programs: ['a.idp'], binary: '${env:HOME}/idpc' }, error), /`custom.idpc.binary` is/);
});

test('resolution: problems are found anywhere in the template, and only where idpc wrote a variable', () => {
  assert.deepEqual(resolutionProblems(TEMPLATE, resolveWith({ '${self:custom.stage}': 'dev' })(TEMPLATE)), []);
  // The split policy variable is no variable to the check: '$' and '{...}' are apart.
  assert.deepEqual(resolutionProblems({ R: PRIVATE_OBJECTS }, { R: PRIVATE_OBJECTS }), []);
  const nested = { Outputs: { Id: { Export: { Name: { 'Fn::Join': ['-', ['${self:service}', '${sls:stage}']] } } } } };
  assert.deepEqual(resolutionProblems(nested, resolveWith({ '${self:service}': 'notes' })(nested)), [
    { variable: '${sls:stage}', text: '`${sls:stage}` (Outputs.Id.Export.Name.Fn::Join.1.1) was left unresolved by the framework' },
  ]);
  assert.deepEqual(resolutionProblems({ A: { B: 'x' } }, undefined), [{ variable: null, text: 'the template is missing from custom.idpcCompiled' }]);
  assert.equal(firstVariable('a${opt:stage, ${self:provider.stage}}b${x:y}'), '${opt:stage, ${self:provider.stage}}');
});

test('resolution: the place of a variable is its first mention outside comments', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'p.idp'), '# ${sls:stage} in a comment\nidentity_pool P {\n  name "x${sls:stage}"\n}\n');
  assert.equal(variablePlace('p.idp', '${sls:stage}', dir), 'p.idp:3:10');
  assert.equal(variablePlace('p.idp', '${opt:region}', dir), 'p.idp');
  assert.equal(variablePlace('missing.idp', '${sls:stage}', dir), 'missing.idp');
});

test('plugin: `serverless idpc print` writes the Resources and Outputs it would add, resolved', async () => {
  process.env.IDPC = FAKE;
  fakeRun({ stdout: JSON.stringify(TEMPLATE) });
  const fake = fakeServerless(tempDir(), { idpc: { programs: ['pool.idp'] } });
  assert.deepEqual(fake.plugin.commands.idpc.commands.print.lifecycleEvents, ['print']);
  await load(fake);
  await fake.plugin.hooks['idpc:print:print']();
  const resolved = resolveWith({ '${self:custom.stage}': 'dev' })(TEMPLATE);
  assert.deepEqual(JSON.parse(fake.written.join('')), { Resources: resolved.Resources, Outputs: resolved.Outputs });
  assert.equal(JSON.parse(fake.written.join('')).Resources.NotesPool.Properties.IdentityPoolName, 'devNotesPool');
});

test('plugin: without the v3 log writers, warnings go through serverless.cli.log', async () => {
  process.env.IDPC = FAKE;
  fakeRun({ stdout: JSON.stringify(TEMPLATE), stderr: `${JSON.stringify(WIDE_GRANT)}\n` });
  const lines = [];
  const fake = fakeServerless(tempDir(), { idpc: { programs: ['pool.idp'] } });
  fake.serverless.cli = { log: (text) => lines.push(text) };
  const plugin = new ServerlessIdpc(fake.serverless, {});
  await plugin.asyncInit();
  fake.serverless.resolveVariables();
  await plugin.hooks['before:package:finalize']();
  assert.deepEqual(lines, ['Warning: pool.idp:8:11: W0601: `s3:*` grants every S3 action']);
  assert.deepEqual(Object.keys(fake.serverless.service.resources.Resources), ['NotesPool', 'NotesAuthRole']);
});

test('plugin: every failing program is reported, not only the first', async () => {
  process.env.IDPC = FAKE;
  fakeRun({ stderr: `${JSON.stringify(UNKNOWN_ACTION)}\n`, status: 1 });
  const fake = fakeServerless(tempDir(), { idpc: { programs: ['a.idp', 'b.idp'] } }, { resources: { Resources: {} } });
  await load(fake);
  await assert.rejects(fake.plugin.hooks['before:package:finalize'](), (e) =>
    /idpc found 1 error in a\.idp/.test(e.message) && /idpc found 1 error in b\.idp/.test(e.message));
});
