// Least privilege that is true, read from what the SAM translator hands CloudFormation: every function
// runs as a role of the template with no AWS managed policy, no statement grants on "*" an action that
// can be scoped, and the role allows exactly what its triggers need, on their resources (a missing
// grant would fail the deploy, or the event source, at run time), and its own log group, with a
// retention period.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { EVENT_KINDS, VARIANTS, generate, type Generated } from './helpers/matrix.ts';
import { translate, type Translated } from './helpers/translate.ts';
import { lintTemplates } from './helpers/validate.ts';

const t = suite('permissions');

/** Actions IAM cannot scope to a resource: granted on "*" or not at all. */
const UNSCOPABLE = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']);

/** What Lambda needs to read an event source, by the type of the resource it reads. */
const SOURCE_ACTIONS: Record<string, string[]> = {
  'AWS::SQS::Queue': ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
  'AWS::Kinesis::Stream': ['kinesis:DescribeStream', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'],
  'AWS::DynamoDB::Table': ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
};

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** The logical ID a {"Fn::GetAtt": [id, ...]} or {"Ref": id} names. */
const target = (v: any): string | undefined => v?.['Fn::GetAtt']?.[0] ?? v?.Ref;

function problems(template: Translated): string[] {
  if (template.error) return [`the translator refused it: ${template.error}`];
  const found: string[] = [];
  const resources = template.Resources;
  const statementsOf = (roleId: string): Statement[] =>
    list(resources[roleId]?.Properties?.Policies).flatMap((p: any) => list<Statement>(p.PolicyDocument?.Statement)).filter((s) => s.Effect === 'Allow');
  const allows = (statements: Statement[], action: string, resource: unknown) =>
    statements.some((s) => list(s.Action).includes(action) && list(s.Resource).some((r) => same(r, resource)));

  for (const [id, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::IAM::Role') {
      const managed = list(r.Properties?.ManagedPolicyArns);
      if (managed.length) found.push(`${id}: managed policies ${JSON.stringify(managed)}`);
      for (const s of statementsOf(id)) {
        for (const action of list(s.Action)) {
          if (action.includes('*')) found.push(`${id}: wildcard action ${action}`);
          if (list(s.Resource).includes('*') && !UNSCOPABLE.has(action)) found.push(`${id}: ${action} on "*"`);
        }
      }
    }
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const roleId = target(r.Properties?.Role);
    if (!roleId || resources[roleId]?.Type !== 'AWS::IAM::Role') {
      found.push(`${id}: no role of its own (${JSON.stringify(r.Properties?.Role)})`);
      continue;
    }
    const statements = statementsOf(roleId);
    const logGroup = target(r.Properties?.LoggingConfig?.LogGroup);
    if (!logGroup || resources[logGroup]?.Type !== 'AWS::Logs::LogGroup') found.push(`${id}: no log group of its own`);
    else {
      if (!(resources[logGroup]!.Properties?.RetentionInDays > 0)) found.push(`${logGroup}: keeps logs forever`);
      for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
        if (!allows(statements, action, { 'Fn::GetAtt': [logGroup, 'Arn'] })) found.push(`${roleId}: no ${action} on ${logGroup}`);
      }
    }
    if (r.Properties?.TracingConfig?.Mode === 'Active' && !allows(statements, 'xray:PutTraceSegments', '*')) found.push(`${roleId}: traced, but may not write traces`);
    const sendsTo = (destination: unknown, what: string) => {
      if (destination && !allows(statements, 'sqs:SendMessage', destination)) found.push(`${roleId}: may not send ${what} to ${target(destination)}`);
    };
    for (const [mappingId, m] of Object.entries(resources)) {
      if (m.Type !== 'AWS::Lambda::EventSourceMapping' || target(m.Properties?.FunctionName) !== id) continue;
      const source = m.Properties!.EventSourceArn;
      const sourceType = resources[target(source) ?? '']?.Type ?? '';
      const needed = SOURCE_ACTIONS[sourceType];
      if (!needed) found.push(`${mappingId}: a source of unknown type ${sourceType}`);
      for (const action of needed ?? []) if (!allows(statements, action, source)) found.push(`${roleId}: no ${action} on ${target(source)}`);
      sendsTo(m.Properties!.DestinationConfig?.OnFailure?.Destination, `${mappingId}'s failed batches`);
    }
    for (const c of Object.values(resources)) {
      if (c.Type === 'AWS::Lambda::EventInvokeConfig' && target(c.Properties?.FunctionName) === id) {
        sendsTo(c.Properties!.DestinationConfig?.OnFailure?.Destination, 'failed asynchronous events');
      }
    }
    // A bucket that triggers the function: its objects may be read (by the name the bucket is given).
    for (const [bucketId, b] of Object.entries(resources)) {
      if (b.Type !== 'AWS::S3::Bucket') continue;
      const triggers = list(b.Properties?.NotificationConfiguration?.LambdaConfigurations).some((c: any) => target(c.Function) === id);
      if (!triggers) continue;
      const [name, vars] = b.Properties!.BucketName['Fn::Sub'];
      const objects = { 'Fn::Sub': [`arn:\${AWS::Partition}:s3:::${name}/*`, vars] };
      if (!allows(statements, 's3:GetObject', objects)) found.push(`${roleId}: may not read the objects of ${bucketId}`);
      if (statements.some((s) => list(s.Action).some((a) => /^s3:(Put|Delete)/.test(a)))) found.push(`${roleId}: may write to the bucket that triggers it`);
    }
  }
  return found;
}

const cases: { label: string; get: () => Promise<Generated> }[] = [
  ...VARIANTS.map((v) => ({ label: `${v.name} [sqs,kinesis,s3]`, get: () => generate(v, 'x86_64', ['sqs', 'kinesis', 's3']) })),
  ...EVENT_KINDS.map((k) => ({ label: `python3.13 [${k}]`, get: () => generate(VARIANTS.find((v) => v.runtime.id === 'python3.13')!, 'x86_64', [k]) })),
  {
    label: 'python3.13 [every kind] --tracing',
    get: () => generate(VARIANTS.find((v) => v.runtime.id === 'python3.13')!, 'x86_64', EVENT_KINDS.filter((k) => k !== 'none'), { tracing: true }),
  },
];

t('every role is the function\'s own, scoped to the resources it names, no managed policy, no "*" that can be scoped', async () => {
  const generated = await Promise.all(cases.map(async (c) => ({ label: c.label, path: join((await c.get()).dir, 'template.yaml') })));
  const translated = translate(generated.map((g) => g.path));
  const failures = generated.flatMap((g) => problems(translated.get(g.path)!).map((p) => `${g.label}: ${p}`));
  assert.equal(failures, []);
  // cfn-lint, zero findings, on the same templates (one process for all).
  const lint = await lintTemplates(generated.map((g) => g.path));
  assert.equal(generated.flatMap((g) => (lint.get(g.path) ?? []).map((f) => `${g.label}: ${f}`)), []);
});

t('the check finds a missing grant, a managed policy and a "*"', () => {
  const role = (statements: Statement[], extra: Record<string, unknown> = {}) => ({
    Type: 'AWS::IAM::Role',
    Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: statements } }], ...extra },
  });
  const fn = { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['R', 'Arn'] }, LoggingConfig: { LogGroup: { Ref: 'L' } } } };
  const logs: Statement = { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': ['L', 'Arn'] } };
  const base = { F: fn, L: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } }, Q: { Type: 'AWS::SQS::Queue' } };
  const mapping = { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: { Ref: 'F' }, EventSourceArn: { 'Fn::GetAtt': ['Q', 'Arn'] } } };
  assert.equal(problems({ Resources: { ...base, R: role([logs]) } }), []);
  assert.equal(problems({ Resources: { ...base, R: role([logs]), M: mapping } }).length, 3);
  assert.equal(problems({ Resources: { ...base, R: role([logs], { ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] }) } }).length, 1);
  assert.equal(problems({ Resources: { ...base, R: role([logs, { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }]) } }).length, 1);
  assert.equal(problems({ Resources: { ...base, L: { Type: 'AWS::Logs::LogGroup', Properties: {} }, R: role([logs]) } }).length, 1);
});

t.run();
