// Generated Python projects' unit tests, run for real: for every Python runtime, every event set, with
// and without --powertools, the generated requirements-dev.txt installed by pip from PyPI into a venv of
// that exact Python (pyenv's, or Debian testing's for versions pyenv lacks), then `python3 -m pytest`
// as the project's README says.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, VARIANTS, type Variant } from '../helpers/matrix.ts';
import { EVENT_SETS, sh, type ShResult } from '../helpers/sh.ts';
import { NEWER_DEBIAN, inNewerDebian, newerDebianFolder, newerDebianHas } from '../helpers/newer-debian.ts';
import { skip } from '../helpers/skips.ts';

const t = suite('python');
const FN = 'functions/hello-function';
const PYTEST = 'python3 -m pytest -q -p no:cacheprovider';
const PYENV = join(process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
const pyenvVersions = existsSync(PYENV) ? readdirSync(PYENV).filter((v) => /^3\.\d+\.\d+$/.test(v)) : [];

/** Where a Python version runs: a venv maker and a test runner for one generated project. */
interface Interpreter {
  label: string;
  /** Creates a venv with the packages of `requirements` (a file's text); returns its bin folder. */
  venv(requirements: Map<string, string>): ShResult & { bin: string };
  test(bin: string, project: string): ShResult;
}

function pipInstall(python: string): string {
  return `"${python}" -m venv venv && venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt`;
}

function writeAll(folder: string, files: Map<string, string>): void {
  for (const [name, text] of files) writeFileSync(join(folder, name), text);
}

function interpreter(version: string): Interpreter | undefined {
  const installed = pyenvVersions.filter((v) => v.startsWith(`${version}.`)).sort().at(-1);
  if (installed) {
    return {
      label: `pyenv ${installed}`,
      venv(requirements) {
        const dir = mkdtempSync(join(tmpdir(), `ccl-venv-${version}-`));
        writeAll(dir, requirements);
        return { ...sh(pipInstall(join(PYENV, installed, 'bin', 'python')), dir), bin: join(dir, 'venv', 'bin') };
      },
      test: (bin, project) => sh(PYTEST, join(project, FN), { PATH: `${bin}:${process.env.PATH}`, PYTHONDONTWRITEBYTECODE: '1' }),
    };
  }
  if (newerDebianHas(`python${version}`)) {
    return {
      label: `Debian testing python${version}`,
      venv(requirements) {
        const dir = newerDebianFolder(`ccl-venv-${version}-`);
        writeAll(dir.outside, requirements);
        process.on('exit', dir.remove);
        const r = sh(`chroot "${NEWER_DEBIAN}" /bin/sh -c 'cd ${dir.inside} && ${pipInstall(`python${version}`)}'`, tmpdir());
        return { ...r, bin: `${dir.inside}/venv/bin` };
      },
      test: (bin, project) => inNewerDebian(`PATH=${bin}:$PATH ${PYTEST}`, project, FN, { PYTHONDONTWRITEBYTECODE: '1' }),
    };
  }
  return undefined;
}

function requirementsOf(project: string): Map<string, string> {
  const fn = join(project, FN);
  return new Map(['requirements.txt', 'requirements-dev.txt'].map((f) => [f, readFileSync(join(fn, f), 'utf8')]));
}

async function testAll(v: Variant, python: Interpreter, extra: { powertools?: boolean; tracing?: boolean }): Promise<void> {
  const venvs = new Map<string, string>();
  for (const events of EVENT_SETS) {
    const g = await generate(v, 'x86_64', events, extra);
    const requirements = requirementsOf(g.dir);
    const key = [...requirements.values()].join('\n');
    if (!venvs.has(key)) {
      const made = python.venv(requirements);
      assert.ok(made.ok, `[${events}] pip install -r requirements-dev.txt: ${made.output}`);
      venvs.set(key, made.bin);
    }
    const r = python.test(venvs.get(key)!, g.dir);
    assert.ok(r.ok, `[${events}] ${r.output}`);
    assert.match(r.output, /^[1-9]\d* passed/m, `[${events}] no test ran: ${r.output}`);
  }
}

for (const v of VARIANTS.filter((x) => x.language.id === 'python')) {
  const version = v.runtime.id.replace(/^python/, '');
  const python = interpreter(version);
  if (!python) {
    skip(v.runtime.id, 'pytest', `no Python ${version} here (pyenv or ${'test/languages/install-newer-debian.sh'})`);
    continue;
  }
  t(`${v.name} (${python.label}): pytest passes for ${EVENT_SETS.length} event sets`, () => testAll(v, python, {}));
  t(`${v.name} (${python.label}) --powertools: pytest passes against the real Powertools for ${EVENT_SETS.length} event sets`, () =>
    testAll(v, python, { powertools: true }));
  // With tracing on, Powertools' Tracer is wired in too (aws-lambda-powertools[tracer]).
  if (v.runtime.id === 'python3.13') {
    t(`${v.name} (${python.label}) --powertools --tracing: pytest passes with the real Tracer for ${EVENT_SETS.length} event sets`, () =>
      testAll(v, python, { powertools: true, tracing: true }));
  }
}

t.run();
