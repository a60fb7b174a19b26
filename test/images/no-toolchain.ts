// Projects generated the way a user with only Node.js and a container engine would: the real CLI, with
// --no-install --no-git, and a PATH that holds `node` and nothing else (no go, cargo, mvn, npm, git).
// The image tier then builds them from their Dockerfile alone (issue: builds need only Docker).
import { mkdir, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLI } from '../helpers/cli.ts';
import { exec } from './exec.ts';

/** The CLI flags of `new` that make a variant's project (as a user types them). */
export function variantFlags(v: { runtime: { id: string; languages: unknown[] }; language: { id: string }; buildTool: string }): string[] {
  return [
    '--runtime', v.runtime.id,
    ...(v.runtime.languages.length > 1 ? ['--language', v.language.id] : []),
    ...(v.buildTool ? ['--build-tool', v.buildTool] : []),
  ];
}

/** Generates `dir` with the CLI on a PATH of `node` only; throws with the CLI's output when it fails. */
export async function generateWithNodeOnly(dir: string, flags: string[]): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const bin = `${dir}-bin`;
  await mkdir(bin, { recursive: true });
  await symlink(process.execPath, join(bin, 'node'));
  const r = await exec(process.execPath, [CLI, dir, '--yes', '--no-install', '--no-git', ...flags], { env: { PATH: bin, HOME: process.env.HOME ?? '/root' }, timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`create-container-lambda ${flags.join(' ')} with only node on PATH: exit ${r.code}: ${r.stderr.trim()}`);
}
