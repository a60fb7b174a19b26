// What `update` prints: per file what happened and where its conflicts are, a count of each, and with
// --dry-run the unified diff of every change it would make.
import type { FileChange, Outcome } from './merge-files.ts';

const ORDER: Outcome[] = ['updated', 'merged', 'created', 'deleted', 'conflicted', 'left alone'];

export const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function summary(changes: FileChange[], verb: { done: boolean }): string[] {
  const width = Math.max(...ORDER.map((o) => o.length));
  const lines = [...changes]
    .sort((a, b) => ORDER.indexOf(a.outcome) - ORDER.indexOf(b.outcome))
    .flatMap((c) => {
      const head = `  ${c.outcome.padEnd(width)}  ${c.path}${c.reason ? ` (${c.reason})` : ''}`;
      const where = (c.conflicts ?? []).map((x) => `  ${''.padEnd(width)}    ${c.rejects ? `${c.path}.rej: ` : ''}${c.path}:${x.line}${x.what ? ` ${x.what}` : ''}`);
      return [head, ...where];
    });
  const count = (o: Outcome) => changes.filter((c) => c.outcome === o).length;
  const conflicts = changes.reduce((n, c) => n + (c.conflicts?.length ?? 0), 0);
  const totals = `${plural(count('updated') + count('created') + count('deleted'), 'file')} ${verb.done ? 'updated' : 'to update'}, ${count('merged')} merged, ${plural(conflicts, 'conflict')} in ${plural(count('conflicted'), 'file')}, ${count('left alone')} left alone`;
  return [...lines, totals];
}

/** The unified diff of each change (what --dry-run prints). */
export async function diffOf(changes: FileChange[]): Promise<string> {
  const { createTwoFilesPatch } = await import('diff');
  return changes
    .filter((c) => c.content !== undefined || c.outcome === 'deleted')
    .map((c) => {
      const before = c.before ?? '';
      const after = c.content ?? '';
      const from = c.before === undefined ? '/dev/null' : `a/${c.path}`;
      const to = c.outcome === 'deleted' ? '/dev/null' : `b/${c.path}`;
      return createTwoFilesPatch(from, to, before, after, undefined, undefined, { context: 3 }).replace(/^=+\n/, '');
    })
    .join('');
}
