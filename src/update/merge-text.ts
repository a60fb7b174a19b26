// The line merge of a file both the user and the new version changed: a three-way merge (base = what
// the old version generated), with git-style conflict markers or, kept aside, a .rej file.
import { diff3Merge } from 'node-diff3';

export type ConflictStyle = 'inline' | 'rej';

export interface TextMerge {
  text: string;
  /** 1-based line of each conflict in `text` (its first marker, or with rej the user's lines). */
  conflicts: number[];
  /** With rej: what could not be applied, as hunks of the user's and the new version's lines. */
  rejects?: string;
}

/** Lines with their line endings, so the merged text keeps the file's own. */
const lines = (text: string) => text.split(/(?<=\n)/).filter((l) => l !== '');

/** A final line without a newline gets one before a marker follows it. */
const ended = (block: string[], eol: string) => block.map((l, i) => (i === block.length - 1 && !l.endsWith('\n') ? l + eol : l));

export function mergeText(base: string, ours: string, theirs: string, o: { file: string; conflict: ConflictStyle; theirsLabel: string }): TextMerge {
  const eol = ours.includes('\r\n') ? '\r\n' : '\n';
  const out: string[] = [];
  const conflicts: number[] = [];
  const rejects: string[] = [];
  for (const region of diff3Merge(lines(ours), lines(base), lines(theirs), { excludeFalseConflicts: true })) {
    if (region.ok) {
      out.push(...(region.ok as string[]));
      continue;
    }
    const { a, b } = region.conflict as { a: string[]; b: string[] };
    conflicts.push(out.length + 1);
    if (o.conflict === 'inline') {
      out.push(`<<<<<<< yours${eol}`, ...ended(a, eol), `=======${eol}`, ...ended(b, eol), `>>>>>>> ${o.theirsLabel}${eol}`);
    } else {
      rejects.push(`@@ ${o.file}:${out.length + 1} @@\n`, ...ended(a, '\n').map((l) => `-${l}`), ...ended(b, '\n').map((l) => `+${l}`));
      out.push(...a);
    }
  }
  return { text: out.join(''), conflicts, ...(rejects.length ? { rejects: `# ${o.file}: yours (-) and ${o.theirsLabel} (+) changed the same lines\n${rejects.join('')}` } : {}) };
}
