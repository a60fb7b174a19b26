// Stand-in base images, tagged with the official names (public.ecr.aws/lambda/python:3.13, nodejs:22, ...),
// so that a generated Dockerfile builds unchanged with `--pull-never`. They are NOT Amazon Linux: a
// busybox-static root file system, the interpreter with the shared libraries `ldd` lists, the host's
// CA bundle, the real images' ENV/WORKDIR, and our own emulator entrypoint (test/images/standin/).
// Interpreters: Node.js from the npm registry's node-linux-<arch> packages (+ npm from its own package),
// CPython from a pyenv prefix on this machine ($PYENV_ROOT/versions/X.Y.Z, copied to /var/lang).
import { chmod, copyFile, cp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec, onPath } from './exec.ts';
import { type ImageEngine } from './engine.ts';

export interface StandinSpec {
  tag: string;
  language: 'python' | 'nodejs';
  /** "3.13" for Python, "22" for Node.js. */
  version: string;
  /** Major of the npm that ships with that Node.js (Node 22: npm 10, Node 24: npm 11). */
  npmMajor?: string;
}

export const STANDINS: readonly StandinSpec[] = [
  { tag: 'public.ecr.aws/lambda/python:3.11', language: 'python', version: '3.11' },
  { tag: 'public.ecr.aws/lambda/python:3.12', language: 'python', version: '3.12' },
  { tag: 'public.ecr.aws/lambda/python:3.13', language: 'python', version: '3.13' },
  { tag: 'public.ecr.aws/lambda/python:3.14', language: 'python', version: '3.14' },
  { tag: 'public.ecr.aws/lambda/nodejs:22', language: 'nodejs', version: '22', npmMajor: '10' },
  { tag: 'public.ecr.aws/lambda/nodejs:24', language: 'nodejs', version: '24', npmMajor: '11' },
];

export const STANDIN_LABEL = 'io.github.create-container-lambda.standin';

export interface StandinResult {
  tag: string;
  built: boolean;
  /** Why it was not built. */
  reason?: string;
  /** e.g. "Node.js v22.23.3, npm 10.9.9" or "Python 3.13.0". */
  interpreter?: string;
  ms?: number;
  bytes?: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const LAMBDA_ENV = {
  LANG: 'en_US.UTF-8',
  PATH: '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin',
  LD_LIBRARY_PATH: '/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib',
  LAMBDA_TASK_ROOT: '/var/task',
  LAMBDA_RUNTIME_DIR: '/var/runtime',
};

/** Downloads (npm pack) are kept here between runs: $STANDIN_CACHE or ~/.cache/create-container-lambda/standins. */
export function cacheDir(): string {
  return process.env.STANDIN_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'create-container-lambda', 'standins');
}

/** Builds the stand-ins (all, or those whose tag is in `only`) into the engine's storage; never throws for a missing interpreter. */
export async function buildStandins(engine: ImageEngine, only?: readonly string[], log = (_: string) => {}): Promise<StandinResult[]> {
  const results: StandinResult[] = [];
  for (const spec of STANDINS.filter((s) => !only || only.includes(s.tag))) {
    const started = performance.now();
    const stage = join(engine.dir, 'standin-build', spec.tag.replace(/[^\w.-]+/g, '_'));
    try {
      await rm(stage, { recursive: true, force: true });
      const rootfs = join(stage, 'rootfs');
      const prepared = spec.language === 'python' ? await stagePython(rootfs, spec.version) : await stageNode(rootfs, spec);
      if ('reason' in prepared) {
        results.push({ tag: spec.tag, built: false, reason: prepared.reason });
        log(`stand-in ${spec.tag}: not built: ${prepared.reason}`);
        continue;
      }
      await stageCommon(rootfs, spec.language);
      const env = { ...LAMBDA_ENV, ...prepared.env };
      const description = `Local stand-in for ${spec.tag} (busybox + ${prepared.interpreter}); not Amazon Linux, no dnf/microdnf`;
      await writeFile(
        join(stage, 'Dockerfile'),
        [
          'FROM scratch',
          'COPY rootfs/ /',
          `LABEL ${STANDIN_LABEL}="${spec.tag}" org.opencontainers.image.description="${description}"`,
          `ENV ${Object.entries(env).map(([k, v]) => `${k}="${v}"`).join(' ')}`,
          'WORKDIR /var/task',
          'ENTRYPOINT ["/lambda-entrypoint.sh"]',
          '',
        ].join('\n'),
      );
      await engine.build(stage, spec.tag);
      const bytes = await engine.size(spec.tag);
      const ms = performance.now() - started;
      results.push({ tag: spec.tag, built: true, interpreter: prepared.interpreter, ms, bytes });
      log(`stand-in ${spec.tag}: ${prepared.interpreter}, ${(bytes / 1e6).toFixed(0)} MB, ${(ms / 1000).toFixed(1)} s`);
    } catch (e) {
      results.push({ tag: spec.tag, built: false, reason: (e as Error).message });
      log(`stand-in ${spec.tag}: failed: ${(e as Error).message}`);
    } finally {
      await rm(stage, { recursive: true, force: true });
    }
  }
  return results;
}

type Prepared = { interpreter: string; env: Record<string, string> } | { reason: string };

async function stageNode(rootfs: string, spec: StandinSpec): Promise<Prepared> {
  const arch = process.arch === 'arm64' ? 'arm64' : process.arch === 'x64' ? 'x64' : undefined;
  if (!arch) return { reason: `no node-linux package for ${process.arch}` };
  const nodeTgz = await npmPack(`node-linux-${arch}@${spec.version}`);
  const npmTgz = await npmPack(`npm@${spec.npmMajor ?? 'latest'}`);
  if ('reason' in nodeTgz) return nodeTgz;
  if ('reason' in npmTgz) return npmTgz;
  const lang = join(rootfs, 'var/lang');
  await mkdir(join(lang, 'bin'), { recursive: true });
  await mkdir(join(lang, 'lib/node_modules/npm'), { recursive: true });
  await untar(nodeTgz.file, join(lang, 'bin'), ['--strip-components=2', 'package/bin/node']);
  await untar(npmTgz.file, join(lang, 'lib/node_modules/npm'), ['--strip-components=1']);
  await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(lang, 'bin/npm'));
  await symlink('../lib/node_modules/npm/bin/npx-cli.js', join(lang, 'bin/npx'));
  const node = join(lang, 'bin/node');
  const version = (await exec(node, ['--version'])).stdout.trim();
  if (!version.startsWith(`v${spec.version}.`)) return { reason: `node-linux-${arch}@${spec.version} holds Node.js ${version || '(does not run)'}` };
  const npmVersion = (JSON.parse(await readFile(join(lang, 'lib/node_modules/npm/package.json'), 'utf8')) as { version: string }).version;
  await copyLibraries(rootfs, [node]);
  await mkdir(join(rootfs, 'var/runtime'), { recursive: true });
  await copyFile(join(here, 'standin/bootstrap.mjs'), join(rootfs, 'var/runtime/bootstrap.mjs'));
  const env: Record<string, string> = {};
  if (existsSync(CA_BUNDLE)) env.NODE_EXTRA_CA_CERTS = '/etc/pki/tls/certs/ca-bundle.crt';
  return { interpreter: `Node.js ${version}, npm ${npmVersion}`, env };
}

async function stagePython(rootfs: string, version: string): Promise<Prepared> {
  const prefix = await findPythonPrefix(version);
  if (!prefix) return { reason: `no CPython ${version} prefix under ${pyenvRoot()}/versions` };
  const lang = join(rootfs, 'var/lang');
  const libDir = `lib/python${version}`;
  const skipDirs = new Set(['test', 'idlelib', 'tkinter', 'turtledemo', 'ensurepip'].map((d) => `${libDir}/${d}`));
  await cp(prefix, lang, {
    recursive: true,
    verbatimSymlinks: true,
    preserveTimestamps: true, // keeps the .pyc files valid
    filter: (src) => {
      const rel = relative(prefix, src);
      if (rel === '') return true;
      const parts = rel.split('/');
      if (parts[0] === 'bin') return rel === 'bin' || parts[1] === `python${version}`;
      // plain .pyc files stay (as in the real images, and so that imports write none into later layers)
      if (/\.opt-[12]\.pyc$/.test(rel) || skipDirs.has(parts.slice(0, 3).join('/'))) return false;
      if (rel.startsWith(`${libDir}/config-`) || rel.startsWith(`${libDir}/lib-dynload/_tkinter`)) return false;
      if (parts[2] === 'site-packages' && parts[3] !== undefined) return /^pip(-[\d.]+\.dist-info)?$/.test(parts[3]);
      return true;
    },
  });
  const bin = join(lang, 'bin');
  await symlink(`python${version}`, join(bin, 'python3'));
  await symlink(`python${version}`, join(bin, 'python'));
  for (const name of ['pip', 'pip3', `pip${version}`]) {
    await writeFile(join(bin, name), '#!/bin/sh\nexec /var/lang/bin/python3 -m pip "$@"\n', { mode: 0o755 });
  }
  const dynload = join(lang, libDir, 'lib-dynload');
  const modules = (await readdir(dynload)).filter((f) => f.endsWith('.so')).map((f) => join(dynload, f));
  await copyLibraries(rootfs, [join(bin, `python${version}`), ...modules], join(lang, 'lib'));
  await mkdir(join(rootfs, 'var/runtime'), { recursive: true });
  await copyFile(join(here, 'standin/bootstrap.py'), join(rootfs, 'var/runtime/bootstrap.py'));
  const full = (await exec(join(prefix, 'bin', `python${version}`), ['-c', 'import platform; print(platform.python_version())'])).stdout.trim();
  return { interpreter: `Python ${full}`, env: {} };
}

function pyenvRoot(): string {
  return process.env.PYENV_ROOT ?? join(homedir(), '.pyenv');
}

/** Newest $PYENV_ROOT/versions/X.Y.N (plain releases only) that has bin/pythonX.Y. */
export async function findPythonPrefix(version: string): Promise<string | undefined> {
  const versions = join(pyenvRoot(), 'versions');
  if (!existsSync(versions)) return undefined;
  const found = (await readdir(versions))
    .filter((v) => new RegExp(`^${version.replace('.', '\\.')}\\.\\d+$`).test(v))
    .filter((v) => existsSync(join(versions, v, 'bin', `python${version}`)))
    .sort((a, b) => Number(b.split('.')[2]) - Number(a.split('.')[2]));
  return found[0] === undefined ? undefined : join(versions, found[0]);
}

/** `npm pack SPEC` into the cache folder (once); the tarball's path, or why it could not be had. */
async function npmPack(spec: string): Promise<{ file: string } | { reason: string }> {
  const dir = cacheDir();
  await mkdir(dir, { recursive: true });
  const marker = join(dir, `${spec.replace(/[^\w.-]+/g, '_')}.tarball`);
  if (existsSync(marker)) {
    const file = join(dir, (await readFile(marker, 'utf8')).trim());
    if (existsSync(file)) return { file };
  }
  const r = await exec('npm', ['pack', '--json', spec], { cwd: dir, timeoutMs: 10 * 60_000 });
  if (r.code !== 0) return { reason: `npm pack ${spec} failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}` };
  const name = (JSON.parse(r.stdout) as { filename: string }[])[0]?.filename;
  if (!name) return { reason: `npm pack ${spec} printed no file name` };
  await writeFile(marker, name);
  return { file: join(dir, name) };
}

async function untar(file: string, dest: string, extra: string[]): Promise<void> {
  const r = await exec('tar', ['-xzf', file, '-C', dest, '--no-same-owner', ...extra]);
  if (r.code !== 0) throw new Error(`tar -xzf ${file} failed: ${r.stderr.trim()}`);
}

/** Copies the shared libraries (and the dynamic loader) that `ldd` lists for these ELF files to the same paths in rootfs. */
async function copyLibraries(rootfs: string, elfFiles: string[], libraryPath?: string): Promise<void> {
  const wanted = new Set<string>();
  for (const file of elfFiles) {
    const env = libraryPath ? { ...process.env, LD_LIBRARY_PATH: libraryPath } : process.env;
    const r = await exec('ldd', [file], { env });
    for (const line of r.stdout.split('\n')) {
      const m = /=>\s+(\/\S+)\s+\(/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
      if (m?.[1] && !(libraryPath && m[1].startsWith(libraryPath))) wanted.add(m[1]);
    }
  }
  for (const lib of wanted) {
    const dest = join(rootfs, lib);
    if (existsSync(dest)) continue;
    await mkdir(dirname(dest), { recursive: true });
    await copyFile(realpathSync(lib), dest);
  }
}

/** busybox, /etc basics, CA bundle, entrypoint and the Lambda folders. */
async function stageCommon(rootfs: string, language: StandinSpec['language']): Promise<void> {
  const busybox = await onPath('busybox');
  if (!busybox) throw new Error('busybox not found (apt-get install -y busybox-static)');
  for (const d of ['bin', 'etc/pki/tls/certs', 'etc/ssl/certs', 'usr/lib/ssl', 'root', 'tmp', 'var/task', 'var/runtime', 'opt']) {
    await mkdir(join(rootfs, d), { recursive: true });
  }
  await chmod(join(rootfs, 'tmp'), 0o1777);
  await copyFile(realpathSync(busybox), join(rootfs, 'bin/busybox'));
  await copyLibraries(rootfs, [join(rootfs, 'bin/busybox')]); // none for busybox-static
  const applets = (await exec(busybox, ['--list-full'])).stdout.split('\n').filter(Boolean);
  for (const applet of applets) {
    const dest = join(rootfs, applet);
    if (existsSync(dest)) continue;
    await mkdir(dirname(dest), { recursive: true });
    await symlink('/bin/busybox', dest);
  }
  await writeFile(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n');
  await writeFile(join(rootfs, 'etc/group'), 'root:x:0:\nnobody:x:65534:\n');
  await writeFile(join(rootfs, 'etc/os-release'), `NAME="create-container-lambda stand-in"\nID=standin\nPRETTY_NAME="Lambda ${language} stand-in (busybox; not Amazon Linux)"\n`);
  if (existsSync(CA_BUNDLE)) {
    await copyFile(CA_BUNDLE, join(rootfs, 'etc/pki/tls/certs/ca-bundle.crt'));
    await symlink('/etc/pki/tls/certs/ca-bundle.crt', join(rootfs, 'etc/ssl/certs/ca-certificates.crt'));
    await symlink('/etc/pki/tls/certs/ca-bundle.crt', join(rootfs, 'usr/lib/ssl/cert.pem'));
  }
  await copyFile(join(here, 'standin/lambda-entrypoint.sh'), join(rootfs, 'lambda-entrypoint.sh'));
  await chmod(join(rootfs, 'lambda-entrypoint.sh'), 0o755);
}
