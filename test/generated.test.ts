// The generated projects pass every validator here, and their own unit tests pass.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratch } from './helpers/cli.ts';
import { SCENARIOS, generateAll } from './helpers/scenarios.ts';
import { validateProject } from './helpers/validate.ts';

const t = suite('generated projects');

/** Runs a shell command line in `cwd`; returns its output when it fails, for the assertion message. */
function sh(line: string, cwd: string): { ok: boolean; output: string } {
  const r = spawnSync('sh', ['-c', line], { cwd, encoding: 'utf8', timeout: 300_000 });
  return { ok: r.status === 0, output: `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-25).join('\n') };
}

t('every scenario passes cfn-lint, the SAM schema, the image rules and shellcheck', async () => {
  const dirs = await generateAll();
  const results = await validateProject([...dirs.values()]);
  const problems = [...dirs].flatMap(([name, dir]) => (results.get(dir) ?? []).map((p) => `${name}: ${p}`));
  assert.equal(problems, []);
});

for (const s of SCENARIOS.filter((x) => x.runtime.startsWith('python'))) {
  t(`${s.name}: the generated pytest suite passes`, async () => {
    const dir = (await generateAll()).get(s.name)!;
    const r = sh('python3 -m pytest -q -p no:cacheprovider', join(dir, 'functions/hello-function'));
    assert.ok(r.ok, r.output);
    assert.match(r.output, /2 passed/);
  });
}

// Node projects are generated with the real post steps: npm install (so the lockfile exists) and git.
for (const s of SCENARIOS.filter((x) => x.runtime.startsWith('nodejs') && x.snapshot)) {
  t(`${s.name}: installs its dependencies, commits, and its own npm test passes`, () => {
    const { dir, remove } = scratch('node');
    try {
      const env = {
        GIT_AUTHOR_NAME: 'Test',
        GIT_AUTHOR_EMAIL: 'test@example.com',
        GIT_COMMITTER_NAME: 'Test',
        GIT_COMMITTER_EMAIL: 'test@example.com',
      };
      const r = runCli(['app', '--yes', ...s.args], dir, env);
      assert.is(r.status, 0, r.stderr);
      assert.not.match(r.stdout, /warning/, r.stdout);
      const fn = join(dir, 'app/functions/hello-function');
      assert.ok(existsSync(join(fn, 'package-lock.json')), 'package-lock.json written by the install step');
      const log = sh('git log --oneline && git status --porcelain', join(dir, 'app'));
      assert.ok(log.ok, log.output);
      assert.match(log.output, /Initial commit from create-container-lambda/);
      assert.not.match(log.output, /^\?\?|^ M/m, 'the first commit holds everything, node_modules ignored');
      const test = sh('npm test', fn);
      assert.ok(test.ok, test.output);
      assert.match(test.output, /# pass 2/);
    } finally {
      remove();
    }
  });
}

t.run();
