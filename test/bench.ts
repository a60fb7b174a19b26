// npm run bench: the speed and size goals, measured (never asserted in a timed test).
//  1. Cold start: `create-container-lambda demo --yes --no-git --no-install` against `node -e 0`,
//     interleaved runs, median ratio. Goal: at most 1.5x.
//  2. Install footprint of the packed package: size of node_modules and package count after
//     installing the tarball into an empty folder. Goal: at most 3 MB and 3 packages.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'dist', 'cli.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 21);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

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

if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run build first');
coldStart();
footprint();
