// Runs one external command and collects what it printed: the only place the image tier spawns processes.
// Every child is started in its own process group and, on time-out, ended by its own process id (never by name).
import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the child's standard input, which is then closed. */
  input?: string | Buffer;
  /** Milliseconds before the child's process group is sent SIGTERM (then SIGKILL 5 s later). */
  timeoutMs?: number;
  /** Called with each chunk of combined output as it arrives (for progress on long builds). */
  onOutput?: (chunk: string) => void;
}

export interface ExecResult {
  command: string;
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

export function quote(args: readonly string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export function exec(file: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const started = performance.now();
  const command = quote([file, ...args]);
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            signalGroup(child.pid, 'SIGTERM');
            killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 5000);
          }, opts.timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      out.push(c);
      opts.onOutput?.(c.toString());
    });
    child.stderr.on('data', (c: Buffer) => {
      err.push(c);
      opts.onOutput?.(c.toString());
    });
    child.stdin.on('error', () => {}); // the child may exit before reading its input
    child.stdin.end(opts.input ?? '');
    const finish = (code: number, extra = '') => {
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      resolve({
        command,
        code,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString() + extra,
        ms: performance.now() - started,
        timedOut,
      });
    };
    child.on('error', (e) => finish(127, `${e.message}\n`));
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 : 1), signal ? `killed by ${signal}\n` : ''));
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal); // the group led by our own child
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Whether an executable of this name is on PATH. */
export async function onPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const full = `${dir}/${name}`;
    try {
      await access(full, constants.X_OK);
      return full;
    } catch {
      /* next */
    }
  }
  return undefined;
}
