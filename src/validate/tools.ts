// The external tools the validators run (cfn-lint, shellcheck), found on PATH, and what to do when
// one is missing: the caller's policy, since the tests and the CLI want different things.
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { UserError } from '../errors.ts';

/**
 * What a missing tool means. `fail`: a UserError naming the tool and how to install it (the CLI).
 * `skip-outside-ci`: an Error in CI (env `CI` set), elsewhere one warning line and its checks skipped
 * (the tool's own tests).
 */
export type MissingTool = 'fail' | 'skip-outside-ci';

export interface ToolOptions {
  missing: MissingTool;
}

const INSTALL_HINTS: Record<string, string> = {
  'cfn-lint': 'pip install cfn-lint',
  shellcheck: 'apt-get install shellcheck (macOS: brew install shellcheck)',
  moto_server: "pip install 'moto[server]'",
  aws: 'pip install awscli (or the AWS CLI v2 installer)',
};
const installHint = (name: string): string => INSTALL_HINTS[name] ?? `install ${name}`;
const found = new Map<string, boolean>();

const inCI = (): boolean => !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

/** Whether an executable `name` is in a folder of PATH (PATHEXT tried on Windows). */
export function onPath(name: string): boolean {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD').split(';') : [''];
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const ext of exts) {
      try {
        accessSync(join(dir, name + ext), constants.X_OK);
        return true;
      } catch {
        // not in this folder
      }
    }
  }
  return false;
}

/**
 * Whether `name` is on PATH; when it is not, `options.missing` decides: throw, or warn once on
 * stderr and return false so that the caller skips that check. Looks at PATH only (running
 * `cfn-lint --version` alone costs 1.5 s); the answer is kept for the process.
 */
export async function requireTool(name: string, options: ToolOptions): Promise<boolean> {
  if (found.get(name) ?? onPath(name)) {
    found.set(name, true);
    return true;
  }
  // Missing: a throw is not remembered, so a tool installed meanwhile is found on the next call.
  const hint = installHint(name);
  if (options.missing === 'fail') throw new UserError(`${name} is not installed (not found on PATH)`, `Install it: ${hint}`);
  if (inCI()) throw new Error(`${name} is required in CI but is not on PATH; install it: ${hint}`);
  if (found.get(name) === undefined) process.stderr.write(`warning: ${name} not found, skipping its checks (install: ${hint})\n`);
  found.set(name, false);
  return false;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command; resolves with its exit code, rejects only when it could not run at all. */
export function run(cmd: string, args: string[]): Promise<RunResult> {
  return new Promise((done, fail) => {
    execFile(cmd, args, { maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        fail(new Error(`${cmd} could not run (${error.code ?? error.signal}): ${stderr || error.message}`));
      } else {
        done({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      }
    });
  });
}

/** A batch of files for one tool run: results keyed by the caller's spellings, tools given absolute paths. */
export function batch(paths: string[]): { results: Map<string, string[]>; byAbs: Map<string, string[]> } {
  const results = new Map(paths.map((p) => [p, [] as string[]]));
  const byAbs = new Map<string, string[]>();
  for (const p of results.keys()) {
    if (!existsSync(p)) throw new Error(`no such file: ${p}`);
    byAbs.set(resolve(p), [...(byAbs.get(resolve(p)) ?? []), p]);
  }
  return { results, byAbs };
}
