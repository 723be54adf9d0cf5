// Hand-written expectations for a small program: each line's tokens (blanks
// left out) and the innermost scope of each, as a theme sees them. A change
// to the grammar that changes them shows up here, to be reviewed.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { tokenize, innermost } = require('./tokenize.js');

const PROGRAM = [
  '# idpc: allow(W0601) reason: the guide\'s policy',
  'use bucket Files, Media',
  'role Admin if IsProd {',
  '  allow s3:Get*, read on Files/list/$<sub>/* when aws:PrincipalTag/team == "ops" # ok',
  '  deny * on "arn:aws:s3:::${self:custom.bucket}/${aws:username}/*"',
  '}',
  'output AdminArn = Admin.Arn { export "$(AWS::StackName)-$(Files.Arn)\\n" }',
  'expect guests cannot write on Media/*',
];

const EXPECTED = [
  [
    ['#', 'punctuation.definition.comment.idp'],
    ['idpc:', 'keyword.other.directive.idp'],
    ['allow', 'keyword.other.directive.allow.idp'],
    ['(', 'comment.line.number-sign.suppression.idp'],
    ['W0601', 'constant.other.diagnostic-code.idp'],
    [') ', 'comment.line.number-sign.suppression.idp'],
    ['reason:', 'keyword.other.directive.reason.idp'],
    [" the guide's policy", 'comment.line.number-sign.suppression.idp'],
  ],
  [
    ['use', 'keyword.other.declaration.idp'],
    ['bucket', 'support.type.kind.idp'],
    ['Files', 'variable.other.logical-id.idp'],
    [',', 'punctuation.separator.comma.idp'],
    ['Media', 'variable.other.logical-id.idp'],
  ],
  [
    ['role', 'keyword.other.declaration.idp'],
    ['Admin', 'entity.name.type.idp'],
    ['if', 'keyword.other.idp'],
    ['IsProd', 'variable.other.logical-id.idp'],
    ['{', 'punctuation.section.block.begin.idp'],
  ],
  [
    ['allow', 'keyword.control.allow.idp'],
    ['s3', 'entity.name.namespace.service.idp'],
    [':', 'punctuation.separator.namespace.idp'],
    ['Get', 'support.function.action.idp'],
    ['*', 'keyword.operator.wildcard.idp'],
    [',', 'punctuation.separator.comma.idp'],
    ['read', 'constant.language.access-level.idp'],
    ['on', 'keyword.other.idp'],
    ['Files', 'variable.other.logical-id.idp'],
    ['/', 'string.unquoted.path.idp'],
    ['list/', 'string.unquoted.path.idp'],
    ['$<', 'punctuation.definition.variable.begin.idp'],
    ['sub', 'variable.language.policy.name.idp'],
    ['>', 'punctuation.definition.variable.end.idp'],
    ['/', 'string.unquoted.path.idp'],
    ['*', 'keyword.operator.wildcard.idp'],
    ['when', 'keyword.other.idp'],
    ['aws:PrincipalTag/team', 'support.variable.condition-key.idp'],
    ['==', 'keyword.operator.comparison.idp'],
    ['"', 'punctuation.definition.string.begin.idp'],
    ['ops', 'string.quoted.double.idp'],
    ['"', 'punctuation.definition.string.end.idp'],
    ['#', 'punctuation.definition.comment.idp'],
    [' ok', 'comment.line.number-sign.idp'],
  ],
  [
    ['deny', 'keyword.control.deny.idp'],
    ['*', 'constant.language.wildcard.idp'],
    ['on', 'keyword.other.idp'],
    ['"', 'punctuation.definition.string.begin.idp'],
    ['arn:aws:s3:::', 'string.quoted.double.idp'],
    ['${', 'punctuation.definition.variable.begin.idp'],
    ['self:custom.bucket', 'variable.other.serverless.idp'],
    ['}', 'punctuation.definition.variable.end.idp'],
    ['/', 'string.quoted.double.idp'],
    ['${', 'punctuation.definition.variable.begin.idp'],
    ['aws:username', 'variable.other.serverless.idp'],
    ['}', 'punctuation.definition.variable.end.idp'],
    ['/*', 'string.quoted.double.idp'],
    ['"', 'punctuation.definition.string.end.idp'],
  ],
  [['}', 'punctuation.section.block.end.idp']],
  [
    ['output', 'keyword.other.declaration.idp'],
    ['AdminArn', 'entity.name.type.idp'],
    ['=', 'keyword.operator.assignment.idp'],
    ['Admin', 'variable.other.logical-id.idp'],
    ['.', 'punctuation.accessor.idp'],
    ['Arn', 'entity.other.attribute-name.idp'],
    ['{', 'punctuation.section.block.begin.idp'],
    ['export', 'keyword.other.idp'],
    ['"', 'punctuation.definition.string.begin.idp'],
    ['$(', 'punctuation.definition.reference.begin.idp'],
    ['AWS::', 'support.variable.pseudo-parameter.idp'],
    ['StackName', 'support.variable.pseudo-parameter.idp'],
    [')', 'punctuation.definition.reference.end.idp'],
    ['-', 'string.quoted.double.idp'],
    ['$(', 'punctuation.definition.reference.begin.idp'],
    ['Files', 'variable.other.reference.idp'],
    ['.', 'punctuation.accessor.idp'],
    ['Arn', 'entity.other.attribute-name.idp'],
    [')', 'punctuation.definition.reference.end.idp'],
    ['\\n', 'constant.character.escape.idp'],
    ['"', 'punctuation.definition.string.end.idp'],
    ['}', 'punctuation.section.block.end.idp'],
  ],
  [
    ['expect', 'keyword.other.declaration.idp'],
    ['guests', 'keyword.other.who.idp'],
    ['cannot', 'keyword.other.idp'],
    ['write', 'constant.language.access-level.idp'],
    ['on', 'keyword.other.idp'],
    ['Media', 'variable.other.logical-id.idp'],
    ['/', 'string.unquoted.path.idp'],
    ['*', 'keyword.operator.wildcard.idp'],
  ],
];

test('a small program, token by token', async () => {
  const tokens = await tokenize(PROGRAM.join('\n'));
  const actual = PROGRAM.map((_, index) =>
    tokens.filter((t) => t.line === index + 1 && t.text.trim()).map((t) => [t.text, innermost(t)]),
  );
  for (let i = 0; i < PROGRAM.length; i++) assert.deepEqual(actual[i], EXPECTED[i], `line ${i + 1}: ${PROGRAM[i]}`);
});

test('a string left open ends at the end of its line', async () => {
  const tokens = await tokenize('name "open\nrole R {}');
  const role = tokens.find((t) => t.text === 'role');
  assert.equal(innermost(role), 'keyword.other.declaration.idp');
});
