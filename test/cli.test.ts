// The command line as a user meets it: help, version, dry run, writing into folders, prompts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, REPO, fingerprint, runCli, scratch } from './helpers/cli.ts';
import { DEFAULT_RUNTIME, RETIRED, RUNTIMES } from '../src/registry/runtimes.ts';
import { EVENTS } from '../src/registry/events.ts';

const t = suite('cli');
const quiet = ['--no-git', '--no-install'];

/** Runs the CLI in a pseudo-terminal, typing `steps` ([screen pattern, keys]) as prompts appear. */
function interactive(cwd: string, args: string[], steps: [string, string][]): { status: number; output: string } {
  const driver = join(REPO, 'test/helpers/pty_drive.py');
  const r = spawnSync('python3', [driver, JSON.stringify(steps), '--', process.execPath, CLI, ...args], { cwd, encoding: 'utf8' });
  return JSON.parse(r.stdout) as { status: number; output: string };
}

t('--help lists every runtime, language and event from the registry', () => {
  const r = runCli(['--help'], REPO);
  assert.is(r.status, 0);
  for (const runtime of RUNTIMES) {
    assert.match(r.stdout, runtime.id);
    if (runtime.languages.length > 1) for (const l of runtime.languages) assert.match(r.stdout, l.id);
  }
  for (const retired of RETIRED) assert.match(r.stdout, retired.id);
  // The tests' date (SOURCE_DATE_EPOCH) puts nodejs22.x within six months of its date, java25 not.
  assert.match(r.stdout, /nodejs22\.x .*\(end of support 2027-04-30\)/);
  assert.not.match(r.stdout, /java25 .*end of support/);
  for (const e of EVENTS) assert.match(r.stdout, e.description);
  assert.match(r.stdout, 'npx create-container-lambda <dir>');
});

t('--yes writes the same template.yaml on x86_64 and arm64 machines (x86_64, as sam init)', () => {
  const { dir, remove } = scratch('arch');
  try {
    // A preloaded module makes this process look like an arm64 machine to the CLI.
    const fake = join(dir, 'arm64-machine.cjs');
    writeFileSync(fake, "const os = require('node:os'); os.arch = () => 'arm64'; os.machine = () => 'aarch64';\n"
      + "Object.defineProperty(process, 'arch', { value: 'arm64' });\n");
    const templates = ['', `--require=${fake}`].map((preload, i) => {
      const r = runCli([`app${i}`, '--yes', ...quiet], dir, { NODE_OPTIONS: preload });
      assert.is(r.status, 0, r.stderr);
      assert.match(r.stdout, /, x86_64, /, 'the summary line names the architecture');
      return readFileSync(join(dir, `app${i}`, 'template.yaml'), 'utf8').replaceAll(`app${i}`, 'app');
    });
    const [onX86, onArm] = templates as [string, string];
    assert.ok(onX86.includes('- x86_64'), 'Architectures: [x86_64]');
    assert.fixture(onArm, onX86);
  } finally {
    remove();
  }
});

t('--event takes a comma-separated list; --language names the only language of a runtime', () => {
  const { dir, remove } = scratch('lists');
  try {
    const r = runCli(['app', '--yes', ...quiet, '--runtime', 'java21', '--language', 'java', '--event', 'sqs,s3'], dir);
    assert.is(r.status, 0, r.stderr);
    const config = JSON.parse(readFileSync(join(dir, 'app', '.create-container-lambda.json'), 'utf8')) as { answers?: { events?: string[] } };
    const template = readFileSync(join(dir, 'app', 'template.yaml'), 'utf8');
    assert.match(template, /Type: SQS/);
    assert.match(template, /Type: S3/);
    assert.equal(config.answers?.events, ['sqs', 's3']);
    const wrong = runCli(['bad', '--yes', ...quiet, '--runtime', 'python3.13', '--language', 'java'], dir);
    assert.is(wrong.status, 1);
    assert.not.ok(existsSync(join(dir, 'bad')));
  } finally {
    remove();
  }
});

t('--version prints the package version', () => {
  const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
  assert.is(runCli(['--version'], REPO).stdout.trim(), version);
});

t('--dry-run lists the files and writes nothing', () => {
  const { dir, remove } = scratch('dry');
  try {
    const before = fingerprint(dir);
    const r = runCli(['app', '--yes', '--dry-run', '--runtime', 'nodejs22.x'], dir);
    assert.is(r.status, 0, r.stderr);
    for (const file of ['template.yaml', 'samconfig.toml', 'functions/hello-function/Dockerfile', 'events/api.json']) {
      assert.match(r.stdout, file);
    }
    assert.match(r.stdout, 'Nothing was written');
    assert.is(fingerprint(dir), before);
  } finally {
    remove();
  }
});

t('without a code cache for this Node.js (another version than the build\'s) it writes the same project', () => {
  const { dir, remove } = scratch('nocache');
  try {
    const dist = join(dir, 'dist');
    cpSync(join(REPO, 'dist'), dist, { recursive: true, filter: (src) => !src.endsWith('.cache') });
    const run = (cli: string, where: string) => {
      mkdirSync(join(dir, where));
      return spawnSync(process.execPath, [cli, 'app', '--yes', ...quiet], { cwd: join(dir, where), encoding: 'utf8' });
    };
    const cached = run(CLI, 'cached');
    const plain = run(join(dist, 'cli.js'), 'plain');
    assert.is(plain.status, 0, plain.stderr);
    assert.is(plain.stdout, cached.stdout);
    assert.is(fingerprint(join(dir, 'plain/app')), fingerprint(join(dir, 'cached/app')));
  } finally {
    remove();
  }
});

t('a second run into the same folder fails with one line and leaves it byte-identical', () => {
  const { dir, remove } = scratch('twice');
  try {
    assert.is(runCli(['app', '--yes', ...quiet], dir).status, 0);
    const before = fingerprint(dir);
    const r = runCli(['app', '--yes', ...quiet], dir);
    assert.is.not(r.status, 0);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.is(fingerprint(dir), before);
  } finally {
    remove();
  }
});

t('an empty folder is used as it is; --force writes into a full one and keeps unrelated files', () => {
  const { dir, remove } = scratch('force');
  try {
    mkdirSync(join(dir, 'empty'));
    assert.is(runCli(['empty', '--yes', ...quiet], dir).status, 0);
    assert.ok(existsSync(join(dir, 'empty/template.yaml')));

    mkdirSync(join(dir, 'full'));
    writeFileSync(join(dir, 'full/notes.txt'), 'mine\n');
    writeFileSync(join(dir, 'full/template.yaml'), 'old\n');
    const r = runCli(['full', '--yes', '--force', ...quiet], dir);
    assert.is(r.status, 0, r.stderr);
    assert.is(readFileSync(join(dir, 'full/notes.txt'), 'utf8'), 'mine\n');
    assert.match(readFileSync(join(dir, 'full/template.yaml'), 'utf8'), 'PackageType: Image');
  } finally {
    remove();
  }
});

t('the project folder and its scripts get ordinary permissions', () => {
  const { dir, remove } = scratch('mode');
  try {
    assert.is(runCli(['app', '--yes', ...quiet], dir).status, 0);
    const tree = fingerprint(dir).split('\n');
    assert.ok(tree.some((l) => /^app 40755 dir$/.test(l)), tree.slice(0, 3).join('\n'));
    assert.ok(tree.some((l) => /^app\/scripts\/ecr-setup.sh 100755 /.test(l)));
  } finally {
    remove();
  }
});

t('in a terminal it asks only what the flags did not answer', () => {
  const { dir, remove } = scratch('tty');
  try {
    // From the default runtime, down the list to the first Node.js one.
    const node = RUNTIMES.findIndex((x) => x.id.startsWith('nodejs'));
    const downs = node - RUNTIMES.findIndex((x) => x.id === DEFAULT_RUNTIME);
    const r = interactive(dir, ['--arch', 'arm64', ...quiet], [
      ['Project folder', 'myapp\r'],
      ['Lambda runtime', `${'\u001b[B'.repeat(downs)}\r`],
      ['Language', '\u001b[B\r'], // JavaScript
      ['What triggers', '\r'],
      ['CI/CD workflow', '\r'], // none
    ]);
    assert.is(r.status, 0, r.output);
    assert.not.match(r.output, 'Instruction set', 'the architecture came from --arch');
    const recorded = JSON.parse(readFileSync(join(dir, 'myapp/.create-container-lambda.json'), 'utf8'));
    assert.equal(
      [recorded.answers.runtime, recorded.answers.language, recorded.answers.arch],
      [RUNTIMES[node]!.id, 'javascript', 'arm64'],
    );
  } finally {
    remove();
  }
});

t('Ctrl-C at a prompt exits 130 and writes nothing', () => {
  const { dir, remove } = scratch('ctrlc');
  try {
    const before = fingerprint(dir);
    const r = interactive(dir, ['app', ...quiet], [['Lambda runtime', '\u0003']]);
    assert.is(r.status, 130, r.output);
    assert.is(fingerprint(dir), before);
  } finally {
    remove();
  }
});

t.run();
