// The files a generator reads from an existing project: the disk, or a project held in memory (the
// renders of `update`, which never touch the disk). Paths are absolute.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { relative } from 'node:path';

export interface ProjectFiles {
  exists(path: string): boolean;
  read(path: string): string;
  mode(path: string): number;
  /** The names in a folder (none when it does not exist). */
  list(dir: string): string[];
}

export const disk: ProjectFiles = {
  exists: (path) => existsSync(path),
  read: (path) => readFileSync(path, 'utf8'),
  mode: (path) => statSync(path).mode & 0o777,
  list: (dir) => (existsSync(dir) ? readdirSync(dir) : []),
};

/** A project in memory: `/`-separated paths relative to `root`, each with its content and mode. */
export function inMemory(root: string, tree: Map<string, { content: string; mode: number }>): ProjectFiles {
  const key = (path: string) => relative(root, path).split('\\').join('/');
  const get = (path: string) => {
    const file = tree.get(key(path));
    if (!file) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
    return file;
  };
  // The folders, worked out again only when files were added or removed.
  let folders = new Set<string>();
  let counted = -1;
  const isFolder = (k: string) => {
    if (counted !== tree.size) {
      folders = new Set([...tree.keys()].flatMap((p) => p.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
      counted = tree.size;
    }
    return folders.has(k);
  };
  return {
    exists: (path) => tree.has(key(path)) || isFolder(key(path)),
    read: (path) => get(path).content,
    mode: (path) => get(path).mode,
    list: (dir) => {
      const prefix = key(dir) ? `${key(dir)}/` : '';
      return [...new Set([...tree.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length).split('/')[0]!))];
    },
  };
}
