// A local server for the delivery tier (the registry, moto): one child process in its own process
// group on a free port of 127.0.0.1, ready once an HTTP GET answers; stop() ends it by its pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A port nothing listens on now (the kernel's pick, released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export class LocalServer {
  private log = '';
  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (c: Buffer) => (this.log += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (this.log += c.toString()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What the server printed, last lines. */
  output(lines = 20): string {
    return this.log.trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Starts `file args` (args made for the port, after anything they need is written) and waits until GET readyPath answers. */
  static async start(name: string, file: string, args: (port: number) => string[] | Promise<string[]>, readyPath = '/', env: NodeJS.ProcessEnv = process.env, timeoutMs = 30_000): Promise<LocalServer> {
    const port = await freePort();
    const child = spawn(file, await args(port), { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const server = new LocalServer(name, port, child);
    let exited: number | null | undefined;
    child.on('exit', (code) => (exited = code));
    child.on('error', () => (exited = -1));
    const started = performance.now();
    for (;;) {
      if (exited !== undefined) throw new Error(`${name} exited (code ${exited}):\n${server.output()}`);
      const answered = await fetch(`${server.url}${readyPath}`).then((r) => r.status > 0, () => false);
      if (answered) return server;
      if (performance.now() - started > timeoutMs) {
        await server.stop();
        throw new Error(`${name}: no answer on ${server.url} in ${timeoutMs / 1000} s:\n${server.output()}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** SIGTERM to its pid, SIGKILL after 5 s. */
  async stop(): Promise<void> {
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
