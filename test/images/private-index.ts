// --private-index for real: a Python and a Node.js TypeScript project generated with the CLI against
// authenticated package indexes on 127.0.0.1, their Dockerfiles built unchanged with buildah FROM the
// image tier's stand-ins, the credentials passed only as a build secret (`--secret id=...,src=<file>`
// for pip, `--secret id=...,env=<variable>` for npm, as scripts/engine.sh and DockerBuildExtraParams
// pass it). Then:
//   - the private package is in the image (the install really went through the index, with the token);
//   - the token is in no layer tar, not in the image config or history, and not in `buildah inspect`;
//   - the same build without the secret fails, and with a wrong token fails at the install (401).
// The indexes: a PEP 503 simple index (basic auth, as pip sends it from ~/.netrc) holding one wheel
// made here; an npm registry (bearer token, as npm sends it from ~/.npmrc) answering one package of
// its own and proxying the rest from registry.npmjs.org, as private registries do.
//   node --import tsx test/images/private-index.ts [--keep]
// Ends with "N passed, N failed"; exit 1 on a failure. Without buildah: skips, unless CI is set.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageEngine } from './engine.ts';
import { buildStandins } from './standins.ts';
import { exec } from './exec.ts';
import { generateWithNodeOnly } from './no-toolchain.ts';

const keep = process.argv.includes('--keep');
const TOKEN = `pi-${randomBytes(16).toString('hex')}`;
const USER = 'ci';

let passed = 0;
let failed = 0;
function check(name: string, ok: boolean, detail = ''): void {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
}

// ---- the indexes -------------------------------------------------------------------------------------

interface Index {
  server: Server;
  url: string;
  /** Requests that carried the right credentials, and those refused. */
  authorized: number;
  refused: number;
}

function listen(handler: (req: IncomingMessage, res: ServerResponse, base: string) => Promise<void>): Promise<Index> {
  return new Promise((resolve) => {
    const index: Index = { server: createServer(), url: '', authorized: 0, refused: 0 };
    index.server.on('request', (req, res) => {
      handler(req, res, index.url).catch((e: Error) => {
        res.writeHead(502).end(String(e.message));
      });
    });
    index.server.listen(0, '127.0.0.1', () => {
      const address = index.server.address() as { port: number };
      index.url = `http://127.0.0.1:${address.port}/`;
      resolve(index);
    });
  });
}

/** A wheel of one module, built with Python's zipfile (the format: PEP 427). */
async function makeWheel(dir: string, name: string, version: string): Promise<string> {
  const file = join(dir, `${name}-${version}-py3-none-any.whl`);
  const script = `
import base64, hashlib, sys, zipfile
name, version, out = sys.argv[1:4]
files = {
  f"{name}/__init__.py": 'GREETING = "hello from the private index"\\n',
  f"{name}-{version}.dist-info/METADATA": f"Metadata-Version: 2.1\\nName: {name.replace('_', '-')}\\nVersion: {version}\\n",
  f"{name}-{version}.dist-info/WHEEL": "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
record = []
with zipfile.ZipFile(out, "w") as z:
  for path, text in files.items():
    data = text.encode()
    z.writestr(path, data)
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record.append(f"{path},sha256={digest},{len(data)}")
  record.append(f"{name}-{version}.dist-info/RECORD,,")
  z.writestr(f"{name}-{version}.dist-info/RECORD", "\\n".join(record) + "\\n")
`;
  const r = await exec('python3', ['-c', script, name, version, file], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`wheel: ${r.stderr}`);
  return file;
}

async function pypiIndex(wheel: string): Promise<Index> {
  const bytes = await readFile(wheel);
  const fileName = wheel.split('/').pop()!;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const expected = `Basic ${Buffer.from(`${USER}:${TOKEN}`).toString('base64')}`;
  let index: Index;
  index = await listen(async (req, res) => {
    if (req.headers.authorization !== expected) {
      index.refused++;
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="private index"' }).end();
      return;
    }
    index.authorized++;
    if (req.url === '/simple/acme-greeting/' || req.url === '/simple/acme-greeting') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<!DOCTYPE html><html><body><a href="/files/${fileName}#sha256=${sha256}">${fileName}</a></body></html>\n`);
    } else if (req.url === `/files/${fileName}`) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(bytes);
    } else {
      res.writeHead(404).end();
    }
  });
  return index;
}

async function npmRegistry(tarball: string): Promise<Index> {
  const bytes = await readFile(tarball);
  const shasum = createHash('sha1').update(bytes).digest('hex');
  const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
  let index: Index;
  index = await listen(async (req, res, base) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      index.refused++;
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end(JSON.stringify({ error: 'authentication required' }));
      return;
    }
    index.authorized++;
    const url = req.url ?? '/';
    if (url === '/acme-greeting') {
      const version = { name: 'acme-greeting', version: '1.0.0', main: 'index.js', dist: { tarball: `${base}acme-greeting/-/acme-greeting-1.0.0.tgz`, shasum, integrity } };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ name: 'acme-greeting', 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': version } }));
      return;
    }
    if (url === '/acme-greeting/-/acme-greeting-1.0.0.tgz') {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(bytes);
      return;
    }
    // Everything else from the public registry, its tarball URLs pointed back here.
    const upstream = await fetch(`https://registry.npmjs.org${url}`, { headers: { accept: String(req.headers.accept ?? 'application/json') } });
    const type = upstream.headers.get('content-type') ?? 'application/octet-stream';
    if (type.includes('json')) {
      const text = (await upstream.text()).replaceAll('https://registry.npmjs.org/', base);
      res.writeHead(upstream.status, { 'Content-Type': type }).end(text);
    } else {
      res.writeHead(upstream.status, { 'Content-Type': type }).end(Buffer.from(await upstream.arrayBuffer()));
    }
  });
  return index;
}

// ---- the builds --------------------------------------------------------------------------------------

async function build(engine: ImageEngine, context: string, tag: string, secret: string[]): Promise<{ ok: boolean; output: string }> {
  const r = await engine.buildah(
    ['bud', '--isolation', 'chroot', '--pull-never', '--layers=false', '--signature-policy', join(engine.dir, 'policy.json'), ...secret, '-f', join(context, 'Dockerfile'), '-t', tag, context],
    { allowFail: true, timeoutMs: 15 * 60_000 },
  );
  return { ok: r.code === 0, output: r.stdout + r.stderr };
}

/** Every file of the image as `buildah push dir:` writes it (uncompressed layer tars, config, manifest) that holds the token. */
async function filesWithToken(engine: ImageEngine, tag: string, out: string): Promise<{ files: number; found: string[] }> {
  await engine.buildah(['push', '--disable-compression', '--signature-policy', join(engine.dir, 'policy.json'), tag, `dir:${out}`]);
  const names = await readdir(out);
  const found: string[] = [];
  for (const name of names) if ((await readFile(join(out, name))).includes(TOKEN)) found.push(name);
  return { files: names.length, found };
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'cclambda-private-index-'));
  const indexes: Index[] = [];
  let engine: ImageEngine | undefined;
  try {
    // The packages only the private indexes hold.
    const wheel = await makeWheel(work, 'acme_greeting', '1.0.0');
    const pkg = join(work, 'acme-greeting');
    await mkdir(pkg);
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'acme-greeting', version: '1.0.0', main: 'index.js' }));
    await writeFile(join(pkg, 'index.js'), "exports.greeting = 'hello from the private registry';\n");
    const packed = await exec('npm', ['pack', '--silent', '--pack-destination', work], { cwd: pkg, timeoutMs: 60_000 });
    if (packed.code !== 0) throw new Error(`npm pack: ${packed.stderr}`);
    const pypi = await pypiIndex(wheel);
    const npm = await npmRegistry(join(work, 'acme-greeting-1.0.0.tgz'));
    indexes.push(pypi, npm);

    // The projects, from the real CLI, each function depending on the private package.
    const py = join(work, 'py');
    const ts = join(work, 'ts');
    await generateWithNodeOnly(py, ['--runtime', 'python3.13', '--private-index', `${pypi.url}simple/`]);
    await generateWithNodeOnly(ts, ['--runtime', 'nodejs22.x', '--language', 'typescript', '--private-index', npm.url]);
    const pyFn = join(py, 'functions/hello-function');
    const tsFn = join(ts, 'functions/hello-function');
    await writeFile(join(pyFn, 'requirements.txt'), `${await readFile(join(pyFn, 'requirements.txt'), 'utf8')}acme-greeting==1.0.0\n`);
    const manifest = JSON.parse(await readFile(join(tsFn, 'package.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(tsFn, 'package.json'), `${JSON.stringify({ ...manifest, dependencies: { 'acme-greeting': '1.0.0' } }, null, 2)}\n`);

    // The secrets, as the README says: a file outside the project (pip), an environment variable (npm).
    const netrc = join(work, 'netrc');
    await writeFile(netrc, `machine 127.0.0.1 login ${USER} password ${TOKEN}\n`, { mode: 0o600 });
    const npmrcLine = `//127.0.0.1:${new URL(npm.url).port}/:_authToken=${TOKEN}`;
    const wrongNetrc = join(work, 'netrc-wrong');
    await writeFile(wrongNetrc, `machine 127.0.0.1 login ${USER} password wrong-${TOKEN.slice(0, 4)}\n`, { mode: 0o600 });

    // The engine copies the environment it starts with: the secret variables are set before.
    process.env.PRIVATE_INDEX_NPMRC = npmrcLine;
    process.env.PRIVATE_INDEX_NPMRC_WRONG = `//127.0.0.1:${new URL(npm.url).port}/:_authToken=wrong`;
    engine = await ImageEngine.create();
    if (!engine) return;
    const standins = await buildStandins(engine, ['public.ecr.aws/lambda/python:3.13', 'public.ecr.aws/lambda/nodejs:22'], (l) => console.log(`  ${l}`));
    for (const s of standins) if (!s.built) throw new Error(`stand-in ${s.tag}: ${s.reason}`);

    const cases = [
      { name: 'python3.13', dir: pyFn, index: pypi, secret: ['--secret', `id=netrc,src=${netrc}`], wrong: ['--secret', `id=netrc,src=${wrongNetrc}`], installed: 'var/task/acme_greeting/__init__.py', home: 'root/.netrc' },
      { name: 'nodejs22.x-typescript', dir: tsFn, index: npm, secret: ['--secret', 'id=npmrc,env=PRIVATE_INDEX_NPMRC'], wrong: ['--secret', 'id=npmrc,env=PRIVATE_INDEX_NPMRC_WRONG'], installed: 'var/task/node_modules/acme-greeting/index.js', home: 'root/.npmrc' },
    ];
    for (const c of cases) {
      if (!engine) break;
      const tag = `localhost/private-index-${c.name}:test`;
      const before = c.index.authorized;
      const started = performance.now();
      const r = await build(engine, c.dir, tag, c.secret);
      check(`${c.name}: builds with the secret (${((performance.now() - started) / 1000).toFixed(1)} s)`, r.ok, r.ok ? '' : r.output.split('\n').slice(-15).join('\n'));
      if (!r.ok) continue;
      check(`${c.name}: the install went through the private index with the token`, c.index.authorized > before, `${c.index.authorized - before} authorized requests`);
      check(`${c.name}: the build's output does not show the token`, !r.output.includes(TOKEN));
      await engine!.withMountedImage(tag, async (root) => {
        check(`${c.name}: the private package is in the image`, existsSync(join(root, c.installed)), c.installed);
        const home = join(root, c.home);
        const left = existsSync(home) ? await readFile(home, 'utf8') : '';
        check(`${c.name}: /${c.home} holds no credentials after the build`, !left.includes(TOKEN), existsSync(home) ? `${left.length} bytes left at the mount point` : 'absent');
      });
      const exported = await filesWithToken(engine, tag, join(work, `${c.name}-image`));
      check(`${c.name}: the token is in none of the image's ${exported.files} files (layer tars, config with history, manifest)`, exported.found.length === 0, exported.found.join(', '));
      const inspect = await engine.buildah(['inspect', '--type', 'image', tag]);
      const history = (JSON.parse(inspect.stdout) as { History?: { created_by?: string }[] }).History ?? [];
      check(`${c.name}: the image history (${history.length} entries) and buildah inspect do not hold the token`, !inspect.stdout.includes(TOKEN) && history.length > 0);
      const mounts = history.filter((h) => h.created_by?.includes('--mount=type=secret')).length;
      check(`${c.name}: the history shows the secret mounts, not the secret`, mounts >= 1, `${mounts} steps`);

      const none = await build(engine, c.dir, `${tag}-none`, []);
      check(`${c.name}: without the secret the build fails`, !none.ok && /secret/i.test(none.output), none.output.split('\n').filter((l) => /error/i.test(l)).slice(-1)[0] ?? '');
      const refusedBefore = c.index.refused;
      const wrong = await build(engine, c.dir, `${tag}-wrong`, c.wrong);
      check(`${c.name}: with a wrong token the install fails (the index refused ${c.index.refused - refusedBefore} requests)`, !wrong.ok && c.index.refused > refusedBefore);
    }
  } finally {
    for (const i of indexes) i.server.close();
    if (keep) console.log(`kept ${work}${engine ? ` and ${engine.dir}` : ''}`);
    else {
      await engine?.cleanup();
      await rm(work, { recursive: true, force: true });
    }
  }
}

const started = performance.now();
try {
  await main();
} catch (e) {
  check('private-index image test', false, (e as Error).stack ?? String(e));
}
console.log(`${passed} passed, ${failed} failed (${((performance.now() - started) / 1000).toFixed(0)} s)`);
if (failed > 0) process.exitCode = 1;
