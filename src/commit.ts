// The one place that writes a plan to disk. A new project is written into a temporary sibling folder
// and renamed into place, so a failure or Ctrl-C leaves nothing behind. Writing into an existing
// folder (add, --force, update) replaces each file through a sibling temporary file and a rename,
// then removes the files the plan deletes.
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { UserError } from './errors.ts';
import type { Plan, PlannedFile } from './plan.ts';

/** Writes a file, making its folder unless `dirs` says it exists; returns the first folder made. */
function writeFile(root: string, file: PlannedFile, dirs: Set<string>): string | undefined {
  const target = join(root, file.path);
  const dir = dirname(target);
  let made: string | undefined;
  if (!dirs.has(dir)) {
    made = mkdirSync(dir, { recursive: true });
    dirs.add(dir);
  }
  writeFileSync(target, file.content, { mode: file.mode });
  // The umask must not strip the executable bit from scripts; other files keep what it allows.
  if (file.mode & 0o111) chmodSync(target, file.mode);
  return made;
}

function cannotWrite(path: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : String((error as Error).message);
  return new UserError(`Cannot write ${path} (${why})`, 'Choose a folder you can write to');
}

/** Removes the temporary folder if the user presses Ctrl-C while it is being filled. */
function onInterrupt(cleanup: () => void): () => void {
  const handler = () => {
    cleanup();
    process.exit(130);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/**
 * Writes into an existing folder (add, --force): every file is first staged as a sibling temporary
 * file, then all are renamed into place in plan order (the template last). A failure while staging
 * removes the staged files and any folder made for them, so the folder is as it was.
 */
function commitInPlace(plan: Plan): void {
  const staged: [string, string][] = [];
  const createdDirs: string[] = [];
  const cleanup = () => {
    for (const [temp] of staged) rmSync(temp, { force: true });
    for (const dir of createdDirs.reverse()) rmSync(dir, { recursive: true, force: true });
  };
  const release = onInterrupt(cleanup);
  let current = plan.root;
  const dirs = new Set<string>();
  try {
    for (const file of plan.files.filter((f) => f.action !== 'delete')) {
      current = join(plan.root, file.path);
      const temp = join(dirname(current), `.${basename(current)}.${process.pid}.tmp`);
      const made = writeFile(dirname(temp), { ...file, path: basename(temp) }, dirs);
      if (made) createdDirs.push(made);
      staged.push([temp, current]);
    }
  } catch (error) {
    cleanup();
    release();
    throw cannotWrite(current, error);
  }
  for (const [temp, target] of staged) renameSync(temp, target);
  for (const file of plan.files.filter((f) => f.action === 'delete')) removeFile(plan.root, file.path);
  release();
}

/** Removes a file, and the folders it leaves empty up to the root. */
function removeFile(root: string, path: string): void {
  rmSync(join(root, path), { force: true });
  for (let dir = dirname(join(root, path)); relative(root, dir) && !relative(root, dir).startsWith('..'); dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return; // not empty
    }
  }
}

export function commitPlan(plan: Plan): void {
  if (!plan.createRoot) return commitInPlace(plan);
  const parent = dirname(plan.root);
  let createdParent: string | undefined;
  let temp: string | undefined;
  const cleanup = () => {
    if (temp) rmSync(temp, { recursive: true, force: true });
    if (createdParent) rmSync(createdParent, { recursive: true, force: true });
  };
  const release = onInterrupt(cleanup);
  try {
    createdParent = mkdirSync(parent, { recursive: true });
    temp = mkdtempSync(join(parent, `.${basename(plan.root)}-`));
    chmodSync(temp, 0o777 & ~process.umask()); // mkdtemp makes it private; the project is not
    const dirs = new Set([temp]);
    for (const file of plan.files) writeFile(temp, file, dirs);
    try {
      rmdirSync(plan.root); // an empty folder the user made for the project
    } catch {
      // absent: nothing to remove
    }
    renameSync(temp, plan.root);
    temp = undefined;
  } catch (error) {
    cleanup();
    throw error instanceof UserError ? error : cannotWrite(plan.root, error);
  } finally {
    release();
  }
}

/** What --dry-run prints: each file with its size, and that nothing was written. */
export function describePlan(plan: Plan, shownRoot: string): string {
  const width = Math.max(...plan.files.map((f) => f.path.length));
  const lines = plan.files.map((f) => {
    const size = Buffer.byteLength(f.content);
    const mode = f.mode & 0o111 ? ' (executable)' : '';
    return `  ${f.action === 'create' ? '+' : '~'} ${f.path.padEnd(width)}  ${String(size).padStart(6)} B${mode}`;
  });
  const verb = plan.createRoot ? `Would create ${shownRoot} with` : `Would write in ${shownRoot}`;
  return [`${verb} ${plan.files.length} files:`, ...lines, 'Nothing was written (--dry-run).'].join('\n');
}
