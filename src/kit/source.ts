// Fetches a kit from where the user keeps it (a folder, a .tgz, a git repository, an npm package) into
// the cache, and opens the kit a project recorded, offline when the cache has it. A kit's code never runs
// here: npm packs with --ignore-scripts and git clones with hooks off. zx is loaded only for those two and tar.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { cacheRoot, COMMIT, commitEntry, entryDir, hashFile, hashTree, hasManifest, linksOutside, listFiles, staged } from './cache.ts';

export { cacheRoot } from './cache.ts';

export type KitKind = 'folder' | 'tarball' | 'npm' | 'git';
export interface KitLocation {
  /** Local folder holding the kit's manifest, inside the cache (never the user's source folder). */
  dir: string;
  kind: KitKind;
  /** What to record: absolute path for folder/tarball (the caller relativizes), `name@version` for npm, the git+ URL with #<ref> for git. */
  source: string;
  /**
   * sha512-<base64> (SRI, as npm writes it) of the tarball for npm/tarball; of the file tree for folders (sorted
   * relative `/` paths, each path + NUL + bytes + NUL, .git and node_modules at any depth excluded); the commit for git.
   */
  integrity: string;
}

type Spec =
  | { kind: 'folder' | 'tarball'; path: string; missing: boolean }
  | { kind: 'git'; url: string; ref?: string }
  | { kind: 'npm'; spec: string };

const TARBALL = /\.(tgz|tar\.gz)$/i;
const NOT_FOUND_HINT = 'Pass a kit folder (with container-lambda-kit.json), a .tgz, git+<url>[#<ref>] or an npm package';

/** What `spec` names. Only a path that exists is a folder or tarball; one that merely looks like a path is a missing one, not an npm name. */
function classify(spec: string, base: string): Spec {
  if (spec.startsWith('git+')) {
    const hash = spec.indexOf('#');
    const ref = hash < 0 ? undefined : spec.slice(hash + 1) || undefined;
    return { kind: 'git', url: gitUrl(spec.slice(4, hash < 0 ? undefined : hash)), ref };
  }
  const path = resolve(base, spec);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isDirectory()) return { kind: 'folder', path, missing: false };
  if (stat?.isFile() && TARBALL.test(spec)) return { kind: 'tarball', path, missing: false };
  if (stat) throw new UserError(`Kit source ${spec} is neither a folder nor a .tgz file`, NOT_FOUND_HINT);
  const pathLike = isAbsolute(spec) || /^\.\.?([\\/]|$)/.test(spec);
  // `kit.tgz` is a file to npm too; `file:kit.tgz` and `https://host/kit.tgz` are npm specs.
  if (pathLike || (TARBALL.test(spec) && !/^[a-z][a-z0-9+.-]+:/i.test(spec))) return { kind: TARBALL.test(spec) ? 'tarball' : 'folder', path, missing: true };
  // npm resolves a relative file: spec from the nearest package.json above its working folder, not from `base`.
  const file = /^file:(?!\/)(.+)$/.exec(spec);
  return { kind: 'npm', spec: file ? `file:${resolve(base, file[1]!)}` : spec };
}

/** npm writes `git+ssh://git@host:org/repo`; git reads `host:org` as a port there and wants the scp form. */
function gitUrl(url: string): string {
  const scp = /^ssh:\/\/([^/@]+@)?([^/:]+):(?!\d+\/)(.+)$/.exec(url);
  return scp ? `${scp[1] ?? ''}${scp[2]}:${scp[3]}` : url;
}

/**
 * Classifies and fetches `spec`: an existing folder, an existing .tgz/.tar.gz file, `git+<url>[#<ref>]`, else an
 * npm package spec. Relative paths resolve from `base`. The source is always read; the cache entry is reused when
 * its integrity matches.
 */
export async function fetchKit(spec: string, base: string): Promise<KitLocation> {
  return fsErrors(spec, () => {
    const s = classify(spec, base);
    if (s.kind === 'git') return fetchGit(s.url, s.ref, spec);
    if (s.kind === 'npm') return fetchNpm(s.spec, spec, base);
    if (s.missing) throw new UserError(`Kit source ${spec} not found`, NOT_FOUND_HINT);
    return s.kind === 'folder' ? fetchFolder(s.path, spec) : fetchTarball(s.path, spec);
  });
}

/** A file that cannot be read (the kit's) or written (the cache's) is the user's to fix: one line, not a stack. */
async function fsErrors<T>(spec: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (error instanceof UserError || !e.code || !e.syscall) throw error;
    throw new UserError(`Cannot fetch kit ${spec}: ${e.code} on ${e.path ?? e.syscall}`, `Check that the kit can be read and the cache (${cacheRoot()}) written`);
  }
}

/**
 * The kit a project recorded, offline from the cache when it is there; otherwise fetched again from `source`
 * and verified. A missing source, or one whose integrity differs from the recorded one, is a UserError.
 */
export async function openRecordedKit(recorded: { source: string; integrity: string }, base: string): Promise<KitLocation> {
  const cached = entryDir(recorded.integrity);
  const s = classify(recorded.source, base);
  if (existsSync(cached)) return { dir: cached, kind: s.kind, source: recorded.source, integrity: recorded.integrity };
  if (s.kind !== 'git' && s.kind !== 'npm' && s.missing) {
    throw new UserError(
      `Kit source ${recorded.source} not found, and kit ${short(recorded.integrity)} is not in the cache`,
      'Restore the kit at that path (the project recorded it there), or apply a kit again',
    );
  }
  const now = await fetchKit(recorded.source, base);
  if (now.integrity !== recorded.integrity) {
    throw new UserError(
      `Kit source ${recorded.source} changed: the project recorded ${short(recorded.integrity)}, it is now ${short(now.integrity)}`,
      'Restore the recorded version of the kit, or apply the kit again to record the new one',
    );
  }
  return { ...now, source: recorded.source };
}

/** 12 characters of the digest itself: `sha512-` alone tells two kits apart by 5. */
const short = (integrity: string) => integrity.slice(0, integrity.startsWith('sha512-') ? 19 : 12);

function notAKit(shown: string, where = 'at its root'): UserError {
  return new UserError(`${shown} is not a kit: no container-lambda-kit.json`, `A kit has container-lambda-kit.json (or .yaml) ${where}`);
}

async function fetchFolder(path: string, shown: string): Promise<KitLocation> {
  if (!hasManifest(path)) throw notAKit(shown);
  const location = (dir: string, integrity: string): KitLocation => ({ dir, kind: 'folder', source: path, integrity });
  const files = listFiles(path);
  const integrity = hashTree(path, files);
  if (existsSync(entryDir(integrity))) return location(entryDir(integrity), integrity);
  return staged(async (stage) => {
    const tree = join(stage, 'tree');
    for (const dir of new Set(files.map((f) => dirname(join(tree, f))))) mkdirSync(dir, { recursive: true });
    for (const file of files) copyFileSync(join(path, file), join(tree, file));
    // Hashed again from the copy: a file edited while copying must not land under the older integrity.
    const copied = hashTree(tree, files);
    return location(commitEntry(tree, copied), copied);
  });
}

async function fetchTarball(path: string, shown: string): Promise<KitLocation> {
  return staged(async (stage) => {
    // A private copy: what is hashed is what is extracted, even if the file is replaced meanwhile.
    copyFileSync(path, join(stage, 'kit.tgz'));
    const integrity = hashFile(join(stage, 'kit.tgz'));
    return { dir: await unpack(stage, 'kit.tgz', integrity, shown), kind: 'tarball', source: path, integrity };
  });
}

interface PackResult {
  name: string;
  version: string;
  filename: string;
  integrity: string;
}

async function fetchNpm(spec: string, shown: string, base: string): Promise<KitLocation> {
  // In `base`, so the project's .npmrc (an org registry) applies. The env copy of --ignore-scripts reaches the
  // `npm install` that npm itself spawns to prepare a git-hosted package (github:org/kit), whose flags do not carry it.
  const $ = (await shell(existsSync(base) ? base : undefined))({ env: { ...process.env, npm_config_ignore_scripts: 'true' } });
  return staged(async (stage) => {
    let stdout: string;
    try {
      stdout = (await $`npm pack ${spec} --json --ignore-scripts --pack-destination ${stage}`).stdout;
    } catch (error) {
      throw new UserError(`npm could not fetch kit ${shown}: ${npmError(error)}`, 'Check the package name and version, and that npm reaches its registry (npm config get registry)');
    }
    const pack = parsePack(stdout);
    if (!pack?.filename) throw new UserError(`npm pack ${shown} reported no tarball`, 'Run it by hand to see why: npm pack --json --ignore-scripts <spec>');
    const integrity = hashFile(join(stage, pack.filename));
    if (pack.integrity !== integrity) {
      throw new UserError(`npm pack ${shown} wrote a tarball whose sha512 is not the one it reported`, 'Clear npm\'s cache (npm cache verify) and try again');
    }
    return { dir: await unpack(stage, pack.filename, integrity, shown), kind: 'npm', source: `${pack.name}@${pack.version}`, integrity };
  });
}

function parsePack(stdout: string): PackResult | undefined {
  try {
    return (JSON.parse(stdout) as PackResult[])[0];
  } catch {
    return undefined;
  }
}

/** Extracts `stage/<tgz>` into its cache entry. The kit is the tarball's root, or its one top folder (npm's `package/`). */
async function unpack(stage: string, tgz: string, integrity: string, shown: string): Promise<string> {
  if (existsSync(entryDir(integrity))) return entryDir(integrity);
  const tree = join(stage, 'tree');
  mkdirSync(tree);
  const $ = await shell(stage);
  try {
    // Relative names: Git Bash's GNU tar reads `C:\...` as a remote host. Owners from the archive are not ours.
    await $`tar -xzf ${tgz} -C tree --no-same-owner`;
  } catch (error) {
    throw new UserError(`Cannot extract kit ${shown}: ${firstLine(error)}`, 'Pass a gzipped tarball, such as npm pack writes');
  }
  const top = readdirSync(tree, { withFileTypes: true });
  const only = top.length === 1 && top[0]!.isDirectory() ? join(tree, top[0]!.name) : undefined;
  const kit = hasManifest(tree) ? tree : only && hasManifest(only) ? only : undefined;
  if (!kit) throw notAKit(shown, 'at its root or in its one top folder');
  return commitEntry(checkLinks(kit, shown), integrity);
}

async function fetchGit(url: string, ref: string | undefined, shown: string): Promise<KitLocation> {
  const $ = await shell();
  return staged(async (stage) => {
    const tree = join(stage, 'tree');
    const git = $({ cwd: tree });
    const noHooks = ['-c', 'core.hooksPath=/dev/null'];
    let commit: string;
    try {
      if (ref && COMMIT.test(ref)) {
        // --branch takes branches and tags only; a commit is fetched by itself (servers allow it for reachable commits).
        mkdirSync(tree);
        await git`git ${noHooks} init --quiet`;
        await git`git ${noHooks} fetch --quiet --depth 1 ${url} ${ref}`;
        await git`git ${noHooks} -c advice.detachedHead=false checkout --quiet FETCH_HEAD`;
      } else {
        await $`git clone --quiet --depth 1 ${ref ? ['--branch', ref] : []} ${noHooks} ${url} ${tree}`;
      }
      commit = (await git`git rev-parse HEAD`).stdout.trim();
    } catch (error) {
      throw new UserError(`git could not fetch kit ${shown}: ${gitError(error)}`, 'Check the URL and that the branch, tag or commit after # exists there');
    }
    rmSync(join(tree, '.git'), { recursive: true, force: true });
    if (!hasManifest(tree)) throw notAKit(shown);
    // No ref: record the commit, or the next fetch of the default branch would call the kit changed.
    const source = `git+${url}#${ref ?? commit}`;
    if (existsSync(entryDir(commit))) return { dir: entryDir(commit), kind: 'git', source, integrity: commit };
    return { dir: commitEntry(checkLinks(tree, shown), commit), kind: 'git', source, integrity: commit };
  });
}

function checkLinks(dir: string, shown: string): string {
  const outside = linksOutside(dir);
  if (outside.length > 0) throw new UserError(`Kit ${shown} has links that lead outside it (${outside.join(', ')})`, 'Replace the links with the files they point to');
  return dir;
}

async function shell(cwd?: string) {
  const { $ } = await import('zx/core');
  return $({ quiet: true, verbose: false, cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
}

const stderrOf = (error: unknown) => String((error as { stderr?: string }).stderr || (error as Error).message);

function firstLine(error: unknown): string {
  return stderrOf(error).split('\n').map((l) => l.trim()).find(Boolean) ?? 'unknown error';
}

/** git's reason is its first fatal/error line; a warning before it (e.g. "Could not find remote branch") only restates it. */
function gitError(error: unknown): string {
  const lines = stderrOf(error).split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0] ?? 'unknown error').replace(/^(fatal|error):\s*/, '');
}

/** With --json npm puts its error on stdout as {error: {summary}}; its stderr opens with code/errno lines that say less. */
function npmError(error: unknown): string {
  try {
    const summary = (JSON.parse((error as { stdout?: string }).stdout ?? '') as { error?: { summary?: string } }).error?.summary;
    if (summary) return summary.split('\n')[0]!;
  } catch {
    // Not JSON (an older npm, or npm never started): read stderr.
  }
  const meaningful = stderrOf(error)
    .split('\n')
    .map((l) => l.replace(/^npm (error|ERR!)\s*/, '').trim())
    .filter((l) => l && !/^(code|syscall|path|errno)\b/.test(l) && !/^npm warn/i.test(l) && !l.startsWith('A complete log'));
  return meaningful[0] ?? firstLine(error);
}
