// The plop generators, loaded the way another repository's plopfile loads them, write the same
// project as the CLI.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodePlop from 'node-plop';
import { REPO, readTree, runCli, scratch } from './helpers/cli.ts';

const t = suite('plop');

t('container-lambda-project writes what the CLI writes', async () => {
  const { dir, remove } = scratch('plop');
  try {
    const plop = await nodePlop(undefined, { destBasePath: dir, force: false });
    await plop.load(join(REPO, 'dist/plopfile.js'));
    const generator = plop.getGenerator('container-lambda-project');
    const prompts = (generator.prompts as { name: string }[]).map((p) => p.name);
    assert.equal(prompts, ['dir', 'runtime', 'language', 'buildTool', 'appTemplate', 'events', 'arch', 'ci']);

    const result = await generator.runActions({ dir: 'from-plop', runtime: 'nodejs22.x', language: 'typescript', events: ['api'], arch: 'arm64' });
    assert.equal(result.failures, []);
    // The CLI writes a project of the same name elsewhere, so the two trees compare byte for byte.
    const cliDir = scratch('plop-cli');
    try {
      assert.is(runCli(['from-plop', '--yes', '--runtime', 'nodejs22.x', '--arch', 'arm64', '--no-git', '--no-install'], cliDir.dir).status, 0);
      assert.equal([...readTree(join(dir, 'from-plop'))], [...readTree(join(cliDir.dir, 'from-plop'))]);
    } finally {
      cliDir.remove();
    }
  } finally {
    remove();
  }
});

t('container-lambda-function adds a function to the template of the folder plop runs in', async () => {
  const { dir, remove } = scratch('plop-add');
  try {
    assert.is(runCli(['app', '--yes', '--no-git', '--no-install'], dir).status, 0);
    const project = join(dir, 'app');
    const before = readFileSync(join(project, 'template.yaml'), 'utf8');
    const plop = await nodePlop(undefined, { destBasePath: project, force: false });
    await plop.load(join(REPO, 'dist/plopfile.js'));
    const generator = plop.getGenerator('container-lambda-function');
    const result = await generator.runActions({ functionId: 'OrdersFunction', runtime: 'python3.13', events: ['sqs'], arch: 'x86_64' });
    assert.equal(result.failures, []);
    const after = readFileSync(join(project, 'template.yaml'), 'utf8');
    let at = 0;
    for (const line of before.split('\n')) {
      at = after.split('\n').indexOf(line, at) + 1;
      assert.ok(at > 0, `original line kept: ${line}`);
    }
    assert.match(after, /^  OrdersFunction:$/m);
    assert.ok(existsSync(join(project, 'functions/orders-function/Dockerfile')));
  } finally {
    remove();
  }
});

t.run();
