// The safety net of the template merge, before anything is written: the merged text must parse (as
// JSON too when it was JSON) and read back as ours with the merge's decisions applied. In a long
// template only what the edits wrote is parsed: every section but Resources and Outputs, and of those
// the entries an edit touched (and the last, which closes a JSON object); the other entries are text
// ours already had, which the outline (template-outline.ts) finds by their keys.
import { isDeepStrictEqual } from 'node:util';
import { parseDocument } from 'yaml';
import { nodeToLongForm, toLongForm } from '../sam/cfn-tags.ts';
import { READ_OPTIONS } from '../sam/read-template.ts';
import { outline, type Span } from '../sam/template-outline.ts';
import type { Decision, Side } from './template-changes.ts';

type Json = Record<string, unknown>;

/** Ours as CloudFormation reads it after `decisions`. */
export function expected(ours: Side, theirs: Side, decisions: Decision[]): Json {
  const root = structuredClone(toLongForm(ours.doc)) as Json;
  for (const d of decisions) {
    const parent = d.path.slice(0, -1).reduce<Json>((o, k) => o[k] as Json, root);
    const key = d.path.at(-1)!;
    if (d.kind === 'remove' || (d.kind === 'conflict' && !d.value)) delete parent[key];
    else parent[key] = nodeToLongForm(d.value, theirs.doc);
  }
  return root;
}

const keysMatch = (spans: Span[], value: unknown) =>
  !!value && typeof value === 'object' && isDeepStrictEqual(spans.map((s) => s.key).sort(), Object.keys(value).sort());

/** Throws when `text` does not parse or does not read as `want`. `touched`: the ranges edits wrote. */
export function checkMerged(text: string, want: Json, touched: [number, number][], json: boolean, file: string): void {
  const fail = (why: string) => {
    throw new Error(`Merging ${file} failed: ${why}`);
  };
  if (json) {
    try {
      JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      fail((error as Error).message);
    }
  }
  const sections = outline(text);
  const near = (e: Span) => touched.some(([from, to]) => e.start <= to && from <= e.end);
  const pieces: Span[] = [];
  for (const s of sections ?? []) {
    if (!s.entries) pieces.push(s);
    else pieces.push({ ...s, end: s.entries[0]!.start }, ...s.entries.filter((e, i) => near(e) || i === s.entries!.length - 1));
  }
  const doc = parseDocument(sections ? pieces.map((p) => text.slice(p.start, p.end)).join('') : text, READ_OPTIONS);
  if (doc.errors[0]) fail(doc.errors[0].message.split('\n')[0]!);
  const got = toLongForm(doc) as Json;
  const same = sections
    ? keysMatch(sections, want) &&
      sections.every((s) => {
        if (!s.entries) return isDeepStrictEqual(got[s.key], want[s.key]);
        const [all, parsed] = [want[s.key] as Json, got[s.key] as Json];
        const kept = pieces.filter((p) => s.entries!.includes(p)).length;
        return keysMatch(s.entries, all) && Object.keys(parsed).length === kept && Object.keys(parsed).every((k) => isDeepStrictEqual(parsed[k], all[k]));
      })
    : isDeepStrictEqual(got, want);
  if (!same) fail('the result does not read back as the merged template');
}
