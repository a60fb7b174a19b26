// The plop generators, loaded the way another repository's plopfile loads them, write the same
// project as the CLI.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
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
    assert.equal(prompts, ['dir', 'runtime', 'language', 'events', 'arch']);

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

t.run();
