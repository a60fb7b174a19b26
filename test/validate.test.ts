// Proves every check in helpers/validate.ts can fail: each fixture under fixtures/validate/ carries
// one kind of defect, and `good` carries none.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  checkImageRules, lintTemplates, requireTool, shellcheck, validateProject, validateSamSchema,
} from './helpers/validate.ts';

const t = suite('validate');
const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'validate');
const fixture = (name: string): string => join(fixtures, name);
const template = (name: string): string => join(fixtures, name, 'template.yaml');

/** Runs `body` with a folder of fake tools first on PATH; each fake is a shell script body. */
async function withFakeTools(tools: Record<string, string>, body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'validate-tools-'));
  const path = process.env.PATH;
  try {
    for (const [name, script] of Object.entries(tools)) {
      writeFileSync(join(dir, name), `#!/bin/sh\n${script}\n`);
      chmodSync(join(dir, name), 0o755);
    }
    process.env.PATH = `${dir}${delimiter}${path ?? ''}`;
    await body(dir);
  } finally {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  }
}

t('the good template passes the schema and the image rules', () => {
  assert.equal(validateSamSchema(template('good')), []);
  assert.equal(checkImageRules(template('good')), []);
});

t('the schema check reports one message per defect', () => {
  assert.equal(validateSamSchema(template('schema')), [
    'Resources.HelloFunction.Properties.Events.Hello.Properties: unknown property "Paht"',
    'Resources.Table.Type: "AWS::Serverless::SimpleTabel" is not one of ' +
      'AWS::Serverless::Connector, AWS::Serverless::Function, AWS::Serverless::SimpleTable, ' +
      'AWS::Serverless::StateMachine, AWS::Serverless::LayerVersion, AWS::Serverless::Api, ' +
      'AWS::Serverless::HttpApi, AWS::Serverless::WebSocketApi, AWS::Serverless::Application, ' +
      'AWS::Serverless::GraphQLApi, AWS::Serverless::CapacityProvider',
  ]);
});

t('image rules catch zip-only properties, also inherited from Globals', () => {
  assert.equal(checkImageRules(template('handler')), [
    'Resources.HelloFunction: Handler is not allowed with PackageType Image',
    'Resources.HelloFunction: Runtime is not allowed with PackageType Image (inherited from Globals.Function)',
  ]);
});

t('image rules catch missing or dangling Docker metadata', () => {
  assert.equal(checkImageRules(template('metadata')), [
    'Resources.NoMetadataFunction: an image function needs Metadata.Dockerfile and Metadata.DockerContext (or ImageUri)',
    'Resources.NoContextFolderFunction: Metadata.DockerContext "./functions/nowhere" is not a folder next to the template',
    'Resources.NoDockerfileFunction: Metadata.Dockerfile "Dockerfile.missing" not found in "../good/functions/hello"',
  ]);
});

t('a template that is not valid YAML is a problem, not a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'validate-yaml-'));
  try {
    writeFileSync(join(dir, 'template.yaml'), 'Resources:\n  A: !GetAZ x\n');
    assert.equal(checkImageRules(join(dir, 'template.yaml')), ['YAML: Unresolved tag: !GetAZ at line 2, column 6']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

t('cfn-lint findings come back per template from one run', async () => {
  if (!(await requireTool('cfn-lint'))) return;
  const paths = ['good', 'lint', 'metadata'].map(template);
  const found = await lintTemplates(paths);
  assert.equal([...found.keys()], paths);
  assert.equal(found.get(template('good')), []);
  assert.equal(found.get(template('metadata')), [], 'cfn-lint does not know about Docker metadata');
  const lint = (found.get(template('lint')) ?? []).join('\n');
  assert.match(lint, /^11:3 E3034 40000 is greater than the maximum/m);
  assert.match(lint, /^28:5 E6101 'GoodbyeFunction' is not one of/m);
});

t('lintTemplates throws when cfn-lint crashes or prints nonsense', async () => {
  if (!(await requireTool('cfn-lint'))) return;
  await withFakeTools({ 'cfn-lint': 'echo "Traceback (most recent call last):" >&2; exit 1' }, async () => {
    try {
      await lintTemplates([template('good')]);
      assert.unreachable('should have thrown');
    } catch (e) {
      assert.match(String(e), /cfn-lint failed \(exit 1\): Traceback/);
    }
  });
  await withFakeTools({ 'cfn-lint': 'echo "something odd"; exit 2' }, async () => {
    try {
      await lintTemplates([template('good')]);
      assert.unreachable('should have thrown');
    } catch (e) {
      assert.match(String(e), /printed a line for no given template/);
    }
  });
});

t('shellcheck findings come back per script from one run', async () => {
  if (!(await requireTool('shellcheck'))) return;
  const good = join(fixture('good'), 'scripts', 'build.sh');
  const bad = join(fixture('bad-scripts'), 'scripts', 'deploy.sh');
  const found = await shellcheck([good, bad]);
  assert.equal(found.get(good), []);
  assert.equal(found.get(bad), [
    '3:1 SC2164 warning: Use \'cd ... || exit\' or \'cd ... || return\' in case cd fails.',
    '3:4 SC2086 info: Double quote to prevent globbing and word splitting.',
  ]);
});

t('a missing tool warns outside CI and throws in CI', async () => {
  const ci = process.env.CI;
  const write = process.stderr.write;
  let warned = '';
  try {
    delete process.env.CI;
    process.stderr.write = ((chunk: string) => ((warned += chunk), true)) as typeof process.stderr.write;
    assert.is(await requireTool('no-such-validator-x1'), false);
    assert.match(warned, /^warning: no-such-validator-x1 not found, skipping/);
    process.env.CI = 'true';
    try {
      await requireTool('no-such-validator-x2');
      assert.unreachable('should have thrown');
    } catch (e) {
      assert.match(String(e), /no-such-validator-x2 is required in CI/);
    }
  } finally {
    process.stderr.write = write;
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
  }
});

t('validateProject batches all projects into one cfn-lint and one shellcheck run', async () => {
  const names = ['good', 'handler', 'metadata', 'schema', 'lint', 'bad-scripts'];
  const haveTools = (await requireTool('cfn-lint')) && (await requireTool('shellcheck'));
  // Wrap the real tools so that every run is logged.
  const real = process.env.PATH ?? '';
  const wrap = (tool: string): string => `echo ${tool} >> "$(dirname "$0")/calls.log"; PATH='${real}' exec ${tool} "$@"`;
  let results = new Map<string, string[]>();
  let calls: string[] = [];
  await withFakeTools({ 'cfn-lint': wrap('cfn-lint'), shellcheck: wrap('shellcheck') }, async (dir) => {
    results = await validateProject(names.map(fixture));
    if (haveTools) calls = readFileSync(join(dir, 'calls.log'), 'utf8').split('\n').filter(Boolean).sort();
  });
  if (haveTools) assert.equal(calls, ['cfn-lint', 'shellcheck']);

  const problems = (name: string): string[] => results.get(fixture(name)) ?? [];
  assert.equal(problems('good'), []);
  assert.ok(problems('handler').includes('template.yaml: [image] Resources.HelloFunction: Handler is not allowed with PackageType Image'));
  assert.is(problems('metadata').filter((p) => p.startsWith('template.yaml: [image] ')).length, 3);
  assert.ok(problems('schema').some((p) => p.startsWith('template.yaml: [sam-schema] Resources.HelloFunction.Properties.Events')));
  if (haveTools) {
    assert.ok(problems('lint').some((p) => p.startsWith('template.yaml:28:5 E6101 ')));
    assert.ok(problems('handler').some((p) => p.startsWith('template.yaml:1:1 E0001 ')), 'the SAM transform rejects Handler too');
    assert.equal(problems('bad-scripts').map((p) => p.split(' ')[0]), ['scripts/deploy.sh:3:1', 'scripts/deploy.sh:3:4']);
  }
});

t.run();
