'use strict';

// Unit tests of the plugin's own logic, with a fake idpc (test/fake-idpc.js).
// The real compiler and the real frameworks are tested by .ci/check-plugin.

const { test, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ServerlessIdpc = require('..');
const { readSettings, findBinary, compileProgram, parseDiagnostics, formatDiagnostic, findClashes } =
  ServerlessIdpc.internals;

const FAKE = path.join(__dirname, 'fake-idpc.js');

class FakeServerlessError extends Error {}

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'serverless-idpc-test-'));
}

const TEMPLATE = {
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: {
    NotesPool: { Type: 'AWS::Cognito::IdentityPool', Properties: { AllowUnauthenticatedIdentities: false } },
    NotesAuthRole: {
      Type: 'AWS::IAM::Role',
      Properties: { Policies: [{ PolicyDocument: { Statement: [{ Resource: 'arn:aws:s3:::b/private/${cognito-identity.amazonaws.com:sub}/*' }] } }] },
    },
  },
  Outputs: { NotesPoolId: { Value: { Ref: 'NotesPool' } } },
};

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

/** A Serverless instance with just what the plugin touches; logs are recorded. */
function fakeServerless(serviceDir, custom, { generated = {}, resources } = {}) {
  const logs = [];
  const log = (text) => logs.push(['notice', text]);
  log.warning = (text) => logs.push(['warning', text]);
  log.error = (text) => logs.push(['error', text]);
  log.info = (text) => logs.push(['info', text]);
  const serverless = {
    serviceDir,
    configurationFilename: 'serverless.yml',
    classes: { Error: FakeServerlessError },
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

test('compile: runs idpc build for a whole CloudFormation template, from the service directory', async () => {
  const dir = tempDir();
  process.env.FAKE_IDPC_RECORD = path.join(dir, 'record.json');
  fakeRun({ stdout: JSON.stringify(TEMPLATE) });
  const result = await compileProgram(FAKE, 'pool.idp', dir, { denyWarnings: true });
  assert.equal(result.failure, undefined);
  assert.deepEqual(result.template, TEMPLATE);
  const record = JSON.parse(fs.readFileSync(process.env.FAKE_IDPC_RECORD, 'utf8'));
  assert.equal(fs.realpathSync(record.cwd), fs.realpathSync(dir));
  assert.deepEqual(record.args, [
    'build', 'pool.idp', '--target', 'cloudformation', '--format', 'json',
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

test('diagnostics: a Serverless variable (E0108) gets the plugin\'s own advice instead of --target serverless', () => {
  const text = formatDiagnostic(
    { code: 'E0108', message: 'a Serverless variable', file: 'p.idp', line: 5, column: 9, labels: [], notes: [], help: 'build with `--target serverless`, or write the value itself' },
    'p.idp'
  );
  assert.doesNotMatch(text, /--target serverless/);
  assert.match(text, /\$\(AWS::StackName\)/);
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

test('plugin: before:package:finalize adds the programs to resources:, logs warnings, runs once', async () => {
  const dir = tempDir();
  process.env.IDPC = FAKE;
  fakeRun({ stdout: JSON.stringify(TEMPLATE), stderr: `${JSON.stringify(WIDE_GRANT)}\n` });
  const { serverless, plugin, logs } = fakeServerless(dir, { idpc: { programs: ['pool.idp'] } }, {
    generated: { ServerlessDeploymentBucket: {} },
    resources: { Resources: { UserPool: { Type: 'AWS::Cognito::UserPool' } } },
  });
  assert.equal(typeof plugin.hooks['before:package:finalize'], 'function');
  await plugin.hooks['before:package:finalize']();
  const { resources, provider } = serverless.service;
  assert.deepEqual(Object.keys(resources.Resources), ['UserPool', 'NotesPool', 'NotesAuthRole']);
  assert.deepEqual(resources.Outputs, TEMPLATE.Outputs);
  assert.equal(
    resources.Resources.NotesAuthRole.Properties.Policies[0].PolicyDocument.Statement[0].Resource,
    'arn:aws:s3:::b/private/${cognito-identity.amazonaws.com:sub}/*'
  );
  assert.deepEqual(Object.keys(provider.compiledCloudFormationTemplate.Resources), ['ServerlessDeploymentBucket']);
  assert.deepEqual(logs.filter(([level]) => level === 'warning'), [['warning', 'pool.idp:8:11: W0601: `s3:*` grants every S3 action']]);
  // A second package:finalize in the same process does not clash with itself.
  await plugin.hooks['before:package:finalize']();
  assert.deepEqual(Object.keys(resources.Resources), ['UserPool', 'NotesPool', 'NotesAuthRole']);
});

test('plugin: an error or a clash fails with the framework\'s error class, leaving the stack alone', async () => {
  const dir = tempDir();
  process.env.IDPC = FAKE;
  fakeRun({ stderr: `${JSON.stringify(UNKNOWN_ACTION)}\n`, status: 1 });
  const failing = fakeServerless(dir, { idpc: { programs: ['pool.idp'] } }, { resources: { Resources: {} } });
  await assert.rejects(failing.plugin.hooks['before:package:finalize'](), (e) => e instanceof FakeServerlessError && /pool\.idp:7:11: E0402/.test(e.message));
  assert.deepEqual(failing.serverless.service.resources, { Resources: {} });

  fakeRun({ stdout: JSON.stringify(TEMPLATE) });
  const clashing = fakeServerless(dir, { idpc: { programs: ['pool.idp'] } }, { generated: { NotesPool: {} }, resources: undefined });
  await assert.rejects(clashing.plugin.hooks['before:package:finalize'](), /resource NotesPool clashes with the resource generated by Serverless/);
  assert.equal(clashing.serverless.service.resources, undefined);
});

test('plugin: `serverless idpc print` writes the Resources and Outputs it would add', async () => {
  process.env.IDPC = FAKE;
  fakeRun({ stdout: JSON.stringify(TEMPLATE) });
  const { plugin, written } = fakeServerless(tempDir(), { idpc: { programs: ['pool.idp'] } });
  assert.deepEqual(plugin.commands.idpc.commands.print.lifecycleEvents, ['print']);
  await plugin.hooks['idpc:print:print']();
  assert.deepEqual(JSON.parse(written.join('')), { Resources: TEMPLATE.Resources, Outputs: TEMPLATE.Outputs });
});

test('plugin: without the v3 log writers, warnings go through serverless.cli.log', async () => {
  process.env.IDPC = FAKE;
  fakeRun({ stdout: JSON.stringify(TEMPLATE), stderr: `${JSON.stringify(WIDE_GRANT)}\n` });
  const lines = [];
  const serverless = {
    serviceDir: tempDir(),
    cli: { log: (text) => lines.push(text) },
    service: { custom: { idpc: { programs: ['pool.idp'] } }, provider: { compiledCloudFormationTemplate: { Resources: {}, Outputs: {} } } },
  };
  const plugin = new ServerlessIdpc(serverless, {});
  await plugin.hooks['before:package:finalize']();
  assert.deepEqual(lines, ['Warning: pool.idp:8:11: W0601: `s3:*` grants every S3 action']);
  assert.deepEqual(Object.keys(serverless.service.resources.Resources), ['NotesPool', 'NotesAuthRole']);
});

test('plugin: every failing program is reported, not only the first', async () => {
  process.env.IDPC = FAKE;
  fakeRun({ stderr: `${JSON.stringify(UNKNOWN_ACTION)}\n`, status: 1 });
  const { plugin } = fakeServerless(tempDir(), { idpc: { programs: ['a.idp', 'b.idp'] } }, { resources: { Resources: {} } });
  await assert.rejects(plugin.hooks['before:package:finalize'](), (e) =>
    /idpc found 1 error in a\.idp/.test(e.message) && /idpc found 1 error in b\.idp/.test(e.message));
});
