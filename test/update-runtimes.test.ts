// `update` on every runtime's project: made by release 1.0.0 and updated to 1.1.0
// (test/helpers/update-history.ts), a project nobody edited becomes exactly what 1.1.0 generates,
// and updating it again changes nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, readTree, scratch } from './helpers/cli.ts';
import { VARIANTS } from './helpers/matrix.ts';
import { buildRelease } from './helpers/release.ts';
import { V1, V2, V2_CHANGES } from './helpers/update-history.ts';

const t = suite('update-runtimes');
const work = scratch('update-runtimes');
process.on('exit', () => work.remove());
const cache = join(work.dir, 'cache');
const env = { ...process.env, CREATE_CONTAINER_LAMBDA_CACHE: cache };
const releases: Record<string, string> = {};

function run(cli: string, args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, env, encoding: 'utf8', input: '', timeout: 120_000 });
  assert.is(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

t.before(() => {
  releases[V1] = join(buildRelease(cache, V1), 'dist', 'cli.js');
  releases[V2] = join(buildRelease(cache, V2, V2_CHANGES), 'dist', 'cli.js');
  for (const v of [V1, V2]) mkdirSync(join(work.dir, v));
});

for (const v of VARIANTS) {
  t(`${v.name}: updated untouched, it is what 1.1.0 generates`, () => {
    const args = [v.name, '--yes', '--no-install', '--no-git', '--runtime', v.runtime.id, '--language', v.language.id, ...(v.buildTool ? ['--build-tool', v.buildTool] : []), '--event', 'sqs'];
    run(releases[V1]!, args, join(work.dir, V1));
    run(releases[V2]!, args, join(work.dir, V2));
    const dir = join(work.dir, V1, v.name);
    const out = run(CLI, ['update', '--to', V2, '--force'], dir);
    assert.match(out, / 0 conflicts in 0 files, 0 left alone$/m);
    assert.equal(readTree(dir), readTree(join(work.dir, V2, v.name)));
    assert.match(run(CLI, ['update', '--to', V2, '--dry-run'], dir), /^Nothing to update/);
  });
}

t.run();
