// Text edits on the user's template, one per merge decision: a value replaced, a key inserted, keys
// removed. Each edit names a range of ours' text by the parsed nodes' offsets, so every byte outside
// it stays as it was. New text is rendered in the file's own indentation, sequence style and line
// endings: block YAML, flow YAML (`{a: 1}`) or JSON, as the mapping being edited is written.
import { Document, Pair, Scalar, YAMLMap, isCollection, isMap, isScalar, isSeq, visit, type Node } from 'yaml';
import { nodeToLongForm } from '../sam/cfn-tags.ts';
import { READ_OPTIONS } from '../sam/read-template.ts';
import { columnAt, nextLineStart, type TemplateStyle } from '../sam/template-style.ts';
import type { Anchor, Side } from './template-changes.ts';

/** Replaces ours' text from `from` to `to` with `text`. */
export interface Edit {
  from: number;
  to: number;
  text: string;
}

/** The user's template being edited. */
export interface Target extends Side {
  style: TemplateStyle;
}

export const lineStart = (text: string, at: number) => text.lastIndexOf('\n', at - 1) + 1;
const blank = (line: string) => /^[ \t]*\r?\n?$/.test(line);
const start = (node: unknown) => (node as Node).range![0];

/** The node a value's text ends with: its last scalar (or flow collection, or alias). */
function lastNode(node: unknown): Node {
  if (isCollection(node) && !node.flow && node.items.length) {
    const last = node.items.at(-1)!;
    return lastNode(isMap(node) ? ((last as Pair).value ?? (last as Pair).key) : last);
  }
  return node as Node;
}

/** Whether a value ends with a block scalar that keeps its final line breaks (`|+`): they are its text. */
const keepsBreaks = (node: unknown, text: string) => isScalar(lastNode(node)) && /^[|>][1-9]?\+/.test(text.slice(lastNode(node).range![0], lastNode(node).range![0] + 3));

/** Where a value's text ends: its last scalar's end, without a block scalar's final line breaks. */
export function contentEnd(node: unknown, text: string): number {
  const last = lastNode(node);
  let end = last.range![1];
  if (keepsBreaks(last, text)) return end;
  while (end > last.range![0] && /\s/.test(text[end - 1]!)) end -= 1;
  return end;
}

const colonAfter = (text: string, pair: Pair) => text.indexOf(':', (pair.key as Node).range![1]);

/** Where the pair ends: its value's end, or its colon when it has no value. */
export const pairEnd = (text: string, pair: Pair) => (pair.value ? contentEnd(pair.value, text) : colonAfter(text, pair) + 1);

/** The whole lines of a pair. */
export const pairLines = (text: string, pair: Pair): [number, number] => [lineStart(text, start(pair.key)), nextLineStart(text, pairEnd(text, pair))];

/** The comment lines right above the key at `at` at its column (text without indentation), and whether a blank line precedes them. */
export function commentAbove(text: string, at: number): { from: number; lines: string[]; gap: boolean } {
  const column = columnAt(text, at);
  let from = lineStart(text, at);
  const lines: string[] = [];
  while (from > 0) {
    const previous = lineStart(text, from - 1);
    const line = text.slice(previous, from);
    if (blank(line)) return { from, lines, gap: true };
    const trimmed = line.trimStart();
    if (!trimmed.startsWith('#') || line.length - trimmed.length !== column) break;
    lines.unshift(trimmed.replace(/\r?\n$/, ''));
    from = previous;
  }
  return { from, lines, gap: false };
}

/** A copy of theirs' node to render: no comment after it (it belongs to what follows). */
function copy(node: Node, flow: boolean): Node {
  const c = node.clone() as Node;
  visit(c, {
    Node(_, n) {
      if (isCollection(n)) n.comment = undefined;
      if (!flow) return;
      // On one line: no comments, no blank lines.
      if (isCollection(n)) n.flow = true;
      n.comment = n.commentBefore = undefined;
      n.spaceBefore = undefined;
    },
  });
  c.comment = undefined;
  if (isScalar(c)) c.commentBefore = undefined;
  return c;
}

/** `key: value` as block YAML lines at `column`, in the target's style. */
function blockLines(t: Target, key: Node, value: Node, column: number): string[] {
  const k = key.clone() as Node;
  k.commentBefore = undefined;
  k.spaceBefore = undefined;
  const doc = new Document(null, READ_OPTIONS);
  const map = new YAMLMap();
  map.items.push(new Pair(k, copy(value, false)));
  doc.contents = map;
  const pad = ' '.repeat(column);
  const text = doc.toString({ indent: t.style.indent, indentSeq: t.style.indentSeq, lineWidth: 0, flowCollectionPadding: false });
  return text.replace(/\n$/, '').split('\n').map((line, i) => (i > 0 && line ? pad + line : line));
}

/** A value on one line, in flow style. */
function flowText(value: Node, padding: boolean): string {
  return new Document(copy(value, true), READ_OPTIONS).toString({ lineWidth: 0, flowCollectionPadding: padding }).replace(/\n$/, '');
}

/** Plain scalars as YAML's core schema reads them: JSON gets numbers and booleans, not strings. */
function typed(value: Node, doc: Document): unknown {
  const c = value.clone() as Node;
  visit(c, {
    Scalar(_, s) {
      if (s.type !== Scalar.PLAIN || typeof s.value !== 'string') return;
      const v = s.value;
      if (/^(?:~|null|Null|NULL)?$/.test(v)) s.value = null;
      else if (/^(?:true|True|TRUE|false|False|FALSE)$/.test(v)) s.value = /^t/i.test(v);
      else if (/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/.test(v)) s.value = Number(v);
    },
  });
  return nodeToLongForm(c, doc);
}

/** A value as JSON, its lines after the first at `column`. */
function jsonText(t: Target, value: Node, doc: Document, column: number): string {
  const v = typed(value, doc);
  if (t.style.minified) return JSON.stringify(v);
  return JSON.stringify(v, null, t.style.indent).split('\n').join(t.style.eol + ' '.repeat(column));
}

const indentOf = (text: string, at: number) => /^[ \t]*/.exec(text.slice(lineStart(text, at)))![0].length;

/** A member for a flow mapping or a JSON object. */
function member(t: Target, theirs: Side, key: Node, value: Node, column: number, padding: boolean): string {
  if (t.style.json) return `${JSON.stringify(String((key as Scalar).value))}:${t.style.minified ? '' : ' '}${jsonText(t, value, theirs.doc, column)}`;
  return `${flowText(key, false)}: ${flowText(value, padding)}`;
}

const padded = (t: Target, map: YAMLMap) => t.text[start(map) + 1] === ' ';

/** Ours' value of `pair` replaced by theirs' `value`; the pair's own comment stays. */
export function replaceEdit(t: Target, theirs: Side, map: YAMLMap, pair: Pair, value: Node): Edit {
  const { text } = t;
  const colon = colonAfter(text, pair);
  const end = pairEnd(text, pair);
  if (t.style.json || map.flow) {
    const space = /\s*/y;
    space.lastIndex = colon + 1;
    const from = pair.value ? colon + 1 + space.exec(text)![0].length : colon + 1;
    const rendered = t.style.json ? jsonText(t, value, theirs.doc, indentOf(text, start(pair.key))) : flowText(value, padded(t, map));
    return { from, to: end, text: `${pair.value || t.style.json ? '' : ' '}${rendered}` };
  }
  const lineEnd = (at: number) => {
    const newline = text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at);
    return text[newline - 1] === '\r' ? newline - 1 : newline;
  };
  // A `|+` scalar ends after its last line break: the new value ends with one.
  const broken = text[end - 1] === '\n' ? t.style.eol : '';
  // The pair's comment: after a one-line value, or on the key's line above a block value.
  const trailing = !broken && /^[ \t]+#/.test(text.slice(end, lineEnd(end))) ? text.slice(end, lineEnd(end)) : '';
  const keyLineEnd = lineEnd(colon);
  const lead = end > keyLineEnd ? /#.*$/.exec(text.slice(colon + 1, keyLineEnd))?.[0] : undefined;
  const [first, ...more] = blockLines(t, new Scalar('x'), value, columnAt(text, start(pair.key)));
  const tail = first!.slice(2);
  if (!more.length) return { from: colon + 1, to: end, text: `${tail}${lead ? ` ${lead}` : ''}${broken}` };
  const comment = lead ?? trailing.trim();
  return { from: colon + 1, to: end + trailing.length, text: [`${tail}${comment ? ` ${comment}` : ''}`, ...more].join(t.style.eol) + broken };
}

/**
 * Theirs' `key: value` added to ours' `map` at `anchor`, with theirs' comment lines above it. `first`:
 * nothing was inserted at the anchor before (later insertions there follow the earlier ones).
 */
export function insertEdit(t: Target, theirs: Side, map: YAMLMap, anchor: Anchor, key: Node, value: Node, first = true): Edit {
  const { text, style } = t;
  const { eol } = style;
  if (style.json || map.flow) {
    const open = start(map);
    const close = text.lastIndexOf('}', map.range![1]);
    const outer = indentOf(text, open);
    if (!map.items.length) {
      if (!style.json || style.minified) return { from: open + 1, to: open + 1, text: member(t, theirs, key, value, 0, padded(t, map)) };
      const inner = ' '.repeat(outer + style.indent);
      return { from: open, to: close + 1, text: `{${eol}${inner}${member(t, theirs, key, value, outer + style.indent, false)}${eol}${' '.repeat(outer)}}` };
    }
    const first = start(map.items[0]!.key);
    const ownLine = text.slice(open + 1, first).includes('\n');
    const column = ownLine ? columnAt(text, first) : outer;
    const sep = ownLine ? `,${eol}${' '.repeat(column)}` : style.minified ? ',' : ', ';
    const m = member(t, theirs, key, value, column, padded(t, map));
    if ('before' in anchor) return { from: start(anchor.before.key), to: start(anchor.before.key), text: `${m}${sep}` };
    const after = 'after' in anchor ? anchor.after : map.items.at(-1)!;
    const at = pairEnd(text, after);
    return { from: at, to: at, text: `${sep}${m}` };
  }
  const column = columnAt(text, start(map.items[0]!.key));
  const above = commentAbove(theirs.text, start(key));
  const lines = [...above.lines.map((l) => ' '.repeat(column) + l), ...blockLines(t, key, value, column).map((l, i) => (i === 0 ? ' '.repeat(column) + l : l))];
  if ('before' in anchor) {
    const at = commentAbove(text, start(anchor.before.key)).from;
    return { from: at, to: at, text: `${lines.join(eol)}${eol}${above.gap ? eol : ''}` };
  }
  const after = 'after' in anchor ? anchor.after : map.items.at(-1)!;
  const at = nextLineStart(text, pairEnd(text, after));
  const lead = at === text.length && !text.endsWith('\n') ? eol : '';
  // A blank line after a `|+` scalar would be one more line break of its value.
  const gap = above.gap && !(first && keepsBreaks(after.value, text));
  return { from: at, to: at, text: `${lead}${gap ? eol : ''}${lines.join(eol)}${eol}` };
}

/**
 * The removal of `pairs` from ours' `map`: each run of neighbouring pairs is one edit. In block YAML a
 * pair goes with its comment lines and the blank line before it (`whole` false: its own lines only).
 * When every pair goes and `parent` is given, the mapping becomes `{}`.
 */
export function removeEdits(t: Target, map: YAMLMap, pairs: Pair[], parent?: Pair, whole = true): Edit[] {
  const { text } = t;
  const gone = new Set(pairs);
  const { items } = map;
  if (parent && items.every((p) => gone.has(p)) && !t.style.json && !map.flow) {
    return [{ from: colonAfter(text, parent) + 1, to: pairEnd(text, parent), text: ' {}' }];
  }
  const edits: Edit[] = [];
  for (let i = 0; i < items.length; i++) {
    if (!gone.has(items[i]!)) continue;
    let j = i;
    while (j + 1 < items.length && gone.has(items[j + 1]!)) j += 1;
    if (t.style.json || map.flow) {
      if (j < items.length - 1) edits.push({ from: start(items[i]!.key), to: start(items[j + 1]!.key), text: '' });
      else if (i > 0) edits.push({ from: pairEnd(text, items[i - 1]!), to: pairEnd(text, items[j]!), text: '' });
      else edits.push({ from: start(map) + 1, to: text.lastIndexOf('}', map.range![1]), text: '' });
    } else {
      const above = commentAbove(text, start(items[i]!.key));
      let from = whole ? above.from : lineStart(text, start(items[i]!.key));
      let to = pairLines(text, items[j]!)[1];
      // The blank line above goes too, unless it is the end of the value before (`|+`).
      if (whole && above.gap && (i === 0 || lineStart(text, from - 1) >= pairEnd(text, items[i - 1]!))) from = lineStart(text, from - 1);
      else if (whole && i === 0 && j + 1 < items.length && blank(text.slice(to, nextLineStart(text, to + 1)))) to = nextLineStart(text, to + 1);
      edits.push({ from, to, text: '' });
    }
    i = j;
  }
  return edits;
}

/** A value as standalone YAML text (for reports). */
export function yamlText(node: unknown): string | undefined {
  if (node === undefined) return undefined;
  const value = isMap(node) || isSeq(node) || isScalar(node) ? copy(node, false) : (node as Node);
  return new Document(value, READ_OPTIONS).toString({ lineWidth: 0 }).replace(/\n$/, '');
}
