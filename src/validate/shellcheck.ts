// shellcheck over a batch of scripts (a project's scripts/*.sh), in one run.
import { resolve } from 'node:path';
import { batch, requireTool, run, type ToolOptions } from './tools.ts';

interface ShellcheckComment {
  file: string;
  line: number;
  column: number;
  level: string;
  code: number;
  message: string;
}

/**
 * Checks all scripts in ONE shellcheck run. Findings per path as `line:col SCcode level: message`.
 * When shellcheck is missing, `options.missing` decides (skipped: all empty).
 */
export async function shellcheck(paths: string[], options: ToolOptions): Promise<Map<string, string[]>> {
  const { results, byAbs } = batch(paths);
  if (byAbs.size === 0 || !(await requireTool('shellcheck', options))) return results;
  const args = ['--format=json1', '--external-sources', '--source-path=SCRIPTDIR', '--', ...byAbs.keys()];
  const { code, stdout, stderr } = await run('shellcheck', args);
  let comments: ShellcheckComment[];
  try {
    comments = (JSON.parse(stdout) as { comments: ShellcheckComment[] }).comments;
  } catch {
    throw new Error(`shellcheck output is not JSON (exit ${code}): ${stderr.trim() || stdout.slice(0, 500)}`);
  }
  if (code > 1 || !Array.isArray(comments)) throw new Error(`shellcheck failed (exit ${code}): ${stderr.trim()}`);
  for (const c of comments) {
    const finding = `${c.line}:${c.column} SC${c.code} ${c.level}: ${c.message}`;
    // A finding in a sourced file is reported under that file's own path.
    const owners = byAbs.get(resolve(c.file)) ?? [c.file];
    for (const owner of owners) results.set(owner, [...(results.get(owner) ?? []), finding]);
  }
  return results;
}
