// update's template merge: the new version's changes to a generated template (base -> theirs) land in
// the user's template (ours) next to the user's own edits, every other byte kept; a property both
// changed is one conflict on the right line; the merge is idempotent; flow style, CRLF and JSON
// templates stay as they are written; ours that does not parse is refused; and for every template of
// the corpus, a function added or removed by the new version merges to what the new version has.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { UserError } from '../src/errors.ts';
import { cfnTags, toLongForm } from '../src/sam/cfn-tags.ts';
import { insertFragment } from '../src/sam/edit-template.ts';
import { functionFragment } from '../src/sam/function-resources.ts';
import { projectTemplate } from '../src/sam/project-template.ts';
import { READ_OPTIONS } from '../src/sam/read-template.ts';
import { checkMerged } from '../src/update/merge-check.ts';
import { mergeTemplate, type TemplateMerge } from '../src/update/merge-template.ts';
import { REPO } from './helpers/cli.ts';

const t = suite('merge-template');

const fn = (id: string, events: string[], logRetention = 30) =>
  functionFragment({ id, context: `./functions/${id.toLowerCase()}`, runtime: 'python3.13', arch: 'x86_64', events, route: `/${id.toLowerCase()}`, effectiveTimeout: 10, namePrefix: 'shop', traced: false, logRetention });

/** template.yaml of a three-function project, as a version of the tool renders it. */
const render = (globals: Record<string, unknown>, logRetention = 30) =>
  projectTemplate({ description: 'shop: AWS Lambda functions packaged as container images', memory: 512, timeout: 10, tracing: false, globals, fragments: [fn('HelloFunction', ['api'], logRetention), fn('WorkerFunction', ['sqs']), fn('CronFunction', ['schedule'])] });

/** Replaces each `from` (which must occur once) by `to`. */
function edit(text: string, pairs: [string, string][]): string {
  for (const [from, to] of pairs) {
    assert.is(text.split(from).length, 2, `${JSON.stringify(from)} occurs once`);
    text = text.replace(from, to);
  }
  return text;
}

const BASE = render({ Tags: { Team: 'core' } });
const ALARM = '\n  # Alarms when HelloFunction fails.\n  HelloFunctionErrors:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Threshold: 1\n';
/** The new version: a Globals property and a tag, an event's rate and batch size, a property gone, a new resource, two new properties together. */
const THEIRS = edit(render({ Tags: { Team: 'core', CostCenter: 'platform' }, EphemeralStorage: { Size: 1024 } }), [
  ['Schedule: rate(1 hour)', 'Schedule: rate(5 minutes)'],
  ['BatchSize: 10', 'BatchSize: 25'],
  ['./functions/hellofunction\n      DockerTag: python3.13-v1\n', `./functions/hellofunction\n      DockerTag: python3.13-v1\n${ALARM}`],
  ['        MaximumEventAgeInSeconds: 3600\n', ''],
  ['      PackageType: Image\n      Architectures:\n        - x86_64\n      Role: !GetAtt HelloFunctionRole.Arn\n', '      PackageType: Image\n      RecursiveLoop: Terminate\n      AutoPublishAlias: live\n      Architectures:\n        - x86_64\n      Role: !GetAtt HelloFunctionRole.Arn\n'],
]);
/** The user's edits: MemorySize on a function, a new property, a comment, a resource of their own, an output deleted. */
const USER: [string, string][] = [
  ['      Role: !GetAtt HelloFunctionRole.Arn\n', '      Role: !GetAtt HelloFunctionRole.Arn\n      MemorySize: 1024  # needs more for images\n'],
  ['      Role: !GetAtt CronFunctionRole.Arn\n', '      Role: !GetAtt CronFunctionRole.Arn\n      Description: "Nightly clean-up"\n'],
  ['Globals:\n', 'Globals:\n  # Reviewed with the platform team.\n'],
  ['\nOutputs:\n', '\n  # Uploads, kept by us.\n  UploadsBucket:\n    Type: AWS::S3::Bucket\n    Properties: {VersioningConfiguration: {Status: Enabled}}\n\nOutputs:\n'],
  ['  HelloFunctionArn:\n    Description: ARN of HelloFunction\n    Value: !GetAtt HelloFunction.Arn\n', ''],
];
const OURS = edit(BASE, USER);

const merge = (base: string, ours: string, theirs: string, conflict: 'inline' | 'rej' = 'inline', file = 'template.yaml'): TemplateMerge =>
  mergeTemplate(base, ours, theirs, { file, conflict, theirsLabel: 'create-container-lambda 0.2.0' });
const read = (text: string) => toLongForm(parseDocument(text, READ_OPTIONS));
/** Whether `part` is `all` with some items left out. */
const inOrder = (part: string[], all: string[]) => {
  let at = 0;
  return part.every((x) => (at = all.indexOf(x, at) + 1) > 0);
};
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

t('the new version changes and the user edits all land: the result is theirs with the user edits, byte for byte', () => {
  const m = merge(BASE, OURS, THEIRS);
  assert.equal(m.conflicts, []);
  assert.fixture(m.text, edit(THEIRS, USER));
  assert.equal(m.applied.sort(), [
    'Globals.Function.EphemeralStorage',
    'Globals.Function.Tags.CostCenter',
    'Resources.CronFunction.Properties.EventInvokeConfig.MaximumEventAgeInSeconds',
    'Resources.CronFunction.Properties.Events.Schedule.Properties.Schedule',
    'Resources.HelloFunction.Properties.AutoPublishAlias',
    'Resources.HelloFunction.Properties.RecursiveLoop',
    'Resources.HelloFunctionErrors',
    'Resources.WorkerFunction.Properties.Events.Messages.Properties.BatchSize',
  ]);
  assert.is(m.rejects, undefined);
});

t('a property both changed is one conflict at its line, with markers around the pair', () => {
  const ours = edit(OURS, [['BatchSize: 10', 'BatchSize: 50']]);
  const m = merge(BASE, ours, THEIRS);
  const line = lineOf(edit(THEIRS, USER), '            BatchSize: 25');
  assert.equal(m.conflicts, [{ path: ['Resources', 'WorkerFunction', 'Properties', 'Events', 'Messages', 'Properties', 'BatchSize'], line, ours: '50', theirs: '25' }]);
  const markers = '<<<<<<< yours\n            BatchSize: 50\n=======\n            BatchSize: 25\n>>>>>>> create-container-lambda 0.2.0\n';
  assert.fixture(m.text, edit(edit(THEIRS, USER), [['            BatchSize: 25\n', markers]]));
  assert.is(m.text.split('\n')[line - 1], '<<<<<<< yours');
  // The other changes are applied around it.
  assert.is(m.applied.length, 7);
});

t('with rej the conflicting property stays the user\'s and the report names it, both sides under a comment line', () => {
  const ours = edit(OURS, [['BatchSize: 10', 'BatchSize: 50']]);
  const m = merge(BASE, ours, THEIRS, 'rej');
  const merged = edit(edit(THEIRS, USER), [['BatchSize: 25', 'BatchSize: 50']]);
  assert.fixture(m.text, merged);
  const line = lineOf(merged, 'BatchSize: 50');
  assert.is(m.conflicts[0]!.line, line);
  const path = 'Resources.WorkerFunction.Properties.Events.Messages.Properties.BatchSize';
  assert.fixture(m.rejects!, `# template.yaml:${line} ${path}\n# yours\n            BatchSize: 50\n# create-container-lambda 0.2.0\n            BatchSize: 25\n`);
});

t('a key the new version removed but the user changed is a conflict with no theirs side', () => {
  const ours = edit(OURS, [['MaximumEventAgeInSeconds: 3600\n        DestinationConfig:\n          OnFailure:\n            Type: SQS\n            Destination: !GetAtt CronAsync', 'MaximumEventAgeInSeconds: 600\n        DestinationConfig:\n          OnFailure:\n            Type: SQS\n            Destination: !GetAtt CronAsync']]);
  const m = merge(BASE, ours, THEIRS);
  assert.is(m.conflicts.length, 1);
  assert.equal(m.conflicts[0]!.path.at(-1), 'MaximumEventAgeInSeconds');
  assert.is(m.conflicts[0]!.theirs, undefined);
  assert.ok(m.text.includes('<<<<<<< yours\n        MaximumEventAgeInSeconds: 600\n=======\n>>>>>>> create-container-lambda 0.2.0\n'), m.text);
});

t('what the user deleted stays deleted when the new version changes it', () => {
  const ours = edit(OURS, [['            BatchSize: 10\n', '']]);
  const m = merge(BASE, ours, THEIRS);
  assert.equal(m.conflicts, []);
  assert.not.ok(m.text.includes('BatchSize'));
  assert.not.ok(m.applied.some((p) => p.endsWith('BatchSize')));
});

t('merging is idempotent', () => {
  const m = merge(BASE, OURS, THEIRS);
  const again = merge(THEIRS, m.text, THEIRS);
  assert.is(again.text, m.text);
  assert.equal([again.conflicts, again.applied], [[], []]);
  const unchanged = merge(BASE, OURS, BASE);
  assert.is(unchanged.text, OURS);
  assert.equal([unchanged.conflicts, unchanged.applied], [[], []]);
  // The same update run again finds everything done.
  const rerun = merge(BASE, m.text, THEIRS);
  assert.is(rerun.text, m.text);
  assert.equal([rerun.conflicts, rerun.applied], [[], []]);
  // And so does a base rendered differently but meaning the same (quotes, flow style, long forms).
  const restyled = edit(BASE, [["AWSTemplateFormatVersion: '2010-09-09'", 'AWSTemplateFormatVersion: "2010-09-09"'], ['Role: !GetAtt HelloFunctionRole.Arn', 'Role: {"Fn::GetAtt": [HelloFunctionRole, Arn]}']]);
  assert.is(merge(restyled, OURS, BASE).text, OURS);
});

t('values are replaced whatever their kind: scalar and mapping, block and flow, tagged; the pair\'s comment stays', () => {
  const head = 'Transform: AWS::Serverless-2016-10-31\n';
  const base = `${head}A: 1\nB:\n  x: 1\nC: !Sub '\${X}'\nD:\n  - a\nE: [a]\nF: x\n`;
  const ours = `${head}A: 1 # one\nB: # the b\n  x: 1\nC: !Sub '\${X}'  # sub\nD:\n  - a\nE: [a]\nF: x\n`;
  const theirs = `${head}A:\n  y: !GetAtt X.Arn\nB: !Ref Y\nC: !GetAtt Q.Arn\nD: [a, b]\nE:\n  - a\n  - b\nF:\n  Fn::Sub: y\n`;
  const m = merge(base, ours, theirs);
  assert.fixture(m.text, `${head}A: # one\n  y: !GetAtt X.Arn\nB: !Ref Y # the b\nC: !GetAtt Q.Arn  # sub\nD: [a, b]\nE:\n  - a\n  - b\nF:\n  Fn::Sub: y\n`);
  assert.equal(m.applied, ['A', 'B', 'C', 'D', 'E', 'F']);
  // A value written differently but meaning the same is no change: !Ref X is {Ref: X}.
  assert.is(merge(`${head}V: !Ref X\nW: 1\n`, `${head}V:\n  Ref: X\nW: 1\n`, `${head}V: !Ref X\nW: 2\n`).text, `${head}V:\n  Ref: X\nW: 2\n`);
});

t('a removed resource goes with its comment and the blank line before it; a new section goes where theirs has it', () => {
  const removed = THEIRS.replace(/\n  # WorkerFunction's logs[^]*?RetentionInDays: 30\n/, '');
  const m = merge(THEIRS, THEIRS, removed);
  assert.fixture(m.text, removed);
  assert.equal(m.applied, ['Resources.WorkerFunctionLogGroup']);
  const withParameters = edit(THEIRS, [['\n# Settings every', '\nParameters:\n  Stage:\n    Type: String\n\n# Settings every']]);
  const p = merge(THEIRS, edit(THEIRS, USER), withParameters);
  assert.fixture(p.text, edit(withParameters, USER));
  // Without the section theirs puts it after, it goes before the one that follows it, above its comment.
  const noDescription = (text: string) => edit(text, [['Description: "shop: AWS Lambda functions packaged as container images"\n', '']]);
  assert.fixture(merge(THEIRS, noDescription(THEIRS), withParameters).text, noDescription(withParameters));
});

t('flow style stays flow style', () => {
  const flow = (text: string, days: number, extra = '') =>
    text.replace(/  HelloFunctionLogGroup:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionInDays: \d+\n/, `  HelloFunctionLogGroup: {Type: AWS::Logs::LogGroup, Properties: {RetentionInDays: ${days}${extra}}}\n`);
  const theirs = render({ Tags: { Team: 'core' } }, 90).replace('      RetentionInDays: 90\n', '      RetentionInDays: 90\n      LogGroupClass: STANDARD\n');
  const m = merge(BASE, flow(BASE, 30), theirs);
  assert.fixture(m.text, flow(BASE, 90, ', LogGroupClass: STANDARD'));
  // A conflict in a flow line wraps the whole line.
  const c = merge(BASE, flow(BASE, 7), theirs);
  assert.is(c.conflicts.length, 1);
  assert.ok(c.text.includes('<<<<<<< yours\n  HelloFunctionLogGroup: {Type: AWS::Logs::LogGroup, Properties: {RetentionInDays: 7, LogGroupClass: STANDARD}}\n=======\n  HelloFunctionLogGroup: {Type: AWS::Logs::LogGroup, Properties: {RetentionInDays: 90, LogGroupClass: STANDARD}}\n>>>>>>>'), c.text);
  // Members removed together share their commas: one removed cleanly, one in conflict, both sides still read.
  const head = 'Transform: AWS::Serverless-2016-10-31\n';
  const r = merge(`${head}R: {A: 1, B: 2, C: 3}\n`, `${head}R: {A: 1, B: 5, C: 3}\n`, `${head}R: {A: 1}\n`);
  assert.equal(r.applied, ['R.C']);
  assert.fixture(r.text, `${head}<<<<<<< yours\nR: {A: 1, B: 5}\n=======\nR: {A: 1}\n>>>>>>> create-container-lambda 0.2.0\n`);
});

t('CRLF line endings stay CRLF, new lines included', () => {
  const crlf = (s: string) => s.replace(/\n/g, '\r\n');
  const m = merge(BASE, crlf(OURS), THEIRS);
  assert.is(m.text, crlf(edit(THEIRS, USER)));
  const c = merge(BASE, crlf(edit(OURS, [['BatchSize: 10', 'BatchSize: 50']])), THEIRS, 'rej');
  assert.not.match(c.rejects!.replace(/\r\n/g, ''), /\n/);
  assert.not.match(c.text.replace(/\r\n/g, ''), /\n/);
});

t('a JSON template stays JSON: values replaced, keys added and removed, as JSON types', () => {
  const typed = (yaml: string) => toLongForm(parseDocument(yaml, { customTags: cfnTags }));
  const ours = typed(BASE) as { Resources: Record<string, unknown> };
  ours.Resources.UploadsBucket = { Type: 'AWS::S3::Bucket' };
  const text = `${JSON.stringify(ours, null, 2)}\n`;
  // The new version also has a Parameters section.
  const theirs = edit(THEIRS, [['\n# Settings every', '\nParameters:\n  Stage:\n    Type: String\n    Default: dev\n\n# Settings every']]);
  const m = merge(BASE, text, theirs, 'inline', 'template.json');
  assert.equal(m.conflicts, []);
  const want = typed(theirs) as { Resources: Record<string, unknown> };
  want.Resources.UploadsBucket = { Type: 'AWS::S3::Bucket' };
  assert.equal(JSON.parse(m.text), want);
  const batch = text.split('\n').find((l) => l.includes('"BatchSize"'))!;
  assert.ok(m.text.split('\n').includes(batch.replace('10', '25')), 'replaced in place');
  assert.ok(m.text.includes('\n    "HelloFunctionErrors": {\n      "Type": "AWS::CloudWatch::Alarm",\n'), 'added in the file\'s indentation');
  assert.ok(m.text.includes('"Description": "shop: AWS Lambda functions packaged as container images",\n  "Parameters": {\n    "Stage": {\n'), 'a section where theirs has it');
  // A conflict in JSON: markers around the member, each side still JSON.
  const c = merge(BASE, text.replace('"BatchSize": 10', '"BatchSize": 50'), THEIRS, 'inline', 'template.json');
  assert.is(c.conflicts.length, 1);
  assert.ok(c.text.includes(`<<<<<<< yours\n${batch.replace('10', '50')}\n=======\n${batch.replace('10', '25')}\n>>>>>>>`), c.text);
});

t('ours that does not parse is refused with a hint; a merge that would damage the file is an error', () => {
  const marked = OURS.replace('    Timeout: 10\n', '<<<<<<< yours\n    Timeout: 20\n=======\n    Timeout: 30\n>>>>>>> create-container-lambda 0.2.0\n');
  try {
    merge(BASE, marked, THEIRS);
    assert.unreachable('merged a template with markers');
  } catch (error) {
    assert.instance(error, UserError);
    assert.match((error as UserError).line(), /^template\.yaml:\d+:\d+: .*Resolve the conflict markers/);
  }
  // Replacing an anchored value would leave its alias without a target: refused, not written.
  const head = 'Transform: AWS::Serverless-2016-10-31\n';
  assert.throws(() => merge(`${head}X: 5\nB: 5\n`, `${head}X: &x 5\nB: *x\n`, `${head}X: 6\nB: 5\n`), /Merging template.yaml failed/);
  // The check itself: text that does not read as it should is an error.
  const want = { Transform: 'AWS::Serverless-2016-10-31', Resources: { A: { Type: 'X' } } };
  checkMerged(`${head}Resources:\n  A:\n    Type: X\n`, want, [[0, 10]], false, 'template.yaml');
  assert.throws(() => checkMerged(`${head}Resources:\n  A:\n  Type: X\n`, want, [[0, 10]], false, 'template.yaml'), /does not read back/);
  // JSON must stay JSON, though YAML reads a trailing comma.
  const json = JSON.stringify(want);
  checkMerged(json, want, [[0, 10]], true, 'template.json');
  assert.throws(() => checkMerged(json.replace('}}}', '},}}'), want, [[0, 10]], true, 'template.json'), /Merging template.json failed/);
});

t('for every template of the corpus, a function the new version adds or removes merges to what the new version has', () => {
  const corpus = join(REPO, 'test/fixtures/sam');
  const fragment = fn('LedgerFunction', ['sqs', 'api']);
  let count = 0;
  for (const name of readdirSync(corpus).filter((f) => /^\d/.test(f))) {
    const path = ['template.yaml', 'template.yml', 'template.json'].map((n) => join(corpus, name, n)).find((p) => existsSync(p))!;
    const text = readFileSync(path, 'utf8');
    const added = insertFragment(text, fragment, 'template.yaml');
    for (const [base, theirs] of [[text, added], [added, text]] as [string, string][]) {
      const m = merge(base, base, theirs);
      assert.equal(m.conflicts, [], name);
      assert.equal(read(m.text), read(theirs), name);
      // Every comment line of ours is kept, in order; a removal leaves those theirs has.
      const comments = (s: string) => s.split(/\r?\n/).filter((l) => l.trim().startsWith('#'));
      if (base === text) assert.ok(inOrder(comments(base), comments(m.text)), name);
      else assert.equal(comments(m.text), comments(theirs), name);
      count += 1;
    }
  }
  assert.ok(count >= 80, `${count} merges`);
});

t.run();
