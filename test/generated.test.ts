// The generated Node.js projects' own unit tests pass (TypeScript and JavaScript, after a real npm
// install), and the CLI's own post steps work. The other languages are built and tested for real in the
// slower tier `npm run test:languages` (test/languages/).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratch } from './helpers/cli.ts';
import { VARIANTS, generate, type Variant } from './helpers/matrix.ts';
import { EVENT_SETS, sh } from './helpers/sh.ts';
import { SCENARIOS } from './helpers/scenarios.ts';

const t = suite('generated unit tests');
const FN = 'functions/hello-function';

// ---- Node.js: one real npm install per language; the other projects share its node_modules.
async function nodeProjects(v: Variant, extra: Record<string, unknown> = {}): Promise<void> {
  const installs = new Map<string, string>();
  for (const events of EVENT_SETS) {
    const g = await generate(v, 'x86_64', events, extra);
    const fn = join(g.dir, FN);
    // Projects with the same dependencies share one install (Powertools adds its batch package
    // only for batch sources, so the key is the manifest itself).
    const key = readFileSync(join(fn, 'package.json'), 'utf8').replace(/"name": "[^"]*"/, '');
    if (!installs.has(key)) {
      const r = sh('npm install --no-audit --no-fund --silent', fn);
      assert.ok(r.ok, r.output);
      installs.set(key, fn);
    } else {
      symlinkSync(join(installs.get(key)!, 'node_modules'), join(fn, 'node_modules'));
    }
    const r = sh(v.language.test, fn);
    assert.ok(r.ok, `[${events}] ${r.output}`);
    assert.match(r.output, /^# pass [1-9]/m, `[${events}] no test ran: ${r.output}`);
    if (v.language.id === 'typescript') {
      const build = sh('npm run build --silent', fn);
      assert.ok(build.ok && existsSync(join(fn, 'dist/app.js')), `[${events}] build: ${build.output}`);
    }
  }
}

for (const v of VARIANTS.filter((x) => x.runtime.id === 'nodejs22.x')) {
  t(`${v.name}: npm test passes for ${EVENT_SETS.length} event sets`, () => nodeProjects(v));
}
const powertools = VARIANTS.find((x) => x.runtime.id === 'nodejs22.x' && x.language.id === 'typescript');
if (powertools) {
  t(`${powertools.name} --powertools: npm test passes`, () => nodeProjects(powertools, { powertools: true }));
  t(`${powertools.name} --powertools --tracing: npm test passes with the real Tracer`, () => nodeProjects(powertools, { powertools: true, tracing: true }));
}

// ---- The real post steps: npm install (so the lockfile exists) and a first git commit.
for (const s of SCENARIOS.filter((x) => x.runtime === 'nodejs22.x' && x.snapshot)) {
  t(`${s.name}: the CLI installs dependencies and commits; the project's npm test passes`, () => {
    const { dir, remove } = scratch('node');
    try {
      const env = { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };
      const r = runCli(['app', '--yes', ...s.args], dir, env);
      assert.is(r.status, 0, r.stderr);
      assert.not.match(r.stdout, /warning/, r.stdout);
      const fn = join(dir, 'app', FN);
      assert.ok(existsSync(join(fn, 'package-lock.json')), 'package-lock.json written by the install step');
      const log = sh('git log --oneline && git status --porcelain', join(dir, 'app'));
      assert.ok(log.ok, log.output);
      assert.match(log.output, /Initial commit from create-container-lambda/);
      assert.not.match(log.output, /^\?\?|^ M/m, 'the first commit holds everything, node_modules ignored');
      const test = sh('npm test', fn);
      assert.ok(test.ok, test.output);
    } finally {
      remove();
    }
  });
}

t.run();
