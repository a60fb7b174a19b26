// No event is lost silently: every asynchronous or stream source has somewhere for failed events to go,
// with bounded retries, and every queue that collects them has an alarm on messages visible.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cfnTags } from '../src/sam/cfn-tags.ts';
import { EVENT_KINDS, VARIANTS, generate } from './helpers/matrix.ts';

const t = suite('failures');

interface Resource {
  Type: string;
  Properties?: Record<string, any>;
}

const STREAMS = ['Kinesis', 'DynamoDB'];
const ASYNC = ['S3', 'SNS', 'Schedule', 'EventBridgeRule'];

/** The logical ID a !GetAtt or !Ref names, if it names one. */
function target(value: unknown): string {
  const text = JSON.stringify(value) ?? '';
  return /"(?:Fn::GetAtt|Ref)":\s*(?:\[\s*)?"([A-Za-z0-9]+)/.exec(text)?.[1] ?? /^"([A-Za-z0-9]+)\./.exec(text)?.[1] ?? '';
}

function problems(resources: Record<string, Resource>): string[] {
  const found: string[] = [];
  const failureQueues = new Set<string>();
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::Serverless::Function') continue;
    const events = Object.entries((r.Properties?.Events ?? {}) as Record<string, { Type: string; Properties: Record<string, any> }>);
    for (const [name, e] of events) {
      if (STREAMS.includes(e.Type)) {
        const onFailure = e.Properties.DestinationConfig?.OnFailure;
        if (onFailure?.Type !== 'SQS') found.push(`${id}.${name}: no SQS on-failure destination`);
        else failureQueues.add(target(onFailure.Destination));
        if (!(e.Properties.MaximumRetryAttempts >= 0 && e.Properties.MaximumRetryAttempts <= 10)) found.push(`${id}.${name}: unbounded retries`);
        if (e.Properties.BisectBatchOnFunctionError !== true) found.push(`${id}.${name}: no bisecting`);
        if (!(e.Properties.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures')) found.push(`${id}.${name}: no partial batch response`);
      }
      if (e.Type === 'SQS') {
        const queue = resources[target(e.Properties.Queue)];
        const dlq = target(queue?.Properties?.RedrivePolicy?.deadLetterTargetArn);
        if (!dlq) found.push(`${id}.${name}: the queue has no dead-letter queue`);
        else failureQueues.add(dlq);
      }
    }
    if (events.some(([, e]) => ASYNC.includes(e.Type))) {
      const config = r.Properties?.EventInvokeConfig;
      const onFailure = config?.DestinationConfig?.OnFailure;
      if (onFailure?.Type !== 'SQS') found.push(`${id}: asynchronous sources but no on-failure destination`);
      else failureQueues.add(target(onFailure.Destination));
      if (!(config?.MaximumRetryAttempts <= 2)) found.push(`${id}: asynchronous retries not bounded`);
      if (!(config?.MaximumEventAgeInSeconds <= 21600)) found.push(`${id}: asynchronous event age not bounded`);
    }
  }
  for (const queue of failureQueues) {
    if (resources[queue]?.Type !== 'AWS::SQS::Queue') found.push(`${queue}: not a queue of this template`);
    const alarmed = Object.values(resources).some(
      (a) =>
        a.Type === 'AWS::CloudWatch::Alarm' &&
        a.Properties?.MetricName === 'ApproximateNumberOfMessagesVisible' &&
        (a.Properties?.Dimensions ?? []).some((d: { Name: string; Value: unknown }) => d.Name === 'QueueName' && target(d.Value) === queue),
    );
    if (!alarmed) found.push(`${queue}: no alarm on messages visible`);
  }
  return found;
}

const python = VARIANTS.find((v) => v.runtime.id === 'python3.13');
for (const events of [...EVENT_KINDS.map((k) => [k]), EVENT_KINDS.filter((k) => k !== 'none')]) {
  t(`[${events}]: failed events go to an alarmed queue, after bounded retries`, async () => {
    assert.ok(python);
    const g = await generate(python, 'x86_64', events);
    const template = parse(readFileSync(join(g.dir, 'template.yaml'), 'utf8'), { customTags: cfnTags }) as { Resources: Record<string, Resource> };
    assert.equal(problems(template.Resources), []);
  });
}

t('the check fails a stream source without a destination and a queue without an alarm', () => {
  const resources: Record<string, Resource> = {
    Fn: { Type: 'AWS::Serverless::Function', Properties: { Events: { S: { Type: 'Kinesis', Properties: { MaximumRetryAttempts: 3 } } } } },
    Q: { Type: 'AWS::SQS::Queue', Properties: { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['D', 'Arn'] } } } },
    Fn2: { Type: 'AWS::Serverless::Function', Properties: { Events: { M: { Type: 'SQS', Properties: { Queue: { 'Fn::GetAtt': ['Q', 'Arn'] } } } } } },
    D: { Type: 'AWS::SQS::Queue' },
  };
  const found = problems(resources);
  assert.ok(found.includes('Fn.S: no SQS on-failure destination'), found.join('\n'));
  assert.ok(found.includes('D: no alarm on messages visible'), found.join('\n'));
});

// The acceptance set, for every runtime variant: the fragment must not depend on the language.
t('every variant with [sqs,kinesis,s3]: failed events go to an alarmed queue', async () => {
  for (const v of VARIANTS) {
    const g = await generate(v, 'x86_64', ['sqs', 'kinesis', 's3']);
    const template = parse(readFileSync(join(g.dir, 'template.yaml'), 'utf8'), { customTags: cfnTags }) as { Resources: Record<string, Resource> };
    assert.equal(problems(template.Resources), [], v.name);
  }
});

t.run();
