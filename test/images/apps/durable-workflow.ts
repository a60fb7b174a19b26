// durable-workflow's image: one durable execution, start to finish, through the image's own handler
// and SDK, against the durable execution SDK's own local service (aws-durable-execution-sdk-python-
// testing's `dex-local-runner start-server`, the Lambda durable execution API over HTTP).
//
// What the emulator cannot do: it is not Lambda's durable invocation front end. It neither makes the
// durable invocation envelope (DurableExecutionArn, CheckpointToken, InitialExecutionState) nor
// answers the checkpoint API. So the local service makes the envelopes and keeps the checkpoints,
// and the emulator only carries them:
//   1. setup starts the service with this file's relay as the execution's "Lambda endpoint", and
//      starts an execution of the sample order; the service invokes the relay with envelope 1.
//   2. Each invocation below sends the envelope the relay holds to the image (the runner's POST to the
//      emulator). The SDK in the image checkpoints to the service (AWS_ENDPOINT_URL_LAMBDA) through
//      the image's own Lambda client, and answers the SDK's way: {"Status": "PENDING"} while it waits,
//      {"Status": "SUCCEEDED", "Result": ...} at the end. The check hands that answer back to the
//      service as the relay's response, and the service replays the execution: the next envelope.
//   3. After the wait (the service skips its time) the workflow asks for approval; the check finds the
//      callback in the execution's history and approves it as send-durable-execution-callback-success
//      would; the third invocation fulfils the order.
// Proven: the image's handler, SDK and Lambda client run a real replay (step, wait, callback, step)
// against the checkpoint API, and the service records the execution as SUCCEEDED with the workflow's
// result. Not proven: Lambda's own front end (aliases, versions, IAM on the checkpoint calls, timeouts).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppCheckContext, AppImageCheck, AppInvocation } from '../app-checks.ts';
import { exec } from '../exec.ts';

const TESTING_PACKAGE = 'aws-durable-execution-sdk-python-testing~=1.4';
/** Each wait for the service (a replay, a health check) gives up after this long. */
const WAIT_MS = 60_000;


/** The relay: the service's "Lambda endpoint". It holds each envelope until the image has answered it. */
class Relay {
  private server?: Server;
  private envelopes: unknown[] = [];
  private pending: ServerResponse[] = [];
  private waiters: (() => void)[] = [];

  async start(): Promise<number> {
    this.server = createServer((req, res) => this.receive(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  private receive(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.envelopes.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      this.pending.push(res);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Envelope `n` (0-based), waiting for the service to send it. */
  async envelope(n: number): Promise<unknown> {
    const deadline = Date.now() + WAIT_MS;
    while (this.envelopes.length <= n) {
      if (Date.now() > deadline) throw new Error(`the durable execution service sent no invocation ${n + 1} within ${WAIT_MS / 1000} s`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 500);
      });
    }
    return this.envelopes[n];
  }

  peek(n: number): unknown {
    return this.envelopes[n];
  }

  /** The image's answer to envelope `n`, as the service's Invoke call returns it. */
  answer(n: number, result: unknown) {
    const res = this.pending[n];
    if (!res) throw new Error(`no invocation ${n + 1} to answer`);
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST' });
    res.end(JSON.stringify(result));
  }

  stop() {
    this.server?.closeAllConnections();
    this.server?.close();
  }
}

// One execution per scenario (language): setup() makes each afresh.
let relay = new Relay();
let service: ChildProcess | undefined;
let servicePort = 0;
let executionArn = '';
process.on('exit', () => service?.kill());

const endpoint = () => `http://127.0.0.1:${servicePort}`;
const api = async (method: string, path: string, body?: string) => {
  const res = await fetch(`${endpoint()}${path}`, { method, body, headers: { 'Content-Type': 'application/json' } });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
};

/** A port nothing listens on now, for the service (the runner calls env() after setup()). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A venv with the testing package (from PyPI), once per machine. */
async function serviceCommand(): Promise<string> {
  const pyenv = join(process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  const version = existsSync(pyenv) ? readdirSync(pyenv).filter((v) => v.startsWith('3.13.')).sort().at(-1) : undefined;
  if (!version) throw new Error(`no CPython 3.13 under ${pyenv} for the durable execution service`);
  const venv = join(tmpdir(), 'create-container-lambda-images', 'dex-local-runner');
  const command = join(venv, 'bin', 'dex-local-runner');
  if (!existsSync(command)) {
    mkdirSync(venv, { recursive: true });
    for (const [file, args] of [
      [join(pyenv, version, 'bin', 'python'), ['-m', 'venv', venv]],
      [join(venv, 'bin', 'pip'), ['install', '-q', '--disable-pip-version-check', TESTING_PACKAGE]],
    ] as const) {
      const r = await exec(file, args);
      if (r.code !== 0) throw new Error(`${file} ${args.join(' ')}: ${r.stderr}`);
    }
  }
  return command;
}

async function startService(relayPort: number) {
  service = spawn(
    await serviceCommand(),
    ['start-server', '--host', '127.0.0.1', '--port', String(servicePort), '--skip-time', '--lambda-endpoint', `http://127.0.0.1:${relayPort}`, '--log-level', 'WARNING'],
    // It signs its Invoke calls to the relay: with test credentials, which nothing checks.
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'us-east-1' } },
  );
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      if ((await fetch(`${endpoint()}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (service.exitCode !== null || Date.now() > deadline) throw new Error(`the durable execution service did not start on ${endpoint()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The callback the execution waits on, from its history (CallbackStarted without an outcome). */
async function pendingCallback(): Promise<string> {
  const history = await api('GET', `/2025-12-01/durable-executions/${encodeURIComponent(executionArn)}/history`);
  const events = (history.Events ?? []) as { EventType?: string; CallbackStartedDetails?: { CallbackId?: string } }[];
  const id = events.find((e) => e.EventType === 'CallbackStarted')?.CallbackStartedDetails?.CallbackId;
  if (!id) throw new Error(`no callback in the execution's history: ${JSON.stringify(events.map((e) => e.EventType))}`);
  return id;
}

const status = (result: unknown) => (result as { Status?: string } | null)?.Status;

/**
 * Invocation `n`: the envelope the service sent (read when the runner sends it, after the previous
 * check), the image's answer judged by `expect`, handed back to the service, then `then`.
 */
function invocation(n: number, expect: (result: unknown) => string | undefined, then: () => Promise<string | undefined>): AppInvocation {
  return {
    get event() {
      const envelope = relay.peek(n);
      if (!envelope) throw new Error(`the durable execution service has not sent invocation ${n + 1}`);
      return envelope as object;
    },
    async check(result: unknown) {
      const problem = expect(result);
      if (problem) return problem;
      relay.answer(n, result);
      return then();
    },
  };
}

/** Approves the pending callback as send-durable-execution-callback-success does. */
async function approve(): Promise<string | undefined> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const callbackId = await pendingCallback();
      await api('POST', `/2025-12-01/durable-execution-callbacks/${encodeURIComponent(callbackId)}/succeed`, JSON.stringify({ approved: true, approver: 'image-check' }));
      return undefined;
    } catch (error) {
      if (Date.now() > deadline) return String(error);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** The service's own record of the execution, once it has taken the last answer; then stops it. */
async function recordedAsSucceeded(): Promise<string | undefined> {
  try {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const execution = await api('GET', `/2025-12-01/durable-executions/${encodeURIComponent(executionArn)}`);
      if (execution.Status === 'SUCCEEDED') return undefined;
      if (execution.Status !== 'RUNNING' || Date.now() > deadline) return `the service recorded the execution as ${JSON.stringify(execution.Status)}, not SUCCEEDED`;
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    relay.stop();
    service?.kill();
  }
}

const pending = (what: string) => (result: unknown) =>
  status(result) === 'PENDING' ? undefined : `invocation ${what}: expected the SDK's {"Status": "PENDING"}, got ${JSON.stringify(result)}`;

export const check: AppImageCheck = {
  app: 'durable-workflow',
  // Not for S3: the double's endpoint is how the container reaches a server on this machine's
  // 127.0.0.1 (10.0.2.2 under slirp4netns); the service listens beside the double.
  s3: true,
  env: (ctx: AppCheckContext) => ({
    AWS_ENDPOINT_URL_LAMBDA: `http://${new URL(ctx.s3Endpoint ?? 'http://127.0.0.1').hostname}:${servicePort}`,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
  }),
  async setup(ctx) {
    relay = new Relay();
    const relayPort = await relay.start();
    servicePort = await freePort();
    await startService(relayPort);
    const order = await readFile(join(ctx.projectDir, 'events/durable-workflow-none.json'), 'utf8');
    const started = await api(
      'POST',
      '/start-durable-execution',
      JSON.stringify({
        AccountId: '123456789012',
        FunctionName: 'function',
        FunctionQualifier: '1',
        ExecutionName: 'order-1001',
        ExecutionTimeoutSeconds: 604800,
        ExecutionRetentionPeriodDays: 14,
        Input: order,
      }),
    );
    executionArn = String(started.ExecutionArn);
    await relay.envelope(0);
  },
  invocations: [
    // 1: validate-order runs and is checkpointed; the review delay suspends the execution, and the
    // service replays it at once (--skip-time).
    invocation(0, pending('1 (validate, then wait)'), async () => (await relay.envelope(1), undefined)),
    // 2: replayed after the wait; asks for approval and suspends on the callback, which is approved.
    invocation(1, pending('2 (approval requested)'), async () => (await approve()) ?? (await relay.envelope(2), undefined)),
    // 3: replayed with the approval; fulfils the order and ends the execution.
    invocation(
      2,
      (result) => {
        const body = result as { Status?: string; Result?: string };
        const outcome = body.Result ? (JSON.parse(body.Result) as { orderId?: string; status?: string; totalCents?: number }) : undefined;
        if (body.Status === 'SUCCEEDED' && outcome?.status === 'approved' && outcome.orderId === 'order-1001' && outcome.totalCents === 6100) return undefined;
        return `invocation 3 (approved): expected SUCCEEDED with the approved order, got ${JSON.stringify(result)}`;
      },
      recordedAsSucceeded,
    ),
  ],
};
