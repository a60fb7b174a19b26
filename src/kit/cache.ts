// The kit cache: one folder per kit content, named after its integrity, so a project that recorded a kit
// opens it offline. Every entry is built in a `.tmp-` folder inside the cache and renamed into place, so a
// folder with an entry's name is always complete, whatever happened to the run that made it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { cacheRoot } from '../cache-root.ts';
import { UserError } from '../errors.ts';
import { MANIFEST_NAMES } from './manifest.ts';

export { cacheRoot };

const kitsDir = () => join(cacheRoot(), 'kits');

const SRI = /^sha512-[A-Za-z0-9+/]{86}==$/;
export const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/; // SHA-1, or SHA-256 repositories

/**
 * The entry's folder. Hex rather than the SRI's base64: two base64 digests can differ only by case, which
 * case-insensitive file systems (macOS, Windows) would merge; 256 of the 512 bits keep Windows paths short.
 * A recorded integrity is read from a project file, so anything else is refused (no `../` into a path).
 */
export function entryDir(integrity: string): string {
  if (COMMIT.test(integrity)) return join(kitsDir(), `git-${integrity}`);
  if (SRI.test(integrity)) return join(kitsDir(), `sha512-${Buffer.from(integrity.slice(7), 'base64').toString('hex').slice(0, 64)}`);
  throw new UserError(`Kit integrity "${integrity}" is neither sha512-<base64> nor a git commit`, 'Apply the kit again to record it');
}

export const hasManifest = (dir: string) => MANIFEST_NAMES.some((name) => existsSync(join(dir, name)));

/** Runs `fill` with a fresh staging folder on the cache's file system (so the final rename is atomic), then removes it. */
export async function staged<T>(fill: (stage: string) => Promise<T>): Promise<T> {
  const kits = kitsDir();
  mkdirSync(kits, { recursive: true });
  sweep(kits);
  const stage = mkdtempSync(join(kits, '.tmp-'));
  try {
    return await fill(stage);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** Staging folders left by runs that were killed (Ctrl-C skips `finally`); a day old means nobody is using them. */
function sweep(kits: string): void {
  const dayAgo = Date.now() - 86_400_000;
  for (const name of readdirSync(kits)) {
    if (!name.startsWith('.tmp-')) continue;
    try {
      if (statSync(join(kits, name)).mtimeMs < dayAgo) rmSync(join(kits, name), { recursive: true, force: true });
    } catch {
      // Another run removed it first.
    }
  }
}

/**
 * Moves a complete kit folder into its entry and returns the entry. Another process may have made the entry
 * since the caller looked: then the rename fails (the entry is not empty) and that copy, the same content, is kept.
 */
export function commitEntry(dir: string, integrity: string): string {
  const target = entryDir(integrity);
  try {
    renameSync(dir, target);
  } catch (error) {
    if (!hasManifest(target)) throw error;
  }
  return target;
}

const SKIP = new Set(['.git', 'node_modules']);

/** Files under `root` as sorted `/` paths, without .git and node_modules; links are followed, as the copy does. */
export function listFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string, rel: string, ancestors: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const path = join(dir, entry.name);
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      const stat = entry.isSymbolicLink() ? statSync(path) : entry;
      if (stat.isFile()) files.push(relPath);
      if (!stat.isDirectory()) continue;
      const real = realpathSync(path);
      if (ancestors.includes(real)) throw new UserError(`Kit folder has a link loop at ${relPath}`, 'Remove the link, or make it point outside the kit');
      walk(path, relPath, [...ancestors, real]);
    }
  };
  walk(root, '', [realpathSync(root)]);
  return files.sort();
}

/** The folder kit's integrity: each sorted path, NUL, its bytes, NUL, through sha512. */
export function hashTree(root: string, files: string[]): string {
  const hash = createHash('sha512');
  for (const path of files) hash.update(path).update('\0').update(readFileSync(join(root, path))).update('\0');
  return `sha512-${hash.digest('base64')}`;
}

export const hashFile = (file: string) => `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;

/** Links in a fetched tree that lead out of it: a later merge reading through them would copy this machine's files into a project. */
export function linksOutside(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      if (!entry.isSymbolicLink()) continue;
      const target = relative(root, resolve(dirname(path), readlinkSync(path)));
      if (target.split(/[\\/]/)[0] === '..' || isAbsolute(target)) found.push(relative(root, path));
    }
  };
  walk(root);
  return found;
}
