// The SAM tier (`npm run test:sam`): generated projects run through the AWS SAM CLI itself, with the
// commands their README gives, unchanged, on podman's Docker-compatible API instead of a Docker engine.
// For each scenario (scenarios.ts: Python, Node.js TypeScript, Java Maven, Go and Rust, with an API and
// an SQS event) the real CLI generates the project; then `sam validate --lint`, the README's `sam build`
// (the SAM CLI sends the function's Dockerfile to the API, which builds it with buildah) and each of its
// `sam local invoke <Fn> --event events/<kind>.json` lines (the SAM CLI layers its own emulator over the
// built image, starts it with a published port and POSTs the event), each response checked against
// templates/functions/README.md. The images the Dockerfiles build FROM are the image tier's stand-ins
// (test/images/standins.ts) in its private storage, which the podman service (service.ts) shares.
// Two scenarios run at once, the slowest first; each project's function has a logical ID of its own
// (scenarios.ts: the SAM CLI names the local images after it).
//   node --import tsx test/sam/tier.ts [--only TEXT] [--jobs N] [--keep]
// --only: the variants (test/helpers/matrix.ts) whose name contains TEXT, instead of the default five.
// --keep: keep the projects and the engine's folder (the service is stopped all the same).
// Ends with "N passed, N failed[, N skipped]"; exit 1 on a failure. Without the SAM CLI, buildah or
// podman it skips, unless CI is set, when it fails; in CI a skip KNOWN_GAPS does not explain fails too.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scratch } from '../helpers/cli.ts';
import { VARIANTS } from '../helpers/matrix.ts';
import { printSkips, skip, unexplainedSkips } from '../helpers/skips.ts';
import { ImageEngine, tail } from '../images/engine.ts';
import { onPath } from '../images/exec.ts';
import { buildStandins, type StandinResult } from '../images/standins.ts';
import { expected, judge } from './contract.ts';
import { pool, Report, seconds, serial, table } from './report.ts';
import { findSam, runLine, samEnv, type SamCli } from './sam.ts';
import { cliFlags, fromImages, generateWithCli, notHere, readmeCommands, scenarios, type Scenario } from './scenarios.ts';
import { enterNamespaces, INSIDE, namespacesMissing, setUpInside } from './netns.ts';
import { PodmanService } from './service.ts';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] ?? '' : '';
const jobs = args.includes('--jobs') ? Number(args[args.indexOf('--jobs') + 1]) || 1 : 2;
const keep = args.includes('--keep');
const report = new Report();
let skipped = 0;

/** What ran for one scenario: seconds per step, or why not. */
interface Row {
  scenario: string;
  validate?: string;
  build?: string;
  invokes: string[];
}
const rows: Row[] = [];

interface Context {
  engine: ImageEngine;
  service: PodmanService;
  env: NodeJS.ProcessEnv;
  work: string;
  standin: (tag: string) => Promise<StandinResult>;
}

const SAM_WHAT = (name: string) => `sam build, sam local invoke: ${name}`;

/** The Dockerfile the template's function names (Metadata: DockerContext, Dockerfile). */
async function dockerfileOf(project: string): Promise<string> {
  const template = await readFile(join(project, 'template.yaml'), 'utf8');
  const context = /^\s+DockerContext:\s*(\S+)/m.exec(template)?.[1] ?? '.';
  const file = /^\s+Dockerfile:\s*(\S+)/m.exec(template)?.[1] ?? 'Dockerfile';
  return readFile(join(project, context, file), 'utf8');
}

async function runScenario(ctx: Context, s: Scenario): Promise<void> {
  const row: Row = { scenario: s.name, invokes: [] };
  rows.push(row);
  let project = '';
  const generated = await report.attempt(`${s.name}: generate`, async () => {
    project = await generateWithCli(s, ctx.work);
    report.check(`${s.name}: generate`, true, `node dist/cli.js ${cliFlags(s).join(' ')}`);
  });
  if (!generated) return;
  const readme = await readmeCommands(project);
  const missing = [readme.build ? '' : 'sam build', ...s.events.filter((k) => !readme.invokes.has(k)).map((k) => `sam local invoke <Fn> --event events/${k}.json`)].filter(Boolean);
  report.check(`${s.name}: README's "Build and run locally" commands`, missing.length === 0, missing.length ? `missing ${missing.join(', ')} in:\n${readme.lines.join('\n')}` : readme.lines.join(' ; '));

  // sam validate --lint: the issue's command (the README names none; samconfig.toml sets lint = true for `sam validate`)
  const v = await runLine('sam validate --lint', project, ctx.env, 5 * 60_000);
  const valid = v.code === 0 && /is a valid SAM Template/.test(v.stdout + v.stderr);
  report.check(`${s.name}: sam validate --lint`, valid, valid ? `${seconds(v.ms)} s` : `exit ${v.code}\n${tail(v.stdout + v.stderr, 15)}`);
  row.validate = valid ? seconds(v.ms) : 'FAIL';

  const images = fromImages(await dockerfileOf(project));
  const standins = await Promise.all(images.map((i) => ctx.standin(i)));
  const absent = standins.filter((x) => !x.built);
  if (absent.length) {
    const why = absent.map((x) => `stand-in ${x.tag} not built: ${x.reason}`).join('; ');
    skipped++;
    skip(s.variant.runtime.id, SAM_WHAT(s.name), why);
    row.build = 'skipped';
    return;
  }
  if (!readme.build) return;
  const b = await runLine(readme.build, project, ctx.env, 20 * 60_000);
  const output = b.stdout + b.stderr;
  const imageUri = /ImageUri:\s*(\S+)/.exec(existsSync(join(project, '.aws-sam/build/template.yaml')) ? await readFile(join(project, '.aws-sam/build/template.yaml'), 'utf8') : '')?.[1];
  const stored = imageUri ? (await ctx.service.podman(['image', 'exists', imageUri])).code === 0 : false;
  const built = b.code === 0 && /Build Succeeded/.test(output) && stored;
  report.check(
    `${s.name}: ${readme.build}`,
    built,
    built ? `${seconds(b.ms)} s, image ${imageUri} FROM ${images.join(' + ')}` : `exit ${b.code}${b.timedOut ? ' (timed out)' : ''}, image ${imageUri ?? '(none in .aws-sam/build/template.yaml)'}${stored ? '' : ' not in storage'}\n${tail(output, 25)}`,
  );
  row.build = built ? seconds(b.ms) : 'FAIL';
  if (!built) return;

  for (const kind of s.events) {
    const invoke = readme.invokes.get(kind);
    if (!invoke) continue;
    const name = `${s.name}: ${invoke.line}`;
    await report.attempt(name, async () => {
      const want = expected(kind, JSON.parse(await readFile(join(project, 'events', `${kind}.json`), 'utf8')));
      const r = await runLine(invoke.line, project, ctx.env, 5 * 60_000);
      let got: unknown;
      let problem = '';
      try {
        got = JSON.parse(r.stdout);
      } catch {
        problem = `stdout is not JSON: ${JSON.stringify(r.stdout.slice(0, 300))}`;
      }
      const err = got as { errorType?: string; errorMessage?: string } | undefined;
      if (!problem && r.code !== 0) problem = `exit ${r.code}`;
      if (!problem && !r.stderr.includes(`Invoking Container created from ${imageUri}`)) problem = `not invoked on the image sam build made (${imageUri})`;
      if (!problem && err && typeof err === 'object' && typeof err.errorMessage === 'string') problem = `handler failed: ${err.errorType}: ${err.errorMessage}`;
      if (!problem) problem = judge(want, got);
      report.check(name, !problem, problem ? `${problem}\n${tail(r.stderr, 15)}` : `${seconds(r.ms)} s, ${r.stdout.trim()}`);
      row.invokes.push(problem ? `${kind} FAIL` : `${kind} ${seconds(r.ms)}`);
    });
  }
}

/** Returns true when the tier is to run in its namespaces (enterNamespaces), false when it ran here. */
async function main(): Promise<boolean> {
  const missingTools = [];
  for (const tool of ['buildah', 'podman', 'runc', 'slirp4netns']) if (!(await onPath(tool))) missingTools.push(tool);
  const sam = await findSam();
  const why = [
    missingTools.length ? `${missingTools.join(', ')} not on PATH (sh test/images/install-debian-packages.sh)` : '',
    'why' in sam ? sam.why : '',
    await namespacesMissing(),
  ].filter(Boolean).join('; ');
  const list = scenarios(only).filter((s) => !notHere(s.variant));
  for (const v of VARIANTS) {
    const gap = notHere(v);
    if (gap) (skipped++, skip(v.runtime.id, SAM_WHAT(v.name), gap));
  }
  if (why) {
    if (process.env.CI) return (report.check('the SAM CLI, buildah, podman, runc and slirp4netns (CI)', false, why), false);
    console.warn(`skip: ${why}`);
    for (const s of list) (skipped++, skip(s.variant.runtime.id, SAM_WHAT(s.name), why));
    return false;
  }
  if (!process.env[INSIDE]) return true;
  const cli = sam as SamCli;
  const undoNamespace = await setUpInside();
  const engine = await ImageEngine.create();
  if (!engine) return (await undoNamespace(), false);
  const work = scratch('sam');
  let service: PodmanService | undefined;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await service?.stop().catch(() => undefined);
    if (!keep) {
      await engine.cleanup().catch(() => undefined);
      work.remove();
    }
    await undoNamespace();
  };
  const onSignal = () => void stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    service = await PodmanService.start(engine);
    const version = (await service.podman(['version', '--format', '{{.Client.Version}}'])).stdout.trim();
    console.log(`SAM CLI ${cli.version} (${cli.bin}); podman ${version} system service on ${service.dockerHost}, ${engine.driver} storage; ${list.length} scenario(s), ${jobs} at once`);
    const env = await samEnv(cli, service.dockerHost, work.dir);
    const oneStandinAtATime = serial();
    const made = new Map<string, Promise<StandinResult>>();
    const standin = (tag: string): Promise<StandinResult> => {
      let p = made.get(tag);
      if (!p) {
        p = oneStandinAtATime(async () => (await buildStandins(engine, [tag], (line) => console.log(`     ${line}`)))[0] as StandinResult);
        made.set(tag, p);
      }
      return p;
    };
    const ctx: Context = { engine, service, env, work: work.dir, standin };
    const ordered = [...list].sort((a, b) => b.weight - a.weight);
    await pool(ordered, jobs, (s) => report.attempt(s.name, () => runScenario(ctx, s)).then(() => undefined));
    const left = await service.containers();
    report.check('no containers left by the SAM CLI', left.length === 0, left.map((c) => `${c.names.join(',')} ${c.state} ${c.image}`).join('\n'));
  } finally {
    const dir = engine.dir;
    await stop();
    if (keep) console.log(`kept ${dir} and ${work.dir}`);
    else {
      const mounts = (await readFile('/proc/self/mounts', 'utf8')).split('\n').filter((l) => l.includes(dir));
      report.check('podman service stopped, no mounts and no temp folder left', !existsSync(dir) && !existsSync(work.dir) && mounts.length === 0, mounts.join('\n'));
    }
  }
  return false;
}

const wall = performance.now();
let reexec = false;
try {
  reexec = await main();
} catch (e) {
  report.check('SAM tier ran to the end', false, (e as Error).stack ?? String(e));
}
if (reexec) process.exit(await enterNamespaces()); // the tier inside prints the report
if (rows.length) {
  console.log(`\n${table(['scenario', 'sam validate --lint s', 'sam build s', 'sam local invoke s'], rows.map((r) => [r.scenario, r.validate ?? '-', r.build ?? '-', r.invokes.join(', ') || '-']))}`);
}
const ran = new Set(rows.map((r) => r.scenario));
const others = VARIANTS.filter((v) => !ran.has(v.name) && !notHere(v)).map((v) => v.name);
if (others.length) console.log(`\nNot in this run (\`--only NAME\` runs one; the image tier builds and invokes all): ${others.join(', ')}`);
printSkips();
// In CI a skip is a failure unless test/helpers/skips.ts records why it cannot run here.
for (const s of process.env.CI ? unexplainedSkips() : []) report.check(`skipped in CI with no recorded reason: ${s.runtime}: ${s.what}`, false, s.reason);
console.log(`\nwall time ${((performance.now() - wall) / 1000).toFixed(0)} s`);
console.log(`${report.passed} passed, ${report.failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (report.failed > 0) process.exitCode = 1;
