// Whole-tree snapshots: each scenario's generated project is stored as one reviewable text file
// under snapshots/ and compared exactly. Only `npm run test:update` (UPDATE_SNAPSHOTS=1) rewrites them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, readTree, type TreeFile } from './cli.ts';

export const SNAPSHOTS = join(REPO, 'snapshots');

export function renderTree(title: string, tree: Map<string, TreeFile>): string {
  const parts = [`# ${title}`, `# ${tree.size} files`, ''];
  for (const [path, file] of tree) {
    parts.push(`==> ${path} (${file.mode.toString(8)})`);
    parts.push(file.content.endsWith('\n') ? file.content.slice(0, -1) : `${file.content}\n(no final newline)`);
    parts.push('');
  }
  return parts.join('\n');
}

/** Returns undefined when the snapshot matches (or was just written), else a message with the first difference. */
export function compareSnapshot(name: string, actual: string): string | undefined {
  const file = join(SNAPSHOTS, `${name}.snap`);
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    mkdirSync(SNAPSHOTS, { recursive: true });
    writeFileSync(file, actual);
    return undefined;
  }
  if (!existsSync(file)) return `No snapshot ${name}.snap: run npm run test:update and review it`;
  const expected = readFileSync(file, 'utf8');
  if (expected === actual) return undefined;
  const a = actual.split('\n');
  const e = expected.split('\n');
  const line = a.findIndex((text, i) => text !== e[i]);
  const at = line === -1 ? Math.min(a.length, e.length) : line;
  return `snapshots/${name}.snap differs at line ${at + 1}:\n  expected: ${e[at] ?? '(end)'}\n  actual:   ${a[at] ?? '(end)'}\nRun npm run test:update if the change is intended, and review the diff.`;
}

/** A generated project's whole tree against snapshots/<name>.snap: undefined when it matches. */
export function compareProject(name: string, command: string, dir: string): string | undefined {
  return compareSnapshot(name, renderTree(command, readTree(dir)));
}
