// The AWS SAM CLI of the tier: found, and run on one shell line of a generated README with the
// environment a developer with podman would have (DOCKER_HOST on podman's API socket), nothing else.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec, onPath, type ExecResult } from '../images/exec.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const INSTALL_SCRIPT = join(here, 'install-sam-cli.sh');

export interface SamCli {
  /** The `sam` executable. */
  bin: string;
  /** "1.170.0" */
  version: string;
}

/**
 * The SAM CLI to run: $SAM_CLI, else the one install-sam-cli.sh installs (the pinned version in the
 * cache), else a `sam` on PATH. Undefined, with why, when there is none that answers `--version`.
 */
export async function findSam(): Promise<SamCli | { why: string }> {
  const pinned = (await exec('sh', [INSTALL_SCRIPT, '--print-path'], { timeoutMs: 10_000 })).stdout.trim();
  const candidates = [process.env.SAM_CLI, pinned, await onPath('sam')].filter((x): x is string => !!x);
  for (const bin of candidates) {
    const r = await exec(bin, ['--version'], { timeoutMs: 60_000, env: { ...process.env, SAM_CLI_TELEMETRY: '0' } });
    const version = /version (\S+)/.exec(r.stdout)?.[1];
    if (r.code === 0 && version) return { bin, version };
  }
  return { why: `no AWS SAM CLI (tried ${candidates.join(', ') || 'none'}): sh test/sam/install-sam-cli.sh installs it from PyPI` };
}

/**
 * The environment of the SAM CLI's runs: the caller's, with `sam` first on PATH, DOCKER_HOST on the
 * podman service, telemetry off (it would try the network), a HOME and TMPDIR of the tier's own (the
 * SAM CLI's ~/.aws-sam and its build locks; no AWS credentials or config of the machine), and no AWS_*
 * variables: the commands run need no account.
 */
export async function samEnv(sam: SamCli, dockerHost: string, dir: string): Promise<NodeJS.ProcessEnv> {
  const home = join(dir, 'home');
  const tmp = join(dir, 'tmp');
  await mkdir(home, { recursive: true });
  await mkdir(tmp, { recursive: true });
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !k.startsWith('SAM_')) env[k] = v;
  return { ...env, PATH: `${dirname(sam.bin)}:${process.env.PATH ?? ''}`, DOCKER_HOST: dockerHost, SAM_CLI_TELEMETRY: '0', HOME: home, TMPDIR: tmp };
}

/** Runs one command line as written (sh -c) in the project folder. */
export function runLine(line: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ExecResult> {
  return exec('sh', ['-c', line], { cwd, env, timeoutMs });
}
