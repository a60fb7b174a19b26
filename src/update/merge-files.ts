// Per file, what `update` does with the user's copy (ours), given what the old version generated
// (base) and what the new one generates (theirs): the decision table, and the merges it calls.
import { mergeText, type ConflictStyle } from './merge-text.ts';
import { mergeTemplate } from './merge-template.ts';

export interface Rendered {
  content: string;
  mode: number;
}

export type Outcome =
  /** ours was what the old version generated: it becomes the new version's file. */
  | 'updated'
  /** Both changed it, in different places: merged. */
  | 'merged'
  | 'conflicted'
  | 'created'
  | 'deleted'
  /** A change of the new version not applied: the user deleted the file, or changed one the new version deletes. */
  | 'left alone';

export interface FileChange {
  path: string;
  outcome: Outcome;
  /** Why a file was left alone. */
  reason?: string;
  /** The file's new content and mode (absent for deleted and left alone). */
  content?: string;
  mode?: number;
  /** The user's file before, for the diff. */
  before?: string;
  /** Where its conflicts are: lines, and for the template the property paths. */
  conflicts?: { line: number; what?: string }[];
  /** With --conflict rej: the .rej file's text. */
  rejects?: string;
}

export interface MergeOptions {
  conflict: ConflictStyle;
  /** Names the new version in conflict markers: `create-container-lambda 1.3.0`. */
  theirsLabel: string;
  /** The SAM template's path: merged by resource and property rather than by line. */
  template: string;
}

/** What to do with one path. `ours` is the user's file (undefined: there is none). */
export function mergeFile(path: string, base: Rendered | undefined, theirs: Rendered | undefined, ours: Rendered | undefined, o: MergeOptions): FileChange | undefined {
  const same = (x?: Rendered, y?: Rendered) => x?.content === y?.content;
  if (same(base, theirs) && base?.mode === theirs?.mode) return undefined; // the new version changed nothing here
  if (!theirs) {
    if (!ours) return undefined;
    if (same(ours, base)) return { path, outcome: 'deleted', before: ours.content };
    return { path, outcome: 'left alone', reason: 'the new version no longer generates it; you changed it' };
  }
  if (!ours) {
    if (base) return { path, outcome: 'left alone', reason: 'you deleted it' };
    return { path, outcome: 'created', content: theirs.content, mode: theirs.mode };
  }
  // Executable or not: the new version's, unless the user changed it.
  const mode = base && ours.mode !== base.mode ? ours.mode : theirs.mode;
  if (same(ours, theirs)) return ours.mode === mode ? undefined : { path, outcome: 'updated', content: ours.content, mode, before: ours.content };
  if (base && same(ours, base)) return { path, outcome: 'updated', content: theirs.content, mode, before: ours.content };
  if (base && same(theirs, base)) return ours.mode === mode ? undefined : { path, outcome: 'updated', content: ours.content, mode, before: ours.content };
  // Both changed it (or both made it): merged.
  const merged =
    path === o.template
      ? templateMerge(base?.content ?? '', ours.content, theirs.content, path, o)
      : textMerge(base?.content ?? '', ours.content, theirs.content, path, o);
  if (merged.text === ours.content && !merged.conflicts.length && ours.mode === mode) return undefined;
  return {
    path,
    outcome: merged.conflicts.length ? 'conflicted' : 'merged',
    content: merged.text,
    mode,
    before: ours.content,
    ...(merged.conflicts.length ? { conflicts: merged.conflicts } : {}),
    ...(merged.rejects ? { rejects: merged.rejects } : {}),
  };
}

function textMerge(base: string, ours: string, theirs: string, file: string, o: MergeOptions) {
  const m = mergeText(base, ours, theirs, { file, conflict: o.conflict, theirsLabel: o.theirsLabel });
  return { text: m.text, conflicts: m.conflicts.map((line) => ({ line })), rejects: m.rejects };
}

function templateMerge(base: string, ours: string, theirs: string, file: string, o: MergeOptions) {
  const m = mergeTemplate(base, ours, theirs, { file, conflict: o.conflict, theirsLabel: o.theirsLabel });
  return { text: m.text, conflicts: m.conflicts.map((c) => ({ line: c.line, what: c.path.join('.') })), rejects: m.rejects };
}
