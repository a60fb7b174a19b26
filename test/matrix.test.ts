// Every runtime variant x architecture, and every variant x event kind: each template passes the
// validators, each Dockerfile agrees with the generated files, and no policy grants more than needed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { cfnTags, toLongForm } from '../src/sam/cfn-tags.ts';
import { EVENT_KINDS, VARIANTS, generate, type Generated } from './helpers/matrix.ts';
import { checkDockerfile } from './helpers/dockerfile.ts';
import { validateProject } from './helpers/validate.ts';

const t = suite('matrix');

/** Languages whose image compiles something in a build stage. */
const COMPILED = ['typescript', 'java', 'csharp', 'go', 'rust'];

/**
 * Every variant on both architectures, every variant with every event kind at once (so each kind's
 * resources meet each runtime), and each kind alone on the first variant. The templates differ by
 * runtime only in the image's tag and folder, so linting every kind alone on every runtime too
 * would add time and no coverage; the handlers of each kind alone are run by generated.test.ts.
 */
async function everything(): Promise<Generated[]> {
  const jobs: Promise<Generated>[] = [];
  for (const v of VARIANTS) {
    jobs.push(generate(v, 'x86_64', ['api']), generate(v, 'arm64', ['api']), generate(v, 'x86_64', EVENT_KINDS.filter((k) => k !== 'none')));
  }
  for (const kind of EVENT_KINDS) jobs.push(generate(VARIANTS[0]!, 'arm64', [kind]));
  return Promise.all(jobs);
}

const label = (g: Generated) => `${g.variant.name} ${g.arch} [${g.events.join(',')}]`;

t('every variant x architecture and x event kind passes cfn-lint, the SAM schema, image rules and shellcheck', async () => {
  const all = await everything();
  const results = await validateProject(all.map((g) => g.dir));
  const problems = all.flatMap((g) => (results.get(g.dir) ?? []).map((p) => `${label(g)}: ${p}`));
  assert.equal(problems, [], `${problems.length} problems`);
});

t('every Dockerfile: base image named once and used by the final stage, exec-form handler, COPY sources present', async () => {
  const problems: string[] = [];
  for (const g of await everything()) {
    const fn = join(g.dir, 'functions/hello-function');
    const found = checkDockerfile(fn, {
      baseImage: g.variant.runtime.baseImage,
      handler: g.variant.language.handler,
      compiled: COMPILED.includes(g.variant.language.id),
      installed: g.variant.language.lockfile ? [g.variant.language.lockfile] : [],
    });
    problems.push(...new Set(found.map((p) => `${label(g)}: ${p}`)));
  }
  assert.equal(problems, []);
});

t('Architectures in the template match --arch', async () => {
  for (const g of await everything()) {
    const doc = toLongForm(parseDocument(readFileSync(join(g.dir, 'template.yaml'), 'utf8'), { customTags: cfnTags })) as {
      Resources: Record<string, { Type: string; Properties: { Architectures?: string[] } }>;
    };
    assert.equal(doc.Resources.HelloFunction?.Properties.Architectures, [g.arch], label(g));
  }
});

t('no policy grants every action, s3:*, or write access to the bucket that triggers the function', async () => {
  const WRITE_TEMPLATES = ['S3CrudPolicy', 'S3WritePolicy', 'S3FullAccessPolicy'];
  for (const g of await everything()) {
    const text = readFileSync(join(g.dir, 'template.yaml'), 'utf8');
    assert.not.match(text, /Action:\s*['"]?\*['"]?\s*$/m, label(g));
    assert.not.match(text, /s3:\*/, label(g));
    assert.not.match(text, /Resource:\s*['"]?\*['"]?\s*$/m, label(g));
    const doc = toLongForm(parseDocument(text, { customTags: cfnTags })) as {
      Resources: Record<string, { Type: string; Properties?: { Policies?: Record<string, unknown>[]; Events?: Record<string, { Type: string; Properties: { Bucket?: unknown } }> } }>;
    };
    for (const [id, r] of Object.entries(doc.Resources)) {
      const triggers = Object.values(r.Properties?.Events ?? {}).filter((e) => e.Type === 'S3').map((e) => JSON.stringify(e.Properties.Bucket));
      if (triggers.length === 0) continue;
      const bucketIds = triggers.map((b) => JSON.parse(b).Ref as string);
      const names = bucketIds.map((b) => JSON.stringify((doc.Resources[b]?.Properties as { BucketName?: unknown })?.BucketName));
      for (const policy of r.Properties?.Policies ?? []) {
        for (const name of WRITE_TEMPLATES.filter((w) => w in policy)) {
          const target = JSON.stringify((policy[name] as { BucketName?: unknown }).BucketName);
          assert.not.ok([...names, ...bucketIds.map((b) => JSON.stringify({ Ref: b }))].includes(target), `${label(g)}: ${id} may write to its trigger bucket`);
        }
      }
    }
  }
});

t('batch sources report partial failures; queues outlast 6x the function timeout', async () => {
  for (const v of VARIANTS.slice(0, 1)) {
    const g = await generate(v, 'arm64', ['sqs', 'kinesis', 'dynamodb'], { timeout: 120 });
    const doc = toLongForm(parseDocument(readFileSync(join(g.dir, 'template.yaml'), 'utf8'), { customTags: cfnTags })) as {
      Resources: Record<string, { Properties: Record<string, unknown> }>;
    };
    const events = doc.Resources.HelloFunction!.Properties.Events as Record<string, { Properties: { FunctionResponseTypes?: string[] } }>;
    for (const e of Object.values(events)) assert.equal(e.Properties.FunctionResponseTypes, ['ReportBatchItemFailures']);
    assert.is(doc.Resources.HelloQueue!.Properties.VisibilityTimeout, 720);
  }
});

t.run();
