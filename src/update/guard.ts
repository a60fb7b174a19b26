// What must hold before `update` writes: no conflict left from an earlier update, and a git tree with
// nothing uncommitted, so that every change it makes can be reviewed and undone.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.ts';

const MARKER = /^<<<<<<< yours\r?$/m;

/** Files among `paths` that still hold conflict markers or have a .rej beside them, with the line. */
export function unresolved(root: string, paths: Iterable<string>): string[] {
  const found: string[] = [];
  for (const path of paths) {
    const file = join(root, path);
    if (existsSync(`${file}.rej`)) found.push(`${path}.rej`);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const match = MARKER.exec(text);
    if (match) found.push(`${path}:${text.slice(0, match.index).split('\n').length}`);
  }
  return found;
}

/** Refuses a folder outside git or with uncommitted changes, unless `force`. */
export async function requireCleanTree(root: string, force: boolean): Promise<void> {
  if (force) return;
  const { $ } = await import('zx/core');
  const git = $({ quiet: true, verbose: false, cwd: root, nothrow: true });
  const status = await git`git status --porcelain --untracked-files=normal -- .`;
  if (status.exitCode !== 0) throw new UserError('The project is not in a git repository', 'Commit it to git first, so the update can be reviewed and undone (or pass --force)');
  const changed = status.stdout.split('\n').filter(Boolean);
  if (changed.length) {
    throw new UserError(`The project has uncommitted changes (${changed.length} file${changed.length === 1 ? '' : 's'}, e.g. ${changed[0]!.slice(3)})`, 'Commit or stash them first, so the update can be reviewed and undone (or pass --force)');
  }
}
