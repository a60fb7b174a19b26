// A second stack of the same template in the same account and Region deploys: no resource carries a
// fixed name. A name the template sets must come from the stack (AWS::StackId or AWS::StackName).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cfnTags } from '../src/sam/cfn-tags.ts';
import { EVENT_KINDS, VARIANTS, generate } from './helpers/matrix.ts';

const t = suite('stacks');
/** Properties that name a resource in its account and Region (or globally, for buckets). */
const NAMES = /^(BucketName|QueueName|TopicName|TableName|StreamName|FunctionName|RoleName|LogGroupName|ApiName|Name|RuleName|AlarmName)$/;

function fixedNames(resources: Record<string, { Properties?: Record<string, unknown> }>): string[] {
  const found: string[] = [];
  for (const [id, r] of Object.entries(resources)) {
    for (const [key, value] of Object.entries(r.Properties ?? {})) {
      if (!NAMES.test(key)) continue;
      const text = JSON.stringify(value);
      if (!text.includes('AWS::StackId') && !text.includes('AWS::StackName')) found.push(`${id}.${key} = ${text}`);
    }
  }
  return found;
}

t('every event kind: the names a template sets come from its stack', async () => {
  const python = VARIANTS.find((v) => v.runtime.id === 'python3.13');
  assert.ok(python);
  const g = await generate(python, 'x86_64', EVENT_KINDS.filter((k) => k !== 'none'));
  const template = parse(readFileSync(join(g.dir, 'template.yaml'), 'utf8'), { customTags: cfnTags }) as {
    Resources: Record<string, { Properties?: Record<string, unknown> }>;
  };
  assert.equal(fixedNames(template.Resources), []);
  assert.ok(JSON.stringify(template.Resources).includes('AWS::StackId'), 'the bucket is named from the stack ID');
});

t.run();
