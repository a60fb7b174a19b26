// The image tier's app templates: for each check in test/images/apps/ (AppImageCheck, app-checks.ts)
// and each language its template has, the CLI generates `--app-template <id>` for this machine's
// architecture (dependencies installed as the CLI does, so Node.js projects have their lockfile), the
// function's Dockerfile is built unchanged FROM the stand-ins, and the image is run as the AWS docs
// show, the check's events POSTed to the emulator and the answers judged by the check. S3 is moto's
// server on 127.0.0.1, which containers reach at 10.0.2.2. `npm run test:images` runs this after the
// runtime variants; alone:
//   node --import tsx test/images/apps.ts [--only TEXT] [--keep]
// (--only: scenarios whose name, "csv-processor/python", contains TEXT).
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findApp } from '../../src/registry/apps.ts';
import { CLI, scratch } from '../helpers/cli.ts';
import { LocalServer } from '../delivery/server.ts';
import type { AppCheckContext, AppImageCheck } from './app-checks.ts';
import { fromImages } from './dockerfile-images.ts';
import { ImageEngine } from './engine.ts';
import { exec, onPath } from './exec.ts';
import { buildAndInvoke, freePort, invokeRunning, startFunction, stopFunction } from './invoke.ts';
import { buildStandins } from './standins.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));

/** The runtime each language folder's image is built for. */
const RUNTIME_FLAGS: Record<AppCheckContext['language'], string[]> = {
  python: ['--runtime', 'python3.13'],
  'nodejs-typescript': ['--runtime', 'nodejs22.x', '--language', 'typescript'],
};

export interface Checks {
  check(name: string, ok: boolean, detail?: string): boolean;
}

interface AppScenario {
  name: string;
  check: AppImageCheck;
  language: AppCheckContext['language'];
  projectDir?: string;
  functionDir?: string;
  images?: string[];
}

async function loadChecks(): Promise<AppImageCheck[]> {
  const files = (await readdir(join(HERE, 'apps'))).filter((f) => f.endsWith('.ts')).sort();
  return Promise.all(files.map(async (f) => ((await import(join(HERE, 'apps', f))) as { check: AppImageCheck }).check));
}

/** The AWS CLI against the S3 double, from the host. */
function awsCli(endpoint: string, work: string) {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(work, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'aws-credentials'),
  };
  return async (args: string[]): Promise<string> => {
    const r = await exec('aws', ['--endpoint-url', endpoint, ...args], { env, timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`aws ${args.join(' ')}: ${r.stderr.trim()}`);
    return r.stdout;
  };
}

/** GETs a path of a web server in a container, retrying while it starts. */
async function get(port: number, path: string, timeoutMs = 60_000): Promise<{ status: number; body: string }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: r.status, body: await r.text() };
    } catch (e) {
      if (Date.now() > until) throw new Error(`GET ${path}: no answer in ${timeoutMs / 1000} s (${(e as Error).message})`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Stand-ins the tier does not make itself: the Lambda Web Adapter's image (test/images/adapter-standin.ts). */
async function extraStandins(engine: ImageEngine, images: string[]): Promise<void> {
  for (const image of images.filter((i) => i.includes('aws-lambda-adapter'))) {
    const module = join(HERE, 'adapter-standin.ts');
    if (!existsSync(module)) throw new Error(`no stand-in for ${image}: test/images/adapter-standin.ts is missing`);
    const { ensureAdapterStandin } = (await import(module)) as { ensureAdapterStandin(engine: ImageEngine, image: string): Promise<void> };
    await ensureAdapterStandin(engine, image);
  }
}

async function runScenario(engine: ImageEngine, s: AppScenario, checks: Checks, s3?: { url: string; port: number }): Promise<void> {
  const ctx: AppCheckContext = {
    projectDir: s.projectDir!,
    functionDir: s.functionDir!,
    language: s.language,
    s3Endpoint: s3 ? `http://10.0.2.2:${s3.port}` : undefined,
    aws: s3 ? awsCli(s3.url, s.projectDir!) : () => Promise.reject(new Error(`${s.name}: the check did not ask for S3 (s3: true)`)),
  };
  const built = await buildAndInvoke({ engine, scenario: s.name, functionDir: s.functionDir!, events: [] });
  checks.check(`${s.name}: image builds`, true, `${(built.bytesAboveBase / 1e6).toFixed(0)} MB above the base image, ${built.buildSeconds.toFixed(0)} s`);
  await s.check.setup?.(ctx);
  const s3Env: Record<string, string> = s3 ? { AWS_ENDPOINT_URL_S3: ctx.s3Endpoint!, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' } : {};
  const env = { ...s3Env, ...s.check.env?.(ctx) };
  if (s.check.invocations.length) {
    const fn = await startFunction(engine, s.name, built.image, env, Boolean(s3));
    try {
      for (const [i, invocation] of s.check.invocations.entries()) {
        let path = typeof invocation.event === 'string' ? join(s.projectDir!, invocation.event) : join(s.projectDir!, `image-tier-event-${i}.json`);
        if (typeof invocation.event !== 'string') await writeFile(path, JSON.stringify(invocation.event));
        const name = typeof invocation.event === 'string' ? invocation.event : `event ${i + 1}`;
        const got = await invokeRunning(engine, fn, { name, path });
        const wrong = await invocation.check(got.result, ctx);
        checks.check(`${s.name}: ${name}`, !wrong, wrong ? `${wrong}\n${got.logs.trim().split('\n').slice(-15).join('\n')}` : `${got.ms.toFixed(0)} ms`);
      }
    } finally {
      await stopFunction(engine, fn);
    }
  }
  if (s.check.http?.length) {
    // Outside Lambda: the image as `docker run -p <port>:8080` starts it, no emulator, no runtime API.
    const port = await freePort();
    const container = await engine.start(built.image, { env: s.check.httpEnv ? { ...s3Env, ...s.check.httpEnv(ctx) } : env, ports: { 8080: port } });
    try {
      for (const h of s.check.http) {
        const answer = await get(port, h.path);
        const wrong = h.check(answer.status, answer.body);
        checks.check(`${s.name}: GET ${h.path} outside Lambda`, !wrong, wrong ?? `${answer.status}`);
      }
    } finally {
      await engine.stopContainer(container);
    }
  }
}

/** Generates, builds and checks every app template's image; returns how many scenarios ran. */
export async function runAppChecks(engine: ImageEngine, checks: Checks, only = '', log = (line: string) => console.log(line)): Promise<number> {
  const work = scratch('image-apps');
  const scenarios: AppScenario[] = [];
  for (const check of await loadChecks()) {
    const app = findApp(check.app);
    if (!checks.check(`${check.app}: an app template of that name exists`, Boolean(app))) continue;
    for (const language of app!.languages as AppCheckContext['language'][]) {
      const name = `${check.app}/${language}`;
      if (RUNTIME_FLAGS[language] && name.includes(only)) scenarios.push({ name, check, language });
    }
  }
  let moto: LocalServer | undefined;
  try {
    for (const s of scenarios) {
      const dir = join(work.dir, s.name.replace(/[^\w.-]+/g, '_'));
      const arch = engine.arch === 'arm64' ? 'arm64' : 'x86_64';
      const r = await exec(process.execPath, [CLI, dir, '--yes', '--no-git', '--app-template', s.check.app, ...RUNTIME_FLAGS[s.language], '--arch', arch], { timeoutMs: 10 * 60_000 });
      if (!checks.check(`${s.name}: generate`, r.code === 0, r.stderr.trim())) continue;
      s.projectDir = dir;
      const functions = await readdir(join(dir, 'functions'));
      s.functionDir = join(dir, 'functions', functions[0]!);
      s.images = fromImages(await readFile(join(s.functionDir, 'Dockerfile'), 'utf8'));
    }
    const ready = scenarios.filter((s) => s.images);
    const wanted = [...new Set(ready.flatMap((s) => s.images!))];
    const standins = await buildStandins(engine, wanted, (line) => log(`  ${line}`));
    await extraStandins(engine, wanted);
    const built = new Set([...standins.filter((x) => x.built).map((x) => x.tag), ...wanted.filter((i) => i.includes('aws-lambda-adapter'))]);
    if (ready.some((s) => s.check.s3)) {
      if (!(await onPath('moto_server')) || !(await onPath('aws'))) {
        checks.check('moto_server and the AWS CLI on PATH (S3 double of the app templates)', false, "pip install 'moto[server]' awscli");
      } else {
        moto = await LocalServer.start('moto_server', 'moto_server', (port) => ['-H', '127.0.0.1', '-p', String(port)], '/moto-api/');
      }
    }
    for (const s of ready) {
      const missing = s.images!.filter((i) => !built.has(i));
      if (!checks.check(`${s.name}: stand-ins of ${s.images!.join(', ')}`, missing.length === 0, missing.length ? `not built: ${missing.join(', ')}` : '')) continue;
      if (s.check.s3 && !moto) continue;
      const port = moto ? Number(new URL(moto.url).port) : 0;
      // Each scenario starts from an empty double: templates share sample bucket names.
      if (moto) await fetch(`${moto.url}/moto-api/reset`, { method: 'POST' });
      try {
        await runScenario(engine, s, checks, moto ? { url: moto.url, port } : undefined);
      } catch (e) {
        checks.check(s.name, false, (e as Error).message);
      }
    }
  } finally {
    await moto?.stop();
    if (!process.argv.includes('--keep')) work.remove();
  }
  return scenarios.length;
}

// Run alone.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] ?? '' : '';
  let passed = 0;
  let failed = 0;
  const checks: Checks = {
    check(name, ok, detail = '') {
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`.split('\n').join('\n       | '));
      ok ? passed++ : failed++;
      return ok;
    },
  };
  const engine = await ImageEngine.create();
  if (engine) {
    try {
      await mkdir(join(HERE, 'apps'), { recursive: true });
      await runAppChecks(engine, checks, only);
    } catch (e) {
      checks.check('app template images ran to the end', false, (e as Error).message);
    } finally {
      if (!args.includes('--keep')) await engine.cleanup();
    }
  }
  console.log(`${passed} passed, ${failed} failed${engine ? '' : ', 1 skipped (no buildah)'}`);
  if (failed) process.exitCode = 1;
}
