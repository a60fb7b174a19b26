// Container engine for the image tier: buildah (builds, inspection) and podman (runs) on private storage.
// Needs no Docker engine and touches no system-wide container state: storage, run state, temp
// files, the containers.conf, registries.conf, storage.conf and policy.json all live in one temp folder
// that cleanup() removes. Each command is one child process, ended by its own process id if it runs past
// its time limit; the only thing left running between commands is a function container started with
// start() (podman run -d, stopped by stopContainer, and by cleanup() if a run is cut short).
// Storage driver: overlay when the kernel lets us mount an overlay in the temp folder (root; 5-10x faster
// runs and mounts than vfs, which copies the whole image for each container), else vfs;
// IMAGE_TEST_STORAGE_DRIVER=vfs|overlay forces one.
// Debian packages: buildah podman runc slirp4netns busybox-static (busybox-static for the stand-ins).
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, onPath, quote, type ExecResult } from './exec.ts';

export const DEBIAN_PACKAGES = ['buildah', 'podman', 'runc', 'slirp4netns', 'busybox-static'] as const;

export interface BuildOptions {
  /** Dockerfile path relative to contextDir (default "Dockerfile"). */
  dockerfile?: string;
  /** Keep one image per instruction and reuse them (buildah --layers). Default false. */
  layers?: boolean;
  buildArgs?: Record<string, string>;
  /** Host folders mounted into every RUN step (buildah bud -v host:container): download caches of build stages. */
  volumes?: Record<string, string>;
  timeoutMs?: number;
  onOutput?: (chunk: string) => void;
  /** buildah bud --platform (default: the engine's arch): the image's architecture, TARGETARCH of its RUN steps. */
  platform?: string;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Container port -> host port on 127.0.0.1 (podman run -p 127.0.0.1:HOST:CONTAINER). */
  ports?: Record<number, number>;
  /** Replaces ENTRYPOINT (the args then follow as CMD). */
  entrypoint?: string;
  cmd?: string[];
  /** The container reaches the host's 127.0.0.1 at 10.0.2.2 (slirp4netns allow_host_loopback): a service double there. */
  hostLoopback?: boolean;
}

export interface BuildResult {
  tag: string;
  id: string;
  ms: number;
  /** buildah's combined output ("STEP n/m: ...", "--> Using cache ..."). */
  output: string;
}

export interface RunOptions {
  /** Replaces the image's ENTRYPOINT. */
  entrypoint?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface ImageInfo {
  id: string;
  /** Layer digests of the stored image, bottom first, with their (uncompressed tar) sizes. */
  layers: { digest: string; size: number }[];
  diffIds: string[];
  /** Sum of the layer sizes: what the image adds to storage on its own, base included. */
  size: number;
  entrypoint: string[];
  cmd: string[];
  env: string[];
  workingDir: string;
  labels: Record<string, string>;
  /** The name the image was built FROM, as buildah records it (org.opencontainers.image.base.name). */
  baseName: string;
  /** The image config's architecture (amd64, arm64). */
  architecture: string;
}

export class EngineError extends Error {
  constructor(
    message: string,
    readonly result?: ExecResult,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** Last lines of a command's output, for error messages. */
export function tail(text: string, lines = 25): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export class ImageEngine {
  private constructor(
    readonly dir: string,
    readonly runner: 'podman' | 'buildah',
    private readonly env: NodeJS.ProcessEnv,
    readonly driver: 'overlay' | 'vfs',
    /** The architecture of the images this engine builds and runs (GOARCH names): arm64 on an x86_64 machine runs under qemu (binfmt_misc). */
    readonly arch: 'amd64' | 'arm64',
  ) {}

  /** The machine's own architecture (GOARCH names). */
  static hostArch(): 'amd64' | 'arm64' {
    return process.arch === 'arm64' ? 'arm64' : 'amd64';
  }

  /** Whether this engine's images are of another architecture than the machine's. */
  get foreign(): boolean {
    return this.arch !== ImageEngine.hostArch();
  }

  get storageRoot(): string {
    return join(this.dir, 'root');
  }

  /**
   * Checks for buildah (and podman, else `buildah run` is used) and prepares private storage.
   * Without buildah: throws when process.env.CI is set, else warns and returns undefined (skip).
   */
  static async create(arch: 'amd64' | 'arm64' = ImageEngine.hostArch()): Promise<ImageEngine | undefined> {
    const buildah = await onPath('buildah');
    const podman = (await onPath('podman')) && (await onPath('runc')) ? 'podman' : undefined;
    if (!buildah) {
      const message = `image tests need buildah (and podman + runc to run images): apt-get install -y ${DEBIAN_PACKAGES.join(' ')}`;
      if (process.env.CI) throw new EngineError(`CI: ${message}`);
      console.warn(`skip: ${message}`);
      return undefined;
    }
    const dir = await mkdtemp(join(tmpdir(), 'cclambda-images-'));
    for (const sub of ['root', 'runroot', 'tmp', 'libpod-tmp', 'networks']) await mkdir(join(dir, sub));
    const driver = await storageDriver(dir);
    const conf = join(dir, 'containers.conf');
    await writeFile(
      conf,
      [
        '[containers]',
        // the host's limits are above what runc may set here
        'default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]',
        '[engine]',
        'runtime = "runc"', // crun fails on this host's hybrid cgroups
        'cgroup_manager = "cgroupfs"',
        'events_logger = "none"',
        `tmp_dir = "${join(dir, 'libpod-tmp')}"`,
        `image_copy_tmp_dir = "${join(dir, 'tmp')}"`,
        '[network]',
        'network_backend = "cni"', // its config stays in network_config_dir (netavark writes to /run/containers)
        `network_config_dir = "${join(dir, 'networks')}"`,
        '',
      ].join('\n'),
    );
    await writeFile(join(dir, 'registries.conf'), 'unqualified-search-registries = []\n');
    await writeFile(join(dir, 'policy.json'), '{"default":[{"type":"insecureAcceptAnything"}]}\n');
    await writeFile(
      join(dir, 'storage.conf'),
      `[storage]\ndriver = "${driver}"\ngraphroot = "${join(dir, 'root')}"\nrunroot = "${join(dir, 'runroot')}"\n`,
    );
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CONTAINERS_CONF: conf,
      CONTAINERS_REGISTRIES_CONF: join(dir, 'registries.conf'),
      CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf'),
      BUILDAH_ISOLATION: 'chroot',
      TMPDIR: join(dir, 'tmp'),
    };
    return new ImageEngine(dir, process.env.IMAGE_TEST_RUNNER === 'buildah' ? 'buildah' : (podman ?? 'buildah'), env, driver, arch);
  }

  /** --arch for podman run and buildah from: without it they look for (and warn about) an image of the machine's architecture. */
  private archFlags(): string[] {
    return this.foreign ? ['--arch', this.arch] : [];
  }

  private storageFlags(): string[] {
    return ['--root', join(this.dir, 'root'), '--runroot', join(this.dir, 'runroot'), '--storage-driver', this.driver];
  }

  /** Runs buildah with the private storage; throws EngineError on a non-zero exit unless allowFail. */
  async buildah(args: string[], opts: { input?: string; timeoutMs?: number; allowFail?: boolean; onOutput?: (c: string) => void } = {}): Promise<ExecResult> {
    const r = await exec('buildah', [...this.storageFlags(), ...args], { env: this.env, ...opts });
    if (r.code !== 0 && !opts.allowFail) {
      throw new EngineError(`${quote(['buildah', ...args])} failed (exit ${r.code}):\n${tail(r.stderr || r.stdout)}`, r);
    }
    return r;
  }

  private podman(args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
    return exec('podman', [...this.storageFlags(), '--tmpdir', join(this.dir, 'libpod-tmp'), ...args], { env: this.env, ...opts });
  }

  /** buildah bud --isolation chroot --pull-never: builds only FROM images already in this storage. */
  async build(contextDir: string, tag: string, opts: BuildOptions = {}): Promise<BuildResult> {
    const args = ['bud', '--isolation', 'chroot', '--pull-never', `--layers=${opts.layers ? 'true' : 'false'}`];
    if (opts.platform || this.foreign) args.push('--platform', opts.platform ?? `linux/${this.arch}`);
    args.push('--signature-policy', join(this.dir, 'policy.json'), '-f', join(contextDir, opts.dockerfile ?? 'Dockerfile'), '-t', tag);
    for (const [k, v] of Object.entries(opts.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
    for (const [host, ctr] of Object.entries(opts.volumes ?? {})) args.push('-v', `${host}:${ctr}`);
    args.push(contextDir);
    const r = await exec('buildah', [...this.storageFlags(), ...args], {
      env: this.env,
      timeoutMs: opts.timeoutMs ?? 15 * 60_000,
      onOutput: opts.onOutput,
    });
    const output = r.stdout + r.stderr;
    if (r.code !== 0) {
      const steps = [...output.matchAll(/^(?:\[\d+\/\d+\] )?STEP \d+\/\d+: .*$/gm)].map((m) => m[0]);
      const at = steps.at(-1) ?? '(before the first step)';
      throw new EngineError(
        `build of ${tag} failed${r.timedOut ? ' (timed out)' : ''} (exit ${r.code}) at ${at}\n${tail(output)}`,
        r,
      );
    }
    return { tag, id: (await this.inspect(tag)).id, ms: r.ms, output };
  }

  /**
   * Runs the image once (podman run --rm -i --network none, or buildah run --isolation chroot when
   * podman is absent or IMAGE_TEST_RUNNER=buildah). cmdOverride replaces CMD; stdin is written to
   * the container's standard input. Returns what it printed and its exit code; never throws for a
   * non-zero exit of the container's process.
   */
  async run(image: string, cmdOverride?: string[], stdin?: string, opts: RunOptions = {}): Promise<ExecResult> {
    const timeoutMs = opts.timeoutMs ?? 120_000;
    const envArgs = Object.entries(opts.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    if (this.runner === 'podman') {
      const args = ['run', '--rm', '-i', '--network', 'none', '--pull', 'never', ...this.archFlags(), ...envArgs];
      if (opts.entrypoint !== undefined) args.push('--entrypoint', opts.entrypoint);
      args.push(image, ...(cmdOverride ?? []));
      return this.podman(args, { input: stdin ?? '', timeoutMs });
    }
    const started = performance.now();
    const info = await this.inspect(image);
    const argv = [...(opts.entrypoint !== undefined ? [opts.entrypoint] : info.entrypoint), ...(cmdOverride ?? info.cmd)];
    const ctr = (await this.buildah(['from', '--pull-never', ...this.archFlags(), '--signature-policy', join(this.dir, 'policy.json'), image])).stdout.trim();
    try {
      // chroot isolation allows no network but the host's: unlike podman runs, handlers can reach the network here
      const args = ['run', '--isolation', 'chroot', '--workingdir', info.workingDir || '/'];
      for (const [k, v] of Object.entries(opts.env ?? {})) args.push('--env', `${k}=${v}`);
      const r = await this.buildah([...args, ctr, '--', ...argv], { input: stdin ?? '', timeoutMs, allowFail: true });
      await this.buildah(['rm', ctr], { allowFail: true });
      return { ...r, ms: performance.now() - started };
    } catch (e) {
      await this.buildah(['rm', ctr], { allowFail: true });
      throw e;
    }
  }

  /**
   * Starts the image in the background with its own ENTRYPOINT + CMD (podman run -d), ports published on
   * 127.0.0.1 through slirp4netns, which leaves no bridge, firewall rule or IPAM state on the host (the
   * default CNI bridge would). Returns the container id; stop it with stopContainer. Needs podman.
   */
  async start(image: string, opts: StartOptions = {}): Promise<string> {
    if (this.runner !== 'podman') throw new EngineError('starting a container with a published port needs podman (IMAGE_TEST_RUNNER=buildah cannot)');
    const args = ['run', '-d', '--network', opts.hostLoopback ? 'slirp4netns:allow_host_loopback=true' : 'slirp4netns', '--pull', 'never', ...this.archFlags()];
    for (const [k, v] of Object.entries(opts.env ?? {})) args.push('-e', `${k}=${v}`);
    for (const [ctr, host] of Object.entries(opts.ports ?? {})) args.push('-p', `127.0.0.1:${host}:${ctr}`);
    if (opts.entrypoint !== undefined) args.push('--entrypoint', opts.entrypoint);
    args.push(image, ...(opts.cmd ?? []));
    const r = await this.podman(args, { timeoutMs: 120_000 });
    if (r.code !== 0) throw new EngineError(`podman run -d ${image} failed (exit ${r.code}):\n${tail(r.stderr || r.stdout)}`, r);
    return r.stdout.trim().split('\n').pop() ?? '';
  }

  /** What the container printed so far, on its standard output and its standard error (podman logs gives them apart). */
  async logs(container: string): Promise<{ stdout: string; stderr: string }> {
    const r = await this.podman(['logs', container], { timeoutMs: 30_000 });
    return { stdout: r.stdout, stderr: r.stderr };
  }

  /** Whether the container is still running, and its exit code if not. */
  async state(container: string): Promise<{ running: boolean; exitCode: number }> {
    const r = await this.podman(['inspect', '--format', '{{.State.Running}} {{.State.ExitCode}}', container], { timeoutMs: 30_000 });
    const [running, code] = r.stdout.trim().split(' ');
    return { running: running === 'true', exitCode: Number(code ?? -1) };
  }

  /** Stops (SIGTERM, then SIGKILL after 2 s) and removes the container. */
  async stopContainer(container: string): Promise<void> {
    await this.podman(['rm', '--force', '--time', '2', container], { timeoutMs: 60_000 });
  }

  async exists(image: string): Promise<boolean> {
    return (await this.buildah(['inspect', '--type', 'image', image], { allowFail: true })).code === 0;
  }

  async inspect(image: string): Promise<ImageInfo> {
    const raw = JSON.parse((await this.buildah(['inspect', '--type', 'image', image])).stdout) as {
      FromImageID: string;
      Manifest: string;
      OCIv1: {
        architecture?: string;
        config?: { Entrypoint?: string[]; Cmd?: string[]; Env?: string[]; WorkingDir?: string; Labels?: Record<string, string> };
        rootfs?: { diff_ids?: string[] };
      };
      ImageAnnotations?: Record<string, string>;
    };
    const manifest = JSON.parse(raw.Manifest) as { layers?: { digest: string; size: number }[] };
    const layers = (manifest.layers ?? []).map((l) => ({ digest: l.digest, size: l.size }));
    const config = raw.OCIv1.config ?? {};
    return {
      id: raw.FromImageID,
      layers,
      diffIds: raw.OCIv1.rootfs?.diff_ids ?? [],
      size: layers.reduce((n, l) => n + l.size, 0),
      entrypoint: config.Entrypoint ?? [],
      cmd: config.Cmd ?? [],
      env: config.Env ?? [],
      workingDir: config.WorkingDir ?? '',
      labels: config.Labels ?? {},
      baseName: raw.ImageAnnotations?.['org.opencontainers.image.base.name'] ?? '',
      architecture: raw.OCIv1.architecture ?? '',
    };
  }

  async size(image: string): Promise<number> {
    return (await this.inspect(image)).size;
  }

  /** Image names and ids in this storage. */
  async images(): Promise<{ id: string; names: string[] }[]> {
    const r = await this.buildah(['images', '--all', '--json']);
    const list = (JSON.parse(r.stdout || '[]') ?? []) as { id: string; names?: string[] | null }[];
    return list.map((i) => ({ id: i.id, names: i.names ?? [] }));
  }

  /** Mounts the image's file system read-only on the host for fn, then unmounts and removes the container. */
  async withMountedImage<T>(image: string, fn: (rootDir: string) => Promise<T>): Promise<T> {
    const ctr = (await this.buildah(['from', '--pull-never', ...this.archFlags(), '--signature-policy', join(this.dir, 'policy.json'), image])).stdout.trim();
    try {
      const mountPoint = (await this.buildah(['mount', ctr])).stdout.trim();
      return await fn(mountPoint);
    } finally {
      await this.buildah(['umount', ctr], { allowFail: true });
      await this.buildah(['rm', ctr], { allowFail: true });
    }
  }

  async remove(image: string): Promise<void> {
    await this.buildah(['rmi', '--force', image], { allowFail: true });
  }

  /** Removes every container, mount and image this engine made, then its whole folder. */
  async cleanup(): Promise<void> {
    await this.buildah(['rm', '--all'], { allowFail: true });
    if (this.runner === 'podman') await this.podman(['rm', '--all', '--force']);
    await this.buildah(['rmi', '--all', '--force'], { allowFail: true });
    await rm(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** overlay if a kernel overlay mount works in dir (probed and undone there), else vfs; IMAGE_TEST_STORAGE_DRIVER overrides. */
async function storageDriver(dir: string): Promise<'overlay' | 'vfs'> {
  const forced = process.env.IMAGE_TEST_STORAGE_DRIVER;
  if (forced === 'overlay' || forced === 'vfs') return forced;
  const probe = join(dir, 'overlay-probe');
  const [lower, upper, work, merged] = ['lower', 'upper', 'work', 'merged'].map((d) => join(probe, d)) as [string, string, string, string];
  for (const d of [lower, upper, work, merged]) await mkdir(d, { recursive: true });
  const r = await exec('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, merged], { timeoutMs: 10_000 });
  if (r.code === 0) await exec('umount', [merged], { timeoutMs: 10_000 });
  await rm(probe, { recursive: true, force: true });
  return r.code === 0 ? 'overlay' : 'vfs';
}
