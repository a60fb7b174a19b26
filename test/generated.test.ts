// The generated projects' own unit tests pass, for every runtime whose toolchain works offline here:
// Python (each version pyenv has), Node.js (TypeScript and JavaScript, after a real npm install) and
// Ruby (Debian's ruby). Java, .NET, Go and Rust need dependencies this machine cannot download.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, scratch } from './helpers/cli.ts';
import { EVENT_KINDS, VARIANTS, generate, type Variant } from './helpers/matrix.ts';
import { SCENARIOS } from './helpers/scenarios.ts';

const t = suite('generated unit tests');
const FN = 'functions/hello-function';

function sh(line: string, cwd: string, env: NodeJS.ProcessEnv = {}): { ok: boolean; output: string } {
  const r = spawnSync('sh', ['-c', line], { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, ...env } });
  return { ok: r.status === 0, output: `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-30).join('\n') };
}

/** Each kind alone (the direct handler) and all of them at once (dispatch on the event's shape). */
const EVENT_SETS = [...EVENT_KINDS.map((k) => [k]), EVENT_KINDS.filter((k) => k !== 'none')];

// ---- Python: the interpreter of each version pyenv has; pytest comes from the one that has it.
const PYENV = join(homedir(), '.pyenv', 'versions');
const pythons = existsSync(PYENV) ? readdirSync(PYENV).filter((v) => /^3\.\d+\.\d+$/.test(v)) : [];
const pytestHome = pythons.find((v) => sh(`"${join(PYENV, v, 'bin/python')}" -c "import pytest"`, tmpdir()).ok);
const sitePackages = pytestHome
  ? sh(`"${join(PYENV, pytestHome, 'bin/python')}" -c "import pytest, os; print(os.path.dirname(os.path.dirname(pytest.__file__)))"`, tmpdir()).output
  : '';

function pythonEnv(version: string): NodeJS.ProcessEnv {
  const bin = mkdtempSync(join(tmpdir(), 'ccl-python-'));
  symlinkSync(join(PYENV, version, 'bin/python'), join(bin, 'python3'));
  return { PATH: `${bin}:${process.env.PATH}`, PYTHONPATH: sitePackages, PYTHONDONTWRITEBYTECODE: '1' };
}

for (const v of VARIANTS.filter((x) => x.language.id === 'python')) {
  const installed = pythons.find((p) => `python${p.split('.').slice(0, 2).join('.')}` === v.runtime.id);
  if (!installed || !pytestHome) continue;
  // Every kind on the default version; the dispatching handler on the others.
  const sets = v.runtime.id === 'python3.13' ? EVENT_SETS : EVENT_SETS.slice(-1);
  t(`${v.name} (Python ${installed}): pytest passes for ${sets.length} event sets`, async () => {
    for (const events of sets) {
      const g = await generate(v, 'x86_64', events);
      const r = sh(`${v.language.test} -q -p no:cacheprovider`, join(g.dir, FN), pythonEnv(installed));
      assert.ok(r.ok, `[${events}] ${r.output}`);
    }
  });
}

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
if (powertools) t(`${powertools.name} --powertools: npm test passes`, () => nodeProjects(powertools, { powertools: true }));

// ---- Ruby: Debian's ruby, standard library only.
const ruby = sh('ruby --version', tmpdir()).ok;
if (!ruby && process.env.CI) throw new Error('ruby is required in CI: apt-get install ruby');
for (const v of VARIANTS.filter((x) => x.language.id === 'ruby' && ruby)) {
  t(`${v.name}: its tests pass for ${EVENT_SETS.length} event sets`, async () => {
    for (const events of EVENT_SETS) {
      const g = await generate(v, 'x86_64', events);
      const r = sh(v.language.test, join(g.dir, FN));
      assert.ok(r.ok, `[${events}] ${r.output}`);
    }
  });
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
