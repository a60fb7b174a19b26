// The image tier (`npm run test:images`): every Python and Node.js variant the registry offers, generated
// with all event kinds but `none` (the handler dispatches on the event's shape) for this machine's
// architecture, plus one Python and one Node.js project with `none` only. Each function folder gets a
// `.env` (the .dockerignore must keep it out) and, for Node.js, its lockfile (`npm install`, as the CLI
// does); its Dockerfile is built UNCHANGED FROM a local stand-in of the official base image, the handler
// is invoked in the image with each sample event, the result is checked against the contract in
// templates/functions/README.md, then the image's contents, and on one Python and one Node.js scenario
// the order of the layers.
//   node --import tsx test/images/tier.ts [--only TEXT] [--self-check] [--keep]
// --only: variants whose scenario name ("python3.13/x86_64") contains TEXT. --self-check: in scratch copies
// of the layer-checked scenarios, breaks the CMD (wrong handler name) or removes the last COPY, and passes
// if the tier fails those scenarios with messages naming them. --keep: keep the engine's folder.
// Ends with "N passed, N failed[, N skipped]" (skipped: scenarios whose stand-in could not be built);
// exit 1 on a failure. Without buildah (or podman) it skips, unless CI is set, when it fails.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultArch } from '../../src/options.ts';
import { EVENT_KINDS, generate, VARIANTS, type Variant } from '../helpers/matrix.ts';
import { ImageEngine } from './engine.ts';
import { exec, onPath } from './exec.ts';
import { buildStandins } from './standins.ts';
import { buildAndInvoke, invoke } from './invoke.ts';
import { checkContents, inspectContents } from './contents.ts';
import { checkLayerReuse } from './layers.ts';

interface Scenario {
  name: string;
  variant: Variant;
  events: string[];
  layerCheck: boolean;
}
interface Row {
  scenario: string;
  base: string;
  bytes?: number;
  buildSeconds?: number;
  invokeSeconds: number;
  invocations: string;
}

/** Outcomes of named checks; a self-check runs scenarios into a report of its own. */
class Report {
  constructor(private readonly indent = '') {}
  passed = 0;
  failed = 0;
  failures: string[] = [];
  check(name: string, ok: boolean, detail = ''): boolean {
    const line = `${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`;
    if (ok) this.passed++;
    else (this.failed++, this.failures.push(line));
    console.log(line.split('\n').map((l, i) => this.indent + (i ? `       | ${l}` : l)).join('\n'));
    return ok;
  }
  async attempt(name: string, fn: () => Promise<void>): Promise<boolean> {
    try {
      await fn();
      return true;
    } catch (e) {
      return this.check(name, false, (e as Error).message);
    }
  }
}

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] ?? '' : '';
const selfCheck = args.includes('--self-check');
const keep = args.includes('--keep');
const arch = defaultArch();
const TIMEOUT = '10'; // the function's Timeout as generate() writes it
const report = new Report();
let skipped = 0;

// ---- the contract (templates/functions/README.md), computed from each sample event ----------------
type Json = any;
const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};
const failures = (ids: string[]) => ({ batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })) });

/** What the handler must return for this sample event; throws if the sample itself is not what the brief says. */
function expected(kind: string, ev: Json): Json {
  const records: Json[] = ev.Records ?? [];
  const batch = (ids: string[], want: number) => {
    if (ids.length !== want) throw new Error(`sample ${kind} event has ${ids.length} failing record(s), expected ${want}`);
    return failures(ids);
  };
  switch (kind) {
    case 'api':
    case 'http-api':
    case 'function-url':
      return { statusCode: 200, body: { message: `Hello, ${ev.queryStringParameters?.name ?? 'world'}!` } };
    case 's3':
      return { objects: records.map((r) => `${r.s3.bucket.name}/${decodeURIComponent(r.s3.object.key.replace(/\+/g, ' '))}`) };
    case 'sqs':
      return batch(records.filter((r) => !isJson(r.body)).map((r) => r.messageId), 1);
    case 'kinesis':
      return batch(records.filter((r) => !isJson(Buffer.from(r.kinesis.data, 'base64').toString())).map((r) => r.kinesis.sequenceNumber), 0);
    case 'dynamodb':
      return batch(records.filter((r) => !r.dynamodb?.Keys).map((r) => r.dynamodb.SequenceNumber), 0);
    case 'sns':
      return { messages: records.map((r) => r.Sns.MessageId) };
    case 'schedule':
      return { scheduledAt: ev.time };
    case 'eventbridge':
      return { detailType: ev['detail-type'], source: ev.source };
    case 'none':
      return { message: `Hello, ${ev.name ?? 'world'}!` };
  }
  throw new Error(`no contract for event kind ${kind}`);
}

/** Why a handler's result breaks the contract, or '' when it keeps it. */
function judge(want: Json, got: Json): string {
  if (!('statusCode' in want)) return isDeepStrictEqual(got, want) ? '' : `expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
  const type = Object.entries(got?.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const body = typeof got?.body === 'string' && isJson(got.body) ? JSON.parse(got.body) : got?.body;
  const problems = [
    got?.statusCode === 200 ? '' : `status ${got?.statusCode}`,
    type === 'application/json' ? '' : `Content-Type ${type}`,
    isDeepStrictEqual(body, want.body) ? '' : `body ${JSON.stringify(got?.body)}, expected ${JSON.stringify(JSON.stringify(want.body))}`,
  ].filter(Boolean);
  return problems.join(', ');
}

// ---- one scenario --------------------------------------------------------------------------------
const handlerSource = async (dir: string, handler: string): Promise<string> => {
  const mod = handler.split('.')[0] ?? handler;
  const found = [`${mod}.py`, `src/${mod}.ts`, `src/${mod}.js`, `${mod}.js`].find((f) => existsSync(join(dir, f)));
  if (!found) throw new Error(`no source file for handler ${handler} in the function folder`);
  return found;
};

async function runScenario(engine: ImageEngine, s: Scenario, r: Report, rows: Row[], mutate?: (dockerfile: string) => string): Promise<void> {
  const row: Row = { scenario: s.name, base: s.variant.runtime.baseImage, invocations: `0/${s.events.length}`, invokeSeconds: 0 };
  rows.push(row);
  const gen = await generate(s.variant, arch, s.events).catch((e: Error) => {
    throw new Error(`generate: ${e.message}`);
  });
  let dir = join(gen.dir, 'functions', 'hello-function');
  if (mutate) {
    const copy = join(gen.dir, 'functions', s.name.replace(/[^\w.-]+/g, '_'));
    await cp(dir, copy, { recursive: true });
    const before = await readFile(join(copy, 'Dockerfile'), 'utf8');
    if (mutate(before) === before) throw new Error(`${s.name}: the self-check's edit changed nothing`);
    await writeFile(join(copy, 'Dockerfile'), mutate(before));
    dir = copy;
  }
  await writeFile(join(dir, '.env'), 'API_KEY=image-tier-secret-never-in-an-image\n');
  const install = s.variant.language.install;
  if (install && !existsSync(join(dir, s.variant.language.lockfile ?? 'package-lock.json'))) {
    const x = await exec(install[0] ?? 'npm', install.slice(1), { cwd: dir, timeoutMs: 10 * 60_000 });
    if (!r.check(`${s.name}: ${install.join(' ')}`, x.code === 0, x.code ? x.stderr.trim().split('\n').slice(-5).join('\n') : '')) return;
  }
  const built = await buildAndInvoke({ engine, scenario: s.name, functionDir: dir, events: [], layers: s.layerCheck });
  Object.assign(row, { bytes: built.bytesAboveBase, buildSeconds: built.buildSeconds });
  r.check(`${s.name}: built FROM ${row.base}`, built.baseImage === row.base, built.baseImage === row.base ? '' : `FROM ${built.baseImage}`);
  let ok = 0;
  for (const kind of s.events) {
    const name = `${s.name}: ${kind} event`;
    await r.attempt(name, async () => {
      const path = join(gen.dir, 'events', `${kind}.json`);
      const want = expected(kind, JSON.parse(await readFile(path, 'utf8')));
      const t = performance.now();
      const got = await invoke(engine, s.name, built.image, { name: kind, path }, { AWS_LAMBDA_FUNCTION_TIMEOUT: TIMEOUT }).finally(() => {
        row.invokeSeconds += (performance.now() - t) / 1000;
      });
      const problem = judge(want, got.result);
      if (r.check(name, !problem, problem)) ok++;
    });
  }
  row.invocations = `${ok}/${s.events.length}`;
  await r.attempt(`${s.name}: image contents`, async () => {
    const problems = await checkContents(await inspectContents(engine, built.image), dir);
    r.check(`${s.name}: image contents`, problems.length === 0, problems.join('; '));
  });
  if (s.layerCheck) {
    await r.attempt(`${s.name}: dependency layer reused`, async () => {
      const l = await checkLayerReuse({ engine, scenario: s.name, functionDir: dir, handlerFile: await handlerSource(dir, s.variant.language.handler) });
      r.check(`${s.name}: dependency layer reused`, true, `${l.dependencySteps.map((d) => d.instruction).join(' + ')} (rebuild ${l.secondSeconds.toFixed(1)} s)`);
    });
  }
  await engine.remove(built.image);
}

// ---- scenarios, stand-ins, report ------------------------------------------------------------------
const table = (head: string[], rows: (string | number)[][]): string => {
  const cells = [head, ...rows.map((x) => x.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((x) => (x[i] ?? '').length)));
  return cells.map((x) => x.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
};

/** One all-events scenario per variant; the newest Python and Node.js TypeScript ones with a built stand-in also get the layer check and a `none` twin. */
function scenarios(variants: Variant[], built: Set<string>): Scenario[] {
  const all = variants.map((variant) => ({ name: `${variant.name}/${arch}`, variant, events: EVENT_KINDS.filter((k) => k !== 'none'), layerCheck: false }));
  const ok = all.filter((s) => built.has(s.variant.runtime.baseImage));
  const picked = [ok.find((s) => s.variant.language.id === 'python'), ok.find((s) => s.variant.language.id === 'typescript')];
  for (const s of picked) if (s) s.layerCheck = true;
  for (const s of picked) if (s) all.push({ ...s, name: `${s.name}/none`, events: ['none'], layerCheck: false });
  return all;
}

async function main(): Promise<Row[]> {
  if (process.env.CI && !((await onPath('podman')) && (await onPath('runc')))) report.check('podman and runc on PATH (CI)', false, 'sh test/images/install-debian-packages.sh');
  const engine = await ImageEngine.create(); // throws in CI without buildah
  if (!engine) return (skipped++, []);
  const stop = () => void engine.cleanup().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const rows: Row[] = [];
  console.log(`engine: buildah + ${engine.runner}, ${engine.driver} storage`);
  try {
    const variants = VARIANTS.filter((v) => /\/lambda\/(python|nodejs):/.test(v.runtime.baseImage) && `${v.name}/${arch}`.includes(only));
    const standins = await buildStandins(engine, [...new Set(variants.map((v) => v.runtime.baseImage))]);
    const built = new Set(standins.filter((x) => x.built).map((x) => x.tag));
    const list = scenarios(variants, built).filter((s) => !selfCheck || s.layerCheck);
    console.log(table(['stand-in', 'interpreter', 'MB', 's'], standins.map((x) => [x.tag, x.interpreter ?? `not built: ${x.reason}`, x.bytes ? (x.bytes / 1e6).toFixed(0) : '-', x.ms ? (x.ms / 1000).toFixed(1) : '-'])));
    for (const s of list) {
      const st = standins.find((x) => x.tag === s.variant.runtime.baseImage);
      if (!st?.built) {
        skipped++;
        console.log(`skip ${s.name}: stand-in ${s.variant.runtime.baseImage} ${st ? `not built: ${st.reason}` : 'unknown'}`);
      } else if (!selfCheck) {
        await report.attempt(s.name, () => runScenario(engine, s, report, rows));
      } else {
        for (const [what, edit, needle] of [
          ['broken-cmd', (d: string) => d.replace(/^CMD \["([^"]+)"\]/m, 'CMD ["$1_wrong"]'), 'Runtime.HandlerNotFound'],
          ['missing-copy', (d: string) => d.replace(/^COPY (?![\s\S]*^COPY )[^\n]*\n/m, ''), 'Runtime.ImportModuleError'],
        ] as const) {
          const broken = { ...s, name: `${s.name}+${what}`, layerCheck: false };
          const own = new Report('  (expected) ');
          await own.attempt(broken.name, () => runScenario(engine, broken, own, [], edit));
          const named = own.failures.every((f) => f.startsWith(`FAIL ${broken.name}: `));
          report.check(`self-check ${broken.name} fails naming it`, own.failed > 0 && named && own.failures.some((f) => f.includes(needle)), `${own.failed} failure(s)`);
        }
      }
    }
  } finally {
    if (keep) console.log(`kept ${engine.dir}`);
    else await engine.cleanup();
  }
  return rows;
}

const wall = performance.now();
let rows: Row[] = [];
try {
  rows = await main();
} catch (e) {
  report.check('image tier ran to the end', false, (e as Error).message);
}
if (rows.length) {
  console.log(`\n${table(
    ['scenario', 'base image', 'bytes above base', 'MB', 'build s', 'invocations passed', 'invoke s (all)'],
    rows.map((x) => [x.scenario, x.base, x.bytes ?? '-', x.bytes === undefined ? '-' : (x.bytes / 1e6).toFixed(1), x.buildSeconds?.toFixed(1) ?? '-', x.invocations, x.invokeSeconds.toFixed(1)]),
  )}`);
}
console.log(`\nwall time ${((performance.now() - wall) / 1000).toFixed(0)} s`);
console.log(`${report.passed} passed, ${report.failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (report.failed > 0) process.exitCode = 1;
