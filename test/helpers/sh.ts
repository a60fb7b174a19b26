// Runs one shell line for a test: exit status plus the last lines of its output, enough to read a
// failure without flooding the report.
import { spawnSync } from 'node:child_process';
import { EVENT_KINDS } from './matrix.ts';

export interface ShResult {
  ok: boolean;
  output: string;
}

export function sh(line: string, cwd: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 600_000): ShResult {
  const r = spawnSync('sh', ['-c', line], { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, ...env } });
  const output = `${r.stdout ?? ''}\n${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`;
  return { ok: r.status === 0, output: output.trim().split('\n').slice(-40).join('\n') };
}

/** Each kind alone (the direct handler) and all of them at once (dispatch on the event's shape). */
export const EVENT_SETS: string[][] = [...EVENT_KINDS.map((k) => [k]), EVENT_KINDS.filter((k) => k !== 'none')];
