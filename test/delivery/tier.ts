// The delivery tier (`npm run test:delivery`): a generated Python project's scripts/build-and-push.sh and
// scripts/local-invoke.sh run for real with podman, FROM the image tier's stand-in of
// public.ecr.aws/lambda/python:3.13 (test/images/standins.ts) in its private storage, which the scripts'
// podman shares through CONTAINERS_STORAGE_CONF and CONTAINERS_CONF (as test/sam/service.ts). They push to
// Debian's docker-registry on a free port of 127.0.0.1 (`--registry`), and read ECR from moto_server,
// where the pushed manifest is recorded with `aws ecr put-image` (moto has no registry endpoint).
// Checks: a single-platform image manifest with gzip layers, the printed digest is the registry's, a
// second run builds and pushes nothing, a dirty tree is refused and `--allow-dirty` marks the tag, the
// ECR path finds the recorded tag, local-invoke.sh answers each sample event as the contract says.
//   node --import tsx test/delivery/tier.ts [--keep]
// Ends with "N passed, N failed"; without podman, buildah, docker-registry, moto_server or the AWS CLI
// it skips with a warning, unless CI is set, when that is a failure.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { CLI, scratch } from '../helpers/cli.ts';
import { ImageEngine, tail } from '../images/engine.ts';
import { exec, onPath, type ExecResult } from '../images/exec.ts';
import { buildStandins } from '../images/standins.ts';
import { expected, judge } from '../sam/contract.ts';
import { Report, seconds } from '../sam/report.ts';
import { getBlobJson, getManifest, listTags, REGISTRY_PACKAGE, startRegistry } from './registry.ts';
import { LocalServer } from './server.ts';

const keep = process.argv.includes('--keep');
const BASE = 'public.ecr.aws/lambda/python:3.13';
const FUNCTION = 'HelloFunction';
const REPOSITORY = 'delivery/hello-function';
const EVENTS = ['api', 'sqs'];
const report = new Report();
const wall = performance.now();

const TOOLS: [string, string][] = [
  ['podman', 'sh test/images/install-debian-packages.sh'],
  ['buildah', 'sh test/images/install-debian-packages.sh'],
  ['runc', 'sh test/images/install-debian-packages.sh'],
  ['slirp4netns', 'sh test/images/install-debian-packages.sh'],
  ['docker-registry', `apt-get install -y ${REGISTRY_PACKAGE}`],
  ['git', 'apt-get install -y git'],
  ['curl', 'apt-get install -y curl'],
  ['aws', 'pip install awscli'],
  ['moto_server', "pip install 'moto[server]'"],
];

interface Context {
  project: string;
  env: NodeJS.ProcessEnv;
  log: string;
  registry: LocalServer;
}

/** A script of the project, with the tier's environment; the podman log starts empty for each run. */
async function script(ctx: Context, name: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ExecResult> {
  await writeFile(ctx.log, '');
  return exec(join(ctx.project, 'scripts', name), args, { cwd: ctx.project, env: { ...ctx.env, ...env }, timeoutMs: 15 * 60_000 });
}

const podmanCalls = async (ctx: Context) => (await readFile(ctx.log, 'utf8')).split('\n').filter(Boolean);
const git = (ctx: Context, args: string[]) => exec('git', ['-C', ctx.project, ...args], { timeoutMs: 60_000 });

/** stdout's `<Function> <repository>@<digest>` lines. */
function printed(r: ExecResult): Map<string, string> {
  return new Map(r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]));
}

async function pushes(ctx: Context): Promise<{ uri: string; tag: string } | undefined> {
  const commit = (await git(ctx, ['rev-parse', '--short=12', 'HEAD'])).stdout.trim();
  const tag = `sha-${commit}`;
  const host = `127.0.0.1:${ctx.registry.port}`;
  const r = await script(ctx, 'build-and-push.sh', ['--registry', host]);
  const line = printed(r).get(FUNCTION) ?? '';
  const calls = await podmanCalls(ctx);
  const build = calls.find((c) => /(^| )build /.test(c)) ?? '';
  const push = calls.find((c) => /(^| )push /.test(c)) ?? '';
  const ok = r.code === 0 && line.startsWith(`${host}/${REPOSITORY}@sha256:`);
  report.check('build-and-push.sh --registry: pushes and prints <repository>@<digest>', ok, ok ? `${seconds(r.ms)} s, ${line}` : `exit ${r.code}\n${tail(r.stdout + r.stderr, 30)}`);
  if (!ok) return undefined;
  report.check('podman build for the function\'s platform only', / --platform linux\/amd64 /.test(build) && !/--manifest|,linux/.test(build), build);
  report.check('podman push with gzip layers', / --compression-format gzip /.test(push) && push.includes(`${host}/${REPOSITORY}:${tag}`), push);

  const m = await getManifest(ctx.registry.url, REPOSITORY, tag);
  const single = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'].includes(m.type) && !m.json.manifests && (m.json.mediaType === undefined || m.json.mediaType === m.type);
  report.check(`the registry holds a single-platform image manifest at :${tag}, not an index`, single, `Content-Type ${m.type}, mediaType ${m.json.mediaType ?? '(none)'}`);
  const digest = line.split('@')[1];
  report.check('the printed digest is the registry\'s (Docker-Content-Digest, and sha256 of the manifest)', digest === m.digest && digest === m.computed, `printed ${digest}, header ${m.digest}, computed ${m.computed}`);
  const layers = m.json.layers ?? [];
  report.check('every layer gzip-compressed', layers.length > 0 && layers.every((l) => /tar\+gzip$|tar\.gzip$/.test(l.mediaType)), layers.map((l) => l.mediaType).join(', '));
  const config = await getBlobJson(ctx.registry.url, REPOSITORY, m.json.config?.digest ?? '');
  report.check('the image config says linux/amd64', config.os === 'linux' && config.architecture === 'amd64', `${config.os}/${config.architecture}`);

  // Again: the tag is in the registry, nothing is built or pushed.
  const again = await script(ctx, 'build-and-push.sh', ['--registry', host]);
  const second = await podmanCalls(ctx);
  const quiet = again.code === 0 && printed(again).get(FUNCTION) === line && !second.some((c) => /(^| )(build|push) /.test(c));
  report.check('a second run builds and pushes nothing, and prints the same digest', quiet, `${seconds(again.ms)} s, podman calls: ${second.join(' | ') || 'none'}\n${tail(again.stderr, 5)}`);
  return { uri: line, tag };
}

async function dirty(ctx: Context): Promise<void> {
  const host = `127.0.0.1:${ctx.registry.port}`;
  const app = join(ctx.project, 'functions/hello-function/app.py');
  await appendFile(app, '\n# an uncommitted change\n');
  try {
    const refused = await script(ctx, 'build-and-push.sh', ['--registry', host]);
    const lines = refused.stderr.trim().split('\n');
    report.check('a dirty tree is refused with one line', refused.code !== 0 && lines.length === 1 && /uncommitted changes/.test(lines[0] ?? '') && !(await podmanCalls(ctx)).some((c) => /(^| )(build|push) /.test(c)), `exit ${refused.code}: ${refused.stderr.trim()}`);
    const allowed = await script(ctx, 'build-and-push.sh', ['--allow-dirty', '--registry', host]);
    const tags = await listTags(ctx.registry.url, REPOSITORY);
    const marked = tags.find((t) => /^sha-[0-9a-f]{12}-dirty-\d{8}T\d{6}Z$/.test(t));
    report.check('--allow-dirty pushes a tag marked -dirty-<time>', allowed.code === 0 && !!marked && printed(allowed).get(FUNCTION)?.startsWith(`${host}/${REPOSITORY}@sha256:`) === true, `exit ${allowed.code}, tags ${tags.join(', ')}\n${tail(allowed.stderr, 10)}`);
  } finally {
    await git(ctx, ['checkout', '--', '.']);
  }
}

/** The pushed manifest recorded in moto's ECR (put-image); the script's ECR path must then find it and push nothing. */
async function ecr(ctx: Context, pushed: { uri: string; tag: string }, work: string): Promise<void> {
  const moto = await LocalServer.start('moto_server', 'moto_server', (port) => ['-H', '127.0.0.1', '-p', String(port)], '/moto-api/');
  try {
    const awsEnv = { AWS_ENDPOINT_URL: moto.url, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: join(work, 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(work, 'aws-credentials') };
    const aws = (args: string[]) => exec('aws', [...args, '--endpoint-url', moto.url, '--output', 'json'], { env: { ...process.env, ...awsEnv }, timeoutMs: 60_000 });
    const m = await getManifest(ctx.registry.url, REPOSITORY, pushed.tag);
    const created = await aws(['ecr', 'create-repository', '--repository-name', REPOSITORY, '--image-tag-mutability', 'IMMUTABLE']);
    const put = await aws(['ecr', 'put-image', '--repository-name', REPOSITORY, '--image-tag', pushed.tag, '--image-manifest', m.body, '--image-manifest-media-type', m.type]);
    const recorded = put.code === 0 ? (JSON.parse(put.stdout) as { image: { imageId: { imageDigest: string } } }).image.imageId.imageDigest : '';
    // moto's digest is its own: sha256 of the layer digests joined (ECR's is the manifest's, as the registry's).
    const motoDigest = `sha256:${createHash('sha256').update((m.json.layers ?? []).map((l) => l.digest).join('')).digest('hex')}`;
    report.check('moto records the pushed manifest (aws ecr put-image)', created.code === 0 && recorded === motoDigest, `${recorded || tail(created.stderr + put.stderr, 5)} (moto's digest: sha256 of the layer digests)`);
    const r = await script(ctx, 'build-and-push.sh', [], awsEnv);
    const line = printed(r).get(FUNCTION) ?? '';
    const calls = await podmanCalls(ctx);
    const want = `123456789012.dkr.ecr.us-east-1.amazonaws.com/${REPOSITORY}@${recorded}`;
    report.check('ECR path: the tag moto has is not built, pushed or logged in for; its digest printed', r.code === 0 && line === want && !calls.some((c) => /(^| )(build|push|login) /.test(c)), `exit ${r.code}, ${line || '(nothing printed)'}, podman calls: ${calls.join(' | ') || 'none'}\n${tail(r.stderr, 10)}`);
  } finally {
    await moto.stop();
  }
}

async function invoke(ctx: Context): Promise<void> {
  const files = EVENTS.map((k) => `events/${k}.json`);
  const r = await script(ctx, 'local-invoke.sh', [FUNCTION, ...files]);
  const lines = r.stdout.trim().split('\n');
  const problems: string[] = [];
  if (r.code !== 0) problems.push(`exit ${r.code}`);
  for (const [i, kind] of EVENTS.entries()) {
    const want = expected(kind, JSON.parse(await readFile(join(ctx.project, files[i]!), 'utf8')));
    let got: unknown;
    try {
      got = JSON.parse(lines[i] ?? '');
    } catch {
      problems.push(`${kind}: not JSON: ${lines[i]}`);
      continue;
    }
    const why = judge(want, got);
    if (why) problems.push(`${kind}: ${why}`);
  }
  const run = (await podmanCalls(ctx)).find((c) => /(^| )run /.test(c)) ?? '';
  report.check(`local-invoke.sh ${FUNCTION} ${files.join(' ')}: each response as the contract says`, problems.length === 0, problems.length ? `${problems.join('; ')}\n${tail(r.stdout + r.stderr, 25)}` : `${seconds(r.ms)} s, ${lines.join(' ; ')}`);
  report.check('local-invoke.sh publishes port 8080 on 127.0.0.1 only', /--publish 127\.0\.0\.1:\d+:8080 /.test(run), run);
  const left = await exec('podman', ['ps', '--all', '--quiet'], { env: ctx.env, timeoutMs: 60_000 });
  report.check('local-invoke.sh leaves no container', left.code === 0 && left.stdout.trim() === '', left.stdout + left.stderr);
}

async function main(): Promise<void> {
  const missing: string[] = [];
  for (const [tool, hint] of TOOLS) if (!(await onPath(tool))) missing.push(`${tool} (${hint})`);
  if (missing.length) {
    const why = `not on PATH: ${missing.join(', ')}`;
    if (process.env.CI) return void report.check('podman, docker-registry, moto_server and the AWS CLI (CI)', false, why);
    console.warn(`skip: ${why}`);
    return;
  }
  const engine = await ImageEngine.create();
  if (!engine) return;
  const work = scratch('delivery');
  let registry: LocalServer | undefined;
  try {
    const [standin] = await buildStandins(engine, [BASE], (line) => console.log(`     ${line}`));
    if (!report.check(`stand-in ${BASE}`, standin?.built === true, standin && !standin.built ? standin.reason : '')) return;
    // The scripts' podman: the engine's storage and configuration; containers on slirp4netns, which
    // publishes ports without a bridge or firewall rules on the host.
    const conf = (await readFile(join(engine.dir, 'containers.conf'), 'utf8')).replace('[containers]\n', '[containers]\nnetns = "slirp4netns"\n');
    await writeFile(join(work.dir, 'containers.conf'), conf);
    const shims = join(work.dir, 'bin');
    const log = join(work.dir, 'podman.log');
    const podman = (await onPath('podman'))!;
    await mkdir(shims, { recursive: true });
    await writeFile(join(shims, 'podman'), `#!/bin/sh\nprintf '%s\\n' "$*" >> "$PODMAN_LOG"\nexec ${podman} "$@"\n`);
    await chmod(join(shims, 'podman'), 0o755);
    await writeFile(join(work.dir, 'auth.json'), '{}\n');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${shims}${delimiter}${process.env.PATH}`,
      CONTAINER_ENGINE: 'podman',
      CONTAINERS_CONF: join(work.dir, 'containers.conf'),
      CONTAINERS_REGISTRIES_CONF: join(engine.dir, 'registries.conf'),
      CONTAINERS_STORAGE_CONF: join(engine.dir, 'storage.conf'),
      BUILDAH_ISOLATION: 'chroot',
      TMPDIR: join(engine.dir, 'tmp'),
      REGISTRY_AUTH_FILE: join(work.dir, 'auth.json'),
      PODMAN_LOG: log,
    };
    for (const k of ['REGISTRY', 'AWS_PROFILE', 'AWS_ENDPOINT_URL']) delete env[k];

    const gen = await exec(process.execPath, [CLI, 'delivery', '--runtime', 'python3.13', '--event', EVENTS.join(','), '-y', '--no-install'], { cwd: work.dir, timeoutMs: 5 * 60_000 });
    const project = join(work.dir, 'delivery');
    const clean = gen.code === 0 && (await exec('git', ['-C', project, 'status', '--porcelain'])).stdout.trim() === '';
    if (!report.check('generate a Python project (one commit, clean tree)', clean, clean ? '' : tail(gen.stdout + gen.stderr, 10))) return;
    registry = await startRegistry(join(work.dir, 'registry'));
    const ctx: Context = { project, env, log, registry };

    const pushed = await pushes(ctx);
    await dirty(ctx);
    if (pushed) await report.attempt('ECR path on moto', () => ecr(ctx, pushed, work.dir));
    await report.attempt('local-invoke.sh', () => invoke(ctx));
  } finally {
    await registry?.stop();
    if (keep) console.log(`kept ${engine.dir} and ${work.dir}`);
    else {
      const dir = engine.dir;
      await engine.cleanup().catch(() => undefined);
      work.remove();
      report.check('registry stopped, no temp folder left', !existsSync(dir) && !existsSync(work.dir));
    }
  }
}

try {
  await main();
} catch (e) {
  report.check('delivery tier ran to the end', false, (e as Error).stack ?? String(e));
}
console.log(`\nwall time ${((performance.now() - wall) / 1000).toFixed(0)} s`);
console.log(`${report.passed} passed, ${report.failed} failed`);
if (report.failed > 0) process.exitCode = 1;
