// Runs the built CLI (dist/cli.js, what users run) in scratch folders, and reads what it wrote.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(REPO, 'dist', 'cli.js');

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without a terminal (stdin is empty), as CI and scripts do. */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): RunResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    input: '',
    // A fixed date, so that deprecation warnings and refusals do not change from day to day.
    env: { ...process.env, SOURCE_DATE_EPOCH: String(Date.UTC(2026, 10, 23) / 1000), ...env },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A new scratch folder, removed by the returned function. */
export function scratch(label: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `ccl-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TreeFile {
  content: string;
  mode: number;
}

/** Every file below `root` (node_modules and .git left out), by `/`-separated relative path. */
export function readTree(root: string): Map<string, TreeFile> {
  const out = new Map<string, TreeFile>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.set(relative(root, path).split('\\').join('/'), { content: readFileSync(path, 'utf8'), mode: statSync(path).mode & 0o777 });
    }
  };
  walk(root);
  return out;
}

/** A fingerprint of a folder (names, modes, contents, folders included) to prove it did not change. */
export function fingerprint(root: string): string {
  const parts: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      parts.push(`(absent ${relative(root, dir)})`);
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      const st = statSync(path);
      parts.push(`${relative(root, path)} ${st.mode.toString(8)} ${entry.isDirectory() ? 'dir' : readFileSync(path, 'base64')}`);
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(root);
  return parts.join('\n');
}
