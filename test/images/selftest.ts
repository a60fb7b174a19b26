// Self-test of the image tier, end to end, on a machine with no Docker engine:
//   node --import tsx test/images/selftest.ts [--quick] [--keep]
// Builds the stand-in base images, writes a Python and a Node.js TypeScript function folder (generator-shaped
// Dockerfiles) to a temp folder, builds each Dockerfile unchanged, invokes the handlers with API Gateway
// events, checks the images' contents and the dependency layer's reuse, shows that broken Dockerfiles fail
// with a message naming their scenario, prints tables, and removes everything it made.
// --quick: skip the other base images (python:3.11, 3.12, nodejs:24). --keep: keep the engine's folder.
// Ends with "N passed, N failed"; exit code 1 on any failure. Without buildah: skips locally, fails when CI is set.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageEngine } from './engine.ts';
import { buildStandins, type StandinResult } from './standins.ts';
import { writeFixtures, type Fixtures } from './fixtures.ts';
import { buildAndInvoke, ScenarioError, type BuildAndInvokeResult } from './invoke.ts';
import { checkContents, inspectContents } from './contents.ts';
import { checkLayerReuse, type LayerReuseResult } from './layers.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const keep = args.includes('--keep');

let passed = 0;
let failed = 0;
let skipped = 0;
function check(name: string, ok: boolean, detail = ''): void {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
}
async function attempt(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    check(name, false, (e as Error).message);
  }
}

const table = (head: string[], rows: (string | number)[][]): string => {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
};
const sec = (ms: number) => (ms / 1000).toFixed(1);

interface Scenario {
  name: string;
  dir: string;
  buildArgs?: Record<string, string>;
  handlerFile: string;
  layerCheck: boolean;
  /** Start of the interpreter version the handler reports ("3.13.", "v22."). */
  version: string;
}

/** A copy of a fixture folder whose Dockerfile was changed by `edit` (which must change it). */
async function mutated(from: string, to: string, edit: (dockerfile: string) => string): Promise<string> {
  await cp(from, to, { recursive: true });
  const file = join(to, 'Dockerfile');
  const before = await readFile(file, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`fixture edit changed nothing in ${file}`);
  await writeFile(file, after);
  return to;
}

async function expectFailure(engine: ImageEngine, fx: Fixtures, scenario: string, dir: string, phase: string, needle: string): Promise<void> {
  await attempt(`${scenario} fails clearly`, async () => {
    try {
      await buildAndInvoke({ engine, scenario, functionDir: dir, events: fx.events.slice(0, 1), layers: true });
    } catch (e) {
      const msg = (e as Error).message;
      const first = msg.split('\n')[0] ?? '';
      const ok = e instanceof ScenarioError && e.scenario === scenario && e.phase === phase && msg.startsWith(`[${scenario}] ${phase}:`) && msg.includes(needle);
      check(`${scenario} fails clearly`, ok, first);
      const rest = msg.split('\n').slice(1).filter((l) => l.trim()).slice(-8);
      if (rest.length) console.log(rest.map((l) => `       | ${l}`).join('\n'));
      return;
    }
    check(`${scenario} fails clearly`, false, 'built and invoked without error');
  });
}

async function main(): Promise<void> {
  const wall = performance.now();
  const engine = await ImageEngine.create();
  if (!engine) {
    console.log('image tier skipped (no buildah)');
    skipped = 1;
    return;
  }
  const work = await mkdtemp(join(tmpdir(), 'cclambda-selftest-'));
  const stop = () => {
    void (async () => {
      if (!keep) await engine.cleanup();
      await rm(work, { recursive: true, force: true });
      process.exit(130);
    })();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`engine: buildah + ${engine.runner}, storage ${engine.dir}`);
  try {
    // 1. stand-ins
    const wanted = quick ? ['public.ecr.aws/lambda/python:3.13', 'public.ecr.aws/lambda/nodejs:22'] : undefined;
    const t0 = performance.now();
    const standins: StandinResult[] = await buildStandins(engine, wanted, (line) => console.log(`  ${line}`));
    const standinMs = performance.now() - t0;
    console.log(`\nstand-in base images (${sec(standinMs)} s in all):`);
    console.log(table(['image', 'interpreter', 'MB', 's'], standins.map((s) => [s.tag, s.interpreter ?? `not built: ${s.reason}`, s.bytes ? (s.bytes / 1e6).toFixed(0) : '-', s.ms ? sec(s.ms) : '-'])));
    const have = new Set(standins.filter((s) => s.built).map((s) => s.tag));
    check('stand-in python:3.13 built', have.has('public.ecr.aws/lambda/python:3.13'));
    check('stand-in nodejs:22 built', have.has('public.ecr.aws/lambda/nodejs:22'));

    // 2. function folders
    const fx = await writeFixtures(join(work, 'project'));
    const scenarios: Scenario[] = [
      { name: 'python-3.13', dir: fx.pythonDir, handlerFile: 'app.py', layerCheck: true, version: '3.13.' },
      { name: 'node-ts-22', dir: fx.nodeDir, handlerFile: 'src/app.ts', layerCheck: true, version: 'v22.' },
    ];
    for (const [name, dir, base, version] of [
      ['python-3.11', fx.pythonDir, 'public.ecr.aws/lambda/python:3.11', '3.11.'],
      ['python-3.12', fx.pythonDir, 'public.ecr.aws/lambda/python:3.12', '3.12.'],
      ['node-ts-24', fx.nodeDir, 'public.ecr.aws/lambda/nodejs:24', 'v24.'],
    ] as const) {
      if (quick) continue;
      if (have.has(base)) scenarios.push({ name, dir, buildArgs: { BASE_IMAGE: base }, handlerFile: '', layerCheck: false, version });
      else {
        skipped++;
        console.log(`skip ${name}: stand-in ${base} not built: ${standins.find((x) => x.tag === base)?.reason ?? '?'}`);
      }
    }

    // 3. build, invoke, contents
    const built: BuildAndInvokeResult[] = [];
    for (const s of scenarios) {
      await attempt(`${s.name} builds and answers`, async () => {
        const r = await buildAndInvoke({ engine, scenario: s.name, functionDir: s.dir, events: fx.events, buildArgs: s.buildArgs, layers: true });
        built.push(r);
        for (const [i, ev] of fx.events.entries()) {
          const res = r.results[i]?.result as { statusCode?: number; body?: string } | undefined;
          const body = JSON.parse(res?.body ?? '{}') as { message?: string; version?: string };
          check(`${s.name} ${ev.name} → 200 "${ev.expectMessage}"`, res?.statusCode === 200 && body.message === ev.expectMessage, JSON.stringify(res));
          check(`${s.name} ${ev.name} ran on ${s.version}x`, body.version?.startsWith(s.version) === true, body.version);
          check(`${s.name} ${ev.name} logs kept off the result`, (r.results[i]?.logs ?? '').includes('request '));
        }
        const contents = await inspectContents(engine, r.image);
        const problems = await checkContents(contents, s.dir);
        check(`${s.name} /var/task contents`, problems.length === 0, problems.join('; ') || contents.files.filter((f) => !f.startsWith('node_modules/')).join(' '));
      });
    }

    // 4. layer order
    const layerResults: LayerReuseResult[] = [];
    for (const s of scenarios.filter((x) => x.layerCheck)) {
      await attempt(`${s.name} dependency layer reused`, async () => {
        const r = await checkLayerReuse({ engine, scenario: s.name, functionDir: s.dir, handlerFile: s.handlerFile });
        layerResults.push(r);
        check(`${s.name} dependency layer reused`, true, r.dependencySteps.map((d) => `${d.instruction} (${d.secondId})`).join(', '));
      });
    }

    // 5. broken Dockerfiles must fail loudly, naming the scenario
    const broken = join(work, 'broken');
    const cmd = (handler: string) => (d: string) => d.replace(/^CMD .*$/m, `CMD ["${handler}"]`);
    const drop = (re: RegExp) => (d: string) => d.replace(re, '');
    const cases: [string, string, (d: string) => string, string, string][] = [
      ['python-broken-cmd', fx.pythonDir, cmd('app.handler'), 'invoke', 'Runtime.HandlerNotFound'],
      ['python-missing-copy', fx.pythonDir, drop(/^COPY app\.py .*\n/m), 'invoke', 'Runtime.ImportModuleError'],
      ['node-broken-cmd', fx.nodeDir, cmd('app.lambda_handler'), 'invoke', 'Runtime.HandlerNotFound'],
      ['node-missing-copy', fx.nodeDir, drop(/^COPY --from=build .*\n/m), 'invoke', 'Runtime.ImportModuleError'],
      ['node-missing-src', fx.nodeDir, drop(/^COPY src .*\n/m), 'build', 'RUN npm run build'],
    ];
    for (const [name, from, edit, phase, needle] of cases) {
      await attempt(`${name} fails clearly`, async () => {
        await expectFailure(engine, fx, name, await mutated(from, join(broken, name), edit), phase, needle);
      });
    }
    // and a Dockerfile that copies the whole folder must be caught by the contents check
    await attempt('python-copy-all caught by the contents check', async () => {
      const dir = await mutated(fx.pythonDir, join(broken, 'python-copy-all'), (d) => d.replace(/^COPY app\.py (.*)$/m, 'COPY . $1'));
      const r = await buildAndInvoke({ engine, scenario: 'python-copy-all', functionDir: dir, events: fx.events.slice(0, 1), layers: true });
      const problems = await checkContents(await inspectContents(engine, r.image), dir);
      const ok = problems.some((p) => p.includes('.env')) && problems.some((p) => p.includes('tests/test_app.py'));
      check('python-copy-all caught by the contents check', ok, problems.join('; '));
    });

    // 6. report
    console.log('\nscenarios:');
    console.log(table(['scenario', 'base image', 'bytes above base', 'MB', 'build s', 'invoke s (each)'], built.map((r) => [r.scenario, r.baseImage, r.bytesAboveBase, (r.bytesAboveBase / 1e6).toFixed(1), r.buildSeconds.toFixed(1), r.results.map((x) => sec(x.ms)).join(' ')])));
    console.log('\nlayer reuse after a handler-only change:');
    console.log(table(['scenario', 'dependency steps reused', 'shared/total layers (base)', 'first s', 'rebuild s'], layerResults.map((r) => [r.scenario, r.dependencySteps.map((d) => d.instruction).join(' + '), `${r.sharedLayers}/${r.totalLayers} (${r.baseLayers})`, r.firstSeconds.toFixed(1), r.secondSeconds.toFixed(1)])));
  } finally {
    if (keep) console.log(`\nkept ${engine.dir} and ${work}`);
    else {
      await engine.cleanup();
      await rm(work, { recursive: true, force: true });
    }
  }
  console.log(`\nwall time ${sec(performance.now() - wall)} s`);
}

try {
  await main();
} catch (e) {
  check('selftest ran to the end', false, (e as Error).stack ?? String(e));
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (failed > 0) process.exitCode = 1;
