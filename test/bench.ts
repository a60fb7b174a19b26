// npm run bench: the speed and size goals, measured (never asserted in a timed test).
//  1. Cold start: `create-container-lambda demo --yes --no-git --no-install` against `node -e 0`,
//     interleaved runs, median ratio. Goal: at most 1.5x.
//  2. add into a template with 300 functions against one with 1, and against `node -e 0`.
//     Goals: at most 1.2x and 1.5x.
//  4. new --kit examples/kits/acme (a folder kit, after its first run has cached it) against plain
//     new, interleaved. Goal: at most 1.2x.
//  5. update of a 20-function project made by another release (one built from this source with the
//     template changes of test/helpers/update-history.ts) to this one, against new. Goal: under 3x.
//  3. Install footprint of the packed package: size of node_modules and package count after
//     installing the tarball into an empty folder. Goal: at most 3 MB and 3 packages.
//  6. update's template merge (in process) of a template of 300 resources, and of one `new` renders
//     for 300 functions (900 resources): a few changes of the new version, and one in every function.
//  `npm run bench -- start add footprint kit update merge` picks parts.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedTemplate, samTemplate } from './helpers/long-template.ts';
import { mergeTemplate } from '../src/update/merge-template.ts';
import { buildRelease } from './helpers/release.ts';
import { V2_CHANGES } from './helpers/update-history.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'dist', 'cli.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 31);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * Flushes what earlier runs wrote (untimed): otherwise the disk writes back one run's files while
 * the next is timed, which a single run on a quiet machine does not pay.
 */
const settle = () => spawnSync('sync', { stdio: 'ignore' });

function time(command: string, args: string[], cwd: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function coldStart(): void {
  const dir = mkdtempSync(join(tmpdir(), 'ccl-bench-'));
  try {
    const base: number[] = [];
    const cli: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < 3; i++) time(process.execPath, [CLI, `warm${i}`, '--yes', '--no-git', '--no-install'], dir); // file cache
    for (let i = 0; i < RUNS; i++) {
      settle();
      const b = time(process.execPath, ['-e', '0'], dir);
      const c = time(process.execPath, [CLI, `demo${i}`, '--yes', '--no-git', '--no-install'], dir);
      base.push(b);
      cli.push(c);
      ratios.push(c / b);
    }
    const ratio = median(ratios);
    console.log(`cold start, ${RUNS} interleaved runs:`);
    console.log(`  node -e 0                       median ${median(base).toFixed(1)} ms`);
    console.log(`  create-container-lambda demo    median ${median(cli).toFixed(1)} ms`);
    console.log(`  median ratio ${ratio.toFixed(2)}x (goal <= 1.5x) ${ratio <= 1.5 ? 'ok' : 'OVER'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function kitSpeed(): void {
  const dir = mkdtempSync(join(tmpdir(), 'ccl-bench-kit-'));
  const kit = join(REPO, 'examples/kits/acme');
  const env = { ...process.env, CREATE_CONTAINER_LAMBDA_CACHE: join(dir, 'cache') };
  const timed = (args: string[]) => {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [CLI, ...args, '--yes', '--no-git', '--no-install'], { cwd: dir, stdio: 'ignore', env });
    if (r.status !== 0) throw new Error(`create-container-lambda ${args.join(' ')} exited ${r.status}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  try {
    for (let i = 0; i < 3; i++) timed([`warm${i}`, '--kit', kit]);
    const plain: number[] = [];
    const withKit: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      settle();
      const p = timed([`plain${i}`]);
      const k = timed([`kit${i}`, '--kit', kit]);
      plain.push(p);
      withKit.push(k);
      ratios.push(k / p);
    }
    const ratio = median(ratios);
    console.log(`new --kit, ${RUNS} interleaved runs:`);
    console.log(`  new                             median ${median(plain).toFixed(1)} ms`);
    console.log(`  new --kit examples/kits/acme    median ${median(withKit).toFixed(1)} ms`);
    console.log(`  median ratio ${ratio.toFixed(2)}x (goal <= 1.2x) ${ratio <= 1.2 ? 'ok' : 'OVER'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function samProject(dir: string, n: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'template.yaml'), samTemplate(n));
}

function addSpeed(): void {
  const dir = mkdtempSync(join(tmpdir(), 'ccl-add-'));
  try {
    samProject(join(dir, 'one'), 1);
    samProject(join(dir, 'many'), 300);
    const base: number[] = [];
    const one: number[] = [];
    const many: number[] = [];
    const args = ['add', 'NewFunction', '--runtime', 'python3.13', '--event', 'api', '--yes', '--no-install'];
    for (let i = 0; i < RUNS; i++) {
      for (const [name, times] of [['one', one], ['many', many]] as const) {
        const work = join(dir, `${name}-${i}`);
        cpSync(join(dir, name), work, { recursive: true });
        settle();
        times.push(time(process.execPath, [CLI, ...args], work));
      }
      settle();
      base.push(time(process.execPath, ['-e', '0'], dir));
    }
    // Ratios within each round of runs, then their median: the machine's speed drifts between rounds.
    const large = median(many.map((m, i) => m / one[i]!));
    const small = median(one.map((o, i) => o / base[i]!));
    console.log(`add, ${RUNS} interleaved runs:`);
    console.log(`  into 1 function     median ${median(one).toFixed(1)} ms, ${small.toFixed(2)}x node -e 0 (goal <= 1.5x) ${small <= 1.5 ? 'ok' : 'OVER'}`);
    console.log(`  into 300 functions  median ${median(many).toFixed(1)} ms, ${large.toFixed(2)}x the 1-function add (goal <= 1.2x) ${large <= 1.2 ? 'ok' : 'OVER'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function mergeSpeed(): void {
  const timed = (base: string, ours: string, theirs: string) => {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = process.hrtime.bigint();
      const m = mergeTemplate(base, ours, theirs, { file: 'template.yaml', conflict: 'inline', theirsLabel: 'new' });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (m.conflicts.length || !m.applied.length) throw new Error('the merge benchmark expects clean changes');
    }
    return median(times).toFixed(1);
  };
  const user = (text: string) => text.replace('    Timeout: 10', '    Timeout: 20').replace('Resources:\n', 'Resources:\n  Uploads:\n    Type: AWS::S3::Bucket\n\n');
  console.log(`update's template merge, ${RUNS} runs:`);
  const plain = samTemplate(300);
  const plainTheirs = plain.replace('    Timeout: 10\n', '    Timeout: 10\n    MemorySize: 1024\n').replace('            Path: /fn7\n', '            Path: /fn7/v2\n');
  const row = (label: string, ms: string) => console.log(`  ${label.padEnd(54)} median ${ms} ms`);
  row(`300 resources (${plain.split('\n').length} lines), 2 changes`, timed(plain, user(plain), plainTheirs));
  const base = generatedTemplate(300);
  const theirs = generatedTemplate(300, { Tags: { CostCenter: 'platform' } }).replace('            Path: /fn7\n', '            Path: /fn7/v2\n');
  const lines = base.split('\n').length;
  row(`300 functions (900 resources, ${lines} lines), 2 changes`, timed(base, user(base), theirs));
  row('300 functions, and a change in every function', timed(base, user(base), theirs.replaceAll('DockerTag: python3.13-v1', 'DockerTag: python3.13-v2')));
}

function duBytes(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((sum, name) => sum + duBytes(join(path, name)), 0);
}

function countPackages(nodeModules: string): number {
  let n = 0;
  for (const name of readdirSync(nodeModules)) {
    if (name.startsWith('.')) continue;
    const path = join(nodeModules, name);
    if (name.startsWith('@')) n += countPackages(path);
    else if (existsSync(join(path, 'package.json'))) n += 1 + (existsSync(join(path, 'node_modules')) ? countPackages(join(path, 'node_modules')) : 0);
  }
  return n;
}

function footprint(): void {
  const dir = mkdtempSync(join(tmpdir(), 'ccl-pack-'));
  try {
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: REPO, encoding: 'utf8' }).trim().split('\n').pop()!;
    const app = join(dir, 'app');
    execFileSync('npm', ['init', '-y'], { cwd: dir, stdio: 'ignore' });
    execFileSync('sh', ['-c', `mkdir -p "${app}" && cd "${app}" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent "${join(dir, tarball)}"`], { stdio: 'ignore' });
    const modules = join(app, 'node_modules');
    const bytes = duBytes(modules);
    const packages = countPackages(modules);
    console.log('install footprint (npm pack, then npm install of the tarball into an empty folder):');
    console.log(`  tarball ${(statSync(join(dir, tarball)).size / 1024).toFixed(0)} kB`);
    console.log(`  node_modules ${(bytes / 1e6).toFixed(2)} MB in ${packages} package(s) (goal <= 3 MB and 3 packages) ${bytes <= 3e6 && packages <= 3 ? 'ok' : 'OVER'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function updateSpeed(): void {
  const dir = mkdtempSync(join(tmpdir(), 'ccl-bench-update-'));
  const env = { ...process.env, CREATE_CONTAINER_LAMBDA_CACHE: join(dir, 'cache') };
  const timed = (args: string[], cwd: string) => {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd, stdio: 'ignore', env });
    if (r.status !== 0) throw new Error(`create-container-lambda ${args.join(' ')} exited ${r.status}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  try {
    const old = join(buildRelease(join(dir, 'cache'), '0.0.1-bench', V2_CHANGES, { codeCache: true }), 'dist', 'cli.js');
    const made = (args: string[], cwd: string) => execFileSync(process.execPath, [old, ...args, '--yes', '--no-install'], { cwd, stdio: 'ignore', env });
    made(['pristine', '--no-git', '--event', 'sqs'], dir);
    const runtimes = ['python3.13', 'nodejs22.x', 'java21', 'provided.al2023'];
    for (let i = 1; i < 20; i++) made(['add', `Function${i}`, '--runtime', runtimes[i % runtimes.length]!, '--event', i % 2 ? 'sqs' : 'api'], join(dir, 'pristine'));
    const copy = (i: number) => {
      cpSync(join(dir, 'pristine'), join(dir, `p${i}`), { recursive: true });
      return join(dir, `p${i}`);
    };
    for (let i = 0; i < 3; i++) timed(['update', '--force'], copy(-i - 1)); // the file cache
    const fresh: number[] = [];
    const updates: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const project = copy(i);
      settle();
      const n = timed([`demo${i}`, '--yes', '--no-git', '--no-install'], dir);
      const u = timed(['update', '--force'], project);
      fresh.push(n);
      updates.push(u);
      ratios.push(u / n);
    }
    const ratio = median(ratios);
    console.log(`update of 20 functions from another release, ${RUNS} interleaved runs:`);
    console.log(`  new                             median ${median(fresh).toFixed(1)} ms`);
    console.log(`  update (20 functions)           median ${median(updates).toFixed(1)} ms`);
    console.log(`  median ratio ${ratio.toFixed(2)}x (goal < 3x) ${ratio < 3 ? 'ok' : 'OVER'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run build first');
// `npm run bench -- add` runs one part; no argument runs them all.
const parts: Record<string, () => void> = { start: coldStart, add: addSpeed, footprint, kit: kitSpeed, update: updateSpeed, merge: mergeSpeed };
const chosen = process.argv.slice(2);
for (const name of chosen) if (!parts[name]) throw new Error(`unknown part ${name}: choose from ${Object.keys(parts).join(', ')}`);
for (const [name, run] of Object.entries(parts)) if (!chosen.length || chosen.includes(name)) run();
