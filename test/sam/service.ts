// podman's Docker-compatible API (`podman system service`) on the image tier's private storage, so the
// stand-ins built there (test/images/standins.ts) are the images the SAM CLI's builds and invokes see.
// The service gets the engine's storage flags and configuration files (containers.conf, storage.conf,
// registries.conf), and BUILDAH_ISOLATION=chroot for the builds the API runs, as the image tier's.
// Its containers go on podman's bridge network (netns.ts says why, and where that is kept).
// One child process, in its own process group; stop() removes every container, then ends it by its pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { exec, type ExecResult } from '../images/exec.ts';
import type { ImageEngine } from '../images/engine.ts';

export class PodmanService {
  private log = '';
  private constructor(
    readonly socket: string,
    private readonly child: ChildProcess,
    private readonly flags: string[],
    readonly env: NodeJS.ProcessEnv,
  ) {
    child.stdout?.on('data', (c: Buffer) => (this.log += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (this.log += c.toString()));
  }

  /** DOCKER_HOST for clients of this service. */
  get dockerHost(): string {
    return `unix://${this.socket}`;
  }

  /** What the service printed (its errors), last lines. */
  output(lines = 20): string {
    return this.log.trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Starts the service on the engine's storage and waits until GET /_ping answers OK. */
  static async start(engine: ImageEngine, timeoutMs = 30_000): Promise<PodmanService> {
    const dir = engine.dir;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CONTAINERS_CONF: join(dir, 'containers.conf'),
      CONTAINERS_REGISTRIES_CONF: join(dir, 'registries.conf'),
      CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf'),
      BUILDAH_ISOLATION: 'chroot', // the compat API's builds: RUN steps as the image tier's (chroot, on the tier's network)
      TMPDIR: join(dir, 'tmp'),
    };
    const flags = ['--root', join(dir, 'root'), '--runroot', join(dir, 'runroot'), '--storage-driver', engine.driver, '--tmpdir', join(dir, 'libpod-tmp')];
    const socket = join(dir, 'podman.sock');
    const child = spawn('podman', [...flags, 'system', 'service', '--time=0', `unix://${socket}`], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const service = new PodmanService(socket, child, flags, env);
    let exited: number | null | undefined;
    child.on('exit', (code) => (exited = code));
    const started = performance.now();
    for (;;) {
      if (exited !== undefined) throw new Error(`podman system service exited (code ${exited}):\n${service.output()}`);
      if ((await ping(socket).catch(() => '')) === 'OK') return service;
      if (performance.now() - started > timeoutMs) {
        await service.stop();
        throw new Error(`podman system service: no answer on ${socket} in ${timeoutMs / 1000} s:\n${service.output()}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** podman with the service's storage and configuration (not through the socket). */
  podman(args: string[], timeoutMs = 60_000): Promise<ExecResult> {
    return exec('podman', [...this.flags, ...args], { env: this.env, timeoutMs });
  }

  /** Containers in the storage (running or not): names and states. */
  async containers(): Promise<{ id: string; names: string[]; state: string; image: string }[]> {
    const r = await this.podman(['ps', '--all', '--format', 'json']);
    const list = JSON.parse(r.stdout || '[]') as { Id: string; Names?: string[]; State: string; Image: string }[];
    return list.map((c) => ({ id: c.Id, names: c.Names ?? [], state: c.State, image: c.Image }));
  }

  /** Removes every container, then ends the service (SIGTERM to its pid, SIGKILL after 5 s). */
  async stop(): Promise<void> {
    await this.podman(['rm', '--all', '--force', '--time', '2']);
    const pid = this.child.pid;
    if (pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    process.kill(pid, 'SIGTERM');
    const timer = setTimeout(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 5000);
    await gone;
    clearTimeout(timer);
  }
}

/** GET /_ping on a Docker API socket: "OK" from a live engine. */
export function ping(socket: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path: '/_ping', method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('no answer')));
    req.on('error', reject);
    req.end();
  });
}
