// Debian's testing suite unpacked into a folder (test/languages/install-newer-debian.sh): the Python and
// Ruby versions that neither bookworm nor pyenv have here. Commands run there with chroot, in a copy of
// the generated project (the tests read ../../events, so the whole project goes in).
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { sh, type ShResult } from './sh.ts';

export const NEWER_DEBIAN = process.env.NEWER_DEBIAN_ROOT ?? join(homedir(), '.cache', 'create-container-lambda', 'debian-forky');

export function newerDebianHas(command: string): boolean {
  return existsSync(join(NEWER_DEBIAN, 'usr', 'bin', command));
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A folder inside the root, removed by the caller; `inside` is its path as the chroot sees it. */
export function newerDebianFolder(prefix: string): { outside: string; inside: string; remove: () => void } {
  const outside = mkdtempSync(join(NEWER_DEBIAN, 'tmp', prefix));
  return { outside, inside: `/${relative(NEWER_DEBIAN, outside)}`, remove: () => rmSync(outside, { recursive: true, force: true }) };
}

/** Runs `line` inside the root, in `sub` of a copy of `project`, with `env` exported. */
export function inNewerDebian(line: string, project: string, sub: string, env: Record<string, string> = {}): ShResult {
  const copy = newerDebianFolder('ccl-project-');
  try {
    cpSync(project, copy.outside, { recursive: true });
    const exports = Object.entries(env).map(([k, v]) => `export ${k}=${quote(v)}; `).join('');
    return sh(`chroot ${quote(NEWER_DEBIAN)} /bin/sh -c ${quote(`${exports}cd ${quote(join(copy.inside, sub))} && ${line}`)}`, project);
  } finally {
    copy.remove();
  }
}
