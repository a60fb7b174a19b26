// The three-way merge of a SAM template for `update`: the new version's changes to the template
// (base -> theirs) applied to the user's (ours) by what the template means, per section, resource and
// property, so that the user's own resources, comments and properties never conflict with a change to
// another property. Every byte of ours that no change touches stays as it was. A value both sides
// changed is a conflict: git-style markers in the text, or a .rej report with ours left as it is.
import { isMap, parseDocument, type Pair, type YAMLMap } from 'yaml';
import { UserError } from '../errors.ts';
import { READ_OPTIONS } from '../sam/read-template.ts';
import { detectStyle, nextLineStart } from '../sam/template-style.ts';
import { checkMerged, expected } from './merge-check.ts';
import { decide, type Decision, type Side } from './template-changes.ts';
import { insertEdit, lineStart, pairLines, removeEdits, replaceEdit, yamlText, type Edit, type Target } from './template-edits.ts';

export interface TemplateConflict {
  /** Path of keys from the root, e.g. ['Resources', 'HelloFunction', 'Properties', 'Timeout']. */
  path: string[];
  /** 1-based line in the merged text where the conflict is (its marker, or with rej the property). */
  line: number;
  /** The values as YAML text: the user's, the new version's (undefined = absent/removed there). */
  ours?: string;
  theirs?: string;
}

export interface TemplateMerge {
  /** The merged template (ours with theirs' changes applied). */
  text: string;
  conflicts: TemplateConflict[];
  /** Dotted paths of changes applied cleanly, e.g. 'Globals.Function.Tags.CostCenter'. */
  applied: string[];
  /** With conflict 'rej': the text of template.yaml.rej describing each conflict (undefined when none). */
  rejects?: string;
}

export interface MergeOptions {
  /** The template's name in messages and in the .rej report. */
  file: string;
  conflict: 'inline' | 'rej';
  /** Names theirs after the `>>>>>>>` marker and in the report, e.g. the new version. */
  theirsLabel: string;
}

type Conflict = Extract<Decision, { kind: 'conflict' }>;

/** The lines of ours one or more conflicts are on, and the edits that take theirs' side. */
interface Region {
  from: number;
  to: number;
  conflicts: Conflict[];
  theirs: Edit[];
  /** Clean edits within the lines: both sides have them. */
  clean: Edit[];
  /** Clean edits that theirs' side makes its own way (removals that share commas with the conflict's). */
  instead: Edit[];
}

/** One side parsed: ours that does not parse is the user's to fix; base and theirs are generated. */
function parse(text: string, file: string, who: 'ours' | 'generated'): Side {
  const doc = parseDocument(text, READ_OPTIONS);
  const error = doc.errors[0];
  if (who === 'generated' && error) throw new Error(`The generated ${file} does not parse: ${error.message}`);
  if (error) {
    const [line, column] = [error.linePos?.[0].line, error.linePos?.[0].col];
    const markers = /^(<{7}|={7}|>{7})( |\r?$)/m.test(text);
    throw new UserError(`${file}:${line}:${column}: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      markers ? 'Resolve the conflict markers (<<<<<<<, =======, >>>>>>>) first; nothing was changed' : 'Fix the syntax first; nothing was changed');
  }
  if (!isMap(doc.contents)) {
    if (who === 'generated') throw new Error(`The generated ${file} is not a mapping`);
    throw new UserError(`${file} is not a template: its top level is not a mapping`, 'Fix the template first; nothing was changed');
  }
  return { text, doc };
}

/**
 * `text` (which starts at `offset` in ours) with the edits applied, and where in the result they
 * wrote. An insertion goes before a replaced range that starts where it is; insertions at one offset
 * keep their order.
 */
function applied(text: string, edits: Edit[], offset = 0): { text: string; touched: [number, number][] } {
  const width = (e: Edit) => (e.from === e.to ? 0 : 1);
  const sorted = [...edits].sort((a, b) => a.from - b.from || width(a) - width(b));
  const parts: string[] = [];
  const touched: [number, number][] = [];
  let [at, length] = [offset, 0];
  for (const e of sorted) {
    if (e.from < at) throw new Error('Merging the template failed: two edits overlap');
    const before = text.slice(at - offset, e.from - offset);
    parts.push(before, e.text);
    length += before.length;
    touched.push([length, length + e.text.length]);
    length += e.text.length;
    at = e.to;
  }
  parts.push(text.slice(at - offset));
  return { text: parts.join(''), touched };
}

const apply = (text: string, edits: Edit[], offset = 0) => applied(text, edits, offset).text;

/** Checks the text `edits` make of ours against what `decisions` say it reads as. */
function verify(mine: Side, theirs: Side, edits: Edit[], decisions: Decision[], o: MergeOptions, json: boolean): void {
  const { text, touched } = applied(mine.text, edits);
  checkMerged(text, expected(mine, theirs, decisions), touched, json, o.file);
}

/** The region of `conflicts`: their pairs' lines and those the edits touch. */
function region(text: string, conflicts: Conflict[], theirs: Edit[], instead: Edit[] = []): Region {
  const spans = [...conflicts.map((c) => pairLines(text, c.pair)), ...theirs.map((e) => [lineStart(text, e.from), nextLineStart(text, e.to)])];
  return { from: Math.min(...spans.map((s) => s[0]!)), to: Math.max(...spans.map((s) => s[1]!)), conflicts, theirs, clean: [], instead };
}

/** The edits for the clean decisions, and each conflict's lines with the edits for theirs' side. */
function edits(t: Target, theirs: Side, decisions: Decision[]): { clean: Edit[]; regions: Region[] } {
  const clean: Edit[] = [];
  const regions: Region[] = [];
  const removals = new Map<YAMLMap, { pairs: Pair[]; parent?: Pair; conflicts: Conflict[] }>();
  const removal = (map: YAMLMap) => removals.get(map) ?? removals.set(map, { pairs: [], conflicts: [] }).get(map)!;
  const inserted = new Set(decisions.flatMap((d) => (d.kind === 'insert' ? [d.map] : [])));
  const anchors = new Set<unknown>();
  for (const d of decisions) {
    if (d.kind === 'replace') clean.push(replaceEdit(t, theirs, d.map, d.pair, d.value));
    else if (d.kind === 'insert') {
      clean.push(insertEdit(t, theirs, d.map, d.anchor, d.key, d.value, !anchors.has(d.anchor)));
      anchors.add(d.anchor);
    } else if (d.kind === 'remove') {
      removal(d.map).pairs.push(d.pair);
      if (!inserted.has(d.map)) removal(d.map).parent = d.parent;
    } else if (d.value) regions.push(region(t.text, [d], [replaceEdit(t, theirs, d.map, d.pair, d.value)]));
    else if (t.style.json || d.map.flow) removal(d.map).conflicts.push(d);
    else regions.push(region(t.text, [d], removeEdits(t, d.map, [d.pair], undefined, false)));
  }
  for (const [map, { pairs, parent, conflicts }] of removals) {
    const mine = removeEdits(t, map, pairs, parent);
    clean.push(...mine);
    // Members of a flow mapping or JSON object share their commas: theirs' side removes them all at once.
    if (conflicts.length) regions.push(region(t.text, conflicts, removeEdits(t, map, [...pairs, ...conflicts.map((c) => c.pair)], parent), mine));
  }
  return { clean, regions: group(t.text, regions, clean) };
}

/** Regions that share lines become one, with the clean edits inside their lines. */
function group(text: string, regions: Region[], clean: Edit[]): Region[] {
  const inside = (e: Edit, r: Region) => (e.from < r.to && e.to > r.from) || (e.from === e.to && e.from > r.from && e.from < r.to);
  let out = regions;
  const free = new Set(clean);
  for (let changed = true; changed; ) {
    changed = false;
    const merged: Region[] = [];
    for (const r of [...out].sort((a, b) => a.from - b.from)) {
      const last = merged.at(-1);
      if (last && r.from < last.to) {
        const join = <K extends 'conflicts' | 'theirs' | 'clean' | 'instead'>(k: K) => [...last[k], ...r[k]] as Region[K];
        Object.assign(last, { to: Math.max(last.to, r.to), conflicts: join('conflicts'), theirs: join('theirs'), clean: join('clean'), instead: join('instead') });
      } else merged.push(r);
    }
    out = merged;
    for (const e of free) {
      const r = out.find((x) => inside(e, x));
      if (!r) continue;
      free.delete(e);
      r.clean.push(e);
      r.from = Math.min(r.from, lineStart(text, e.from));
      r.to = Math.max(r.to, nextLineStart(text, e.to));
      changed = true;
    }
  }
  return out;
}

/** The edits that take theirs' side of the regions. */
const theirSide = (clean: Edit[], regions: Region[]) => {
  const instead = new Set(regions.flatMap((r) => r.instead));
  return [...clean.filter((e) => !instead.has(e)), ...regions.flatMap((r) => r.theirs)];
};

const lineAt = (text: string, at: number) => {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
};

/** Ours with the clean edits, and each conflict region as markers (inline) or as ours' lines (rej). */
function resolve(ours: string, clean: Edit[], regions: Region[], o: MergeOptions, eol: string): Omit<TemplateMerge, 'applied'> {
  const ending = (s: string) => (s && !s.endsWith('\n') ? s + eol : s);
  const sides = regions.map((r) => {
    const slice = ours.slice(r.from, r.to);
    const [yours, theirs] = [apply(slice, r.clean, r.from), apply(slice, theirSide(r.clean, [r]), r.from)];
    const text = o.conflict === 'rej' ? yours : `<<<<<<< yours${eol}${ending(yours)}=======${eol}${ending(theirs)}>>>>>>> ${o.theirsLabel}${eol}`;
    return { r, yours, theirs, edit: { from: r.from, to: r.to, text } };
  });
  const grouped = new Set(regions.flatMap((r) => r.clean));
  const final = [...clean.filter((e) => !grouped.has(e)), ...sides.map((s) => s.edit)];
  const text = apply(ours, final);
  const conflicts: TemplateConflict[] = [];
  const blocks: string[] = [];
  for (const { r, yours, theirs, edit } of sides) {
    // Where the region starts in the merged text: its offset in ours moved by the edits before it.
    const shift = final.filter((e) => e !== edit && e.to <= r.from).reduce((n, e) => n + e.text.length - (e.to - e.from), 0);
    const line = lineAt(text, r.from + shift);
    for (const c of r.conflicts) {
      conflicts.push({ path: c.path, line, ours: yamlText(c.pair.value), theirs: yamlText(c.value) });
      const their = theirs.trim() ? [`# ${o.theirsLabel}`, theirs.replace(/\r?\n$/, '')] : [`# ${o.theirsLabel} (removed)`];
      blocks.push([`# ${o.file}:${line} ${c.path.join('.')}`, '# yours', yours.replace(/\r?\n$/, ''), ...their].join(eol));
    }
  }
  return { text, conflicts, rejects: o.conflict === 'rej' && blocks.length ? blocks.join(eol + eol) + eol : undefined };
}

/** Ours with theirs' changes since base; mergeTemplate(base, ours, base) and mergeTemplate(theirs, merged, theirs) change nothing. */
export function mergeTemplate(base: string, ours: string, theirs: string, o: MergeOptions): TemplateMerge {
  const mine = parse(ours, o.file, 'ours');
  if (base === theirs) return { text: ours, conflicts: [], applied: [] };
  const [b, t] = [parse(base, o.file, 'generated'), parse(theirs, o.file, 'generated')];
  const decisions = decide(b, mine, t);
  if (!decisions.length) return { text: ours, conflicts: [], applied: [] };
  const target: Target = { ...mine, style: detectStyle(ours) };
  const { clean, regions } = edits(target, t, decisions);
  // Both ways out of the conflicts must read as they should: ours' side, and theirs'.
  const taken = decisions.filter((d) => d.kind !== 'conflict');
  verify(mine, t, clean, taken, o, target.style.json);
  if (regions.length) verify(mine, t, theirSide(clean, regions), decisions, o, target.style.json);
  return { ...resolve(ours, clean, regions, o, target.style.eol), applied: taken.map((d) => d.path.join('.')) };
}
