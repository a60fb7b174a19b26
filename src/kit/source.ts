// Fetching a kit into the cache, with its integrity: a folder (copied), a tarball (npm pack's
// format), an npm package spec (`npm pack --ignore-scripts`), or a git repository
// (`git+<url>#<ref>`, cloned at depth 1 without hooks). No kit code or install script ever runs
// here. Cache entries are keyed by integrity and written through a temporary sibling and a rename.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { MANIFEST_NAMES } from './manifest.ts';

export type KitKind = 'folder' | 'tarball' | 'npm' | 'git';

export interface KitLocation {
  /** The folder holding the kit's manifest, inside the cache. */
  dir: string;
  kind: KitKind;
  /** What a project records: an absolute path (folder, tarball), name@version (npm), the git+ URL#ref. */
  source: string;
  /** sha512-<base64> of the tarball or the file tree, or the git commit. */
  integrity: string;
}

export function cacheRoot(): string {
  if (process.env.CREATE_CONTAINER_LAMBDA_CACHE) return resolve(process.env.CREATE_CONTAINER_LAMBDA_CACHE);
  if (process.platform === 'win32' && process.env.LOCALAPPDATA) return join(process.env.LOCALAPPDATA, 'create-container-lambda');
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'create-container-lambda');
}

const SKIP = new Set(['.git', 'node_modules']);

function treeFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !SKIP.has(e.name))
    .flatMap((e) => (e.isDirectory() ? treeFiles(root, join(dir, e.name)) : [join(dir, e.name).slice(root.length + 1).split('\\').join('/')]))
    .sort();
}

/** sha512 of a file tree: each path, NUL, its bytes, NUL, in path order. */
export function treeIntegrity(root: string): string {
  const hash = createHash('sha512');
  for (const path of treeFiles(root)) hash.update(path).update('\0').update(readFileSync(join(root, path))).update('\0');
  return `sha512-${hash.digest('base64')}`;
}

const fileIntegrity = (path: string) => `sha512-${createHash('sha512').update(readFileSync(path)).digest('base64')}`;

/** The cache folder of an integrity (base64 made file-name safe). */
function entryFor(integrity: string): string {
  return join(cacheRoot(), 'kits', createHash('sha256').update(integrity).digest('hex').slice(0, 32));
}

function hasManifest(dir: string): boolean {
  return MANIFEST_NAMES.some((name) => existsSync(join(dir, name)));
}

/** Moves a filled temporary folder into the cache entry of `integrity` (another run may have made it first). */
function store(filled: string, integrity: string): string {
  const entry = entryFor(integrity);
  if (existsSync(entry)) {
    rmSync(filled, { recursive: true, force: true });
    return entry;
  }
  mkdirSync(join(cacheRoot(), 'kits'), { recursive: true });
  try {
    renameSync(filled, entry);
  } catch (error) {
    rmSync(filled, { recursive: true, force: true });
    if (!existsSync(entry)) throw error;
  }
  return entry;
}

/** A temporary folder inside the cache (same disk as the entries, so the rename is atomic). */
function staging(): string {
  mkdirSync(join(cacheRoot(), 'kits'), { recursive: true });
  return mkdtempSync(join(cacheRoot(), 'kits', '.fetch-'));
}

function located(dir: string, kind: KitKind, source: string, integrity: string): KitLocation {
  if (!hasManifest(dir)) throw new UserError(`${source} is not a kit: it has no ${MANIFEST_NAMES[0]}`, 'Point --kit at a folder, package or repository with a kit manifest at its top');
  return { dir, kind, source, integrity };
}

async function shell() {
  const { $ } = await import('zx');
  return $({ quiet: true, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
}

/** The first line of a failed command's output that says something. */
function why(error: unknown): string {
  const out = String((error as { stderr?: string }).stderr ?? (error as Error).message ?? error);
  const fatal = out.split('\n').find((l) => /^(fatal|error):/i.test(l));
  if (fatal) return fatal.replace(/^(fatal|error):\s*/i, '').trim();
  return out.split('\n').map((l) => l.replace(/^(npm (error|ERR!)|fatal:|error:)\s*/i, '').trim()).find((l) => l && !/^code E|^A complete log/.test(l)) ?? 'failed';
}

function fromFolder(path: string): KitLocation {
  const integrity = treeIntegrity(path);
  const entry = entryFor(integrity);
  if (!existsSync(entry)) {
    const temp = staging();
    cpSync(path, temp, { recursive: true, filter: (src) => !SKIP.has(src.split(/[\\/]/).pop()!) });
    store(temp, integrity);
  }
  return located(entry, 'folder', path, integrity);
}

async function unpack(tarball: string, integrity: string, kind: KitKind, source: string): Promise<KitLocation> {
  const entry = entryFor(integrity);
  if (!existsSync(entry)) {
    const temp = staging();
    try {
      const $ = await shell();
      await $`tar -xzf ${tarball} -C ${temp}`;
    } catch (error) {
      rmSync(temp, { recursive: true, force: true });
      throw new UserError(`Cannot unpack kit ${source}: ${why(error)}`, 'Pass a tarball made by npm pack');
    }
    // npm tarballs hold one folder, package/.
    const inner = existsSync(join(temp, 'package')) && !hasManifest(temp) ? join(temp, 'package') : temp;
    if (inner !== temp) {
      const moved = `${temp}-kit`;
      renameSync(inner, moved);
      rmSync(temp, { recursive: true, force: true });
      store(moved, integrity);
    } else store(temp, integrity);
  }
  return located(entry, kind, source, integrity);
}

async function fromNpm(spec: string, base: string): Promise<KitLocation> {
  const temp = mkdtempSync(join(tmpdir(), 'ccl-pack-'));
  try {
    const $ = await shell();
    let packed: { name: string; version: string; filename: string; integrity: string };
    try {
      const result = await $({ cwd: base })`npm pack ${spec} --json --ignore-scripts --pack-destination ${temp}`;
      packed = (JSON.parse(result.stdout) as (typeof packed)[])[0]!;
    } catch (error) {
      throw new UserError(`Cannot fetch kit ${spec} from npm: ${why(error)}`, 'Check the package name and your registry settings (npm config get registry)');
    }
    return await unpack(join(temp, packed.filename), packed.integrity, 'npm', `${packed.name}@${packed.version}`);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

async function fromGit(spec: string): Promise<KitLocation> {
  const hash = spec.indexOf('#');
  const url = spec.slice('git+'.length, hash === -1 ? undefined : hash);
  const ref = hash === -1 ? '' : spec.slice(hash + 1);
  const temp = mkdtempSync(join(tmpdir(), 'ccl-git-'));
  try {
    const $ = await shell();
    const git = (args: string[]) => $({ cwd: temp })`git -c core.hooksPath=/dev/null ${args}`;
    try {
      if (/^[0-9a-f]{40}$/.test(ref)) {
        await git(['init', '-q']);
        await git(['fetch', '-q', '--depth', '1', url, ref]);
        await git(['checkout', '-q', 'FETCH_HEAD']);
      } else {
        await git(['clone', '-q', '--depth', '1', ...(ref ? ['--branch', ref] : []), url, '.']);
      }
    } catch (error) {
      throw new UserError(`Cannot fetch kit ${spec}: ${why(error)}`, 'Check the repository URL and the ref after # (a tag, branch or commit)');
    }
    const commit = (await git(['rev-parse', 'HEAD'])).stdout.trim();
    const entry = entryFor(commit);
    if (!existsSync(entry)) {
      rmSync(join(temp, '.git'), { recursive: true, force: true });
      const filled = staging();
      cpSync(temp, filled, { recursive: true });
      store(filled, commit);
    }
    return located(entry, 'git', spec, commit);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

const isTarball = (path: string) => /\.(tgz|tar\.gz)$/.test(path) && existsSync(path) && statSync(path).isFile();

/** Fetches the kit `spec` names; relative paths resolve from `base`. */
export async function fetchKit(spec: string, base: string): Promise<KitLocation> {
  if (spec.startsWith('git+')) return fromGit(spec);
  const path = resolve(base, spec);
  if (existsSync(path) && statSync(path).isDirectory()) return fromFolder(path);
  if (isTarball(path)) return unpack(path, fileIntegrity(path), 'tarball', path);
  if (/^(\.|\/|~)|\.(tgz|tar\.gz)$/.test(spec) || /^[A-Za-z]:[\\/]/.test(spec)) {
    throw new UserError(`Kit source ${spec} not found`, 'Pass a kit folder, a .tgz made by npm pack, an npm package name or git+<url>#<ref>');
  }
  return fromNpm(spec, base);
}

/** The kit a project recorded: from the cache when it is there, else fetched again and verified. */
export async function openRecordedKit(recorded: { source: string; integrity: string }, base: string): Promise<KitLocation> {
  const entry = entryFor(recorded.integrity);
  const kind: KitKind = recorded.source.startsWith('git+') ? 'git' : /\.(tgz|tar\.gz)$/.test(recorded.source) ? 'tarball' : existsSync(resolve(base, recorded.source)) || recorded.source.startsWith('.') ? 'folder' : 'npm';
  const source = kind === 'folder' || kind === 'tarball' ? resolve(base, recorded.source) : recorded.source;
  if (existsSync(entry) && hasManifest(entry)) return { dir: entry, kind, source, integrity: recorded.integrity };
  if ((kind === 'folder' || kind === 'tarball') && !existsSync(source)) {
    throw new UserError(`The project's kit source ${recorded.source} is missing, and the kit is not in the cache`, 'Restore the kit at that path (or run where the cache has it)');
  }
  const fetched = await fetchKit(kind === 'folder' || kind === 'tarball' ? source : recorded.source, base);
  if (fetched.integrity !== recorded.integrity) {
    throw new UserError(
      `The project's kit source ${recorded.source} changed: recorded ${recorded.integrity.slice(0, 19)}..., now ${fetched.integrity.slice(0, 19)}...`,
      'Restore the recorded version of the kit, or re-create the project with the new one',
    );
  }
  return fetched;
}
