// The block structure of a YAML template, found by scanning lines rather than by parsing: where each
// top-level section starts and ends, and where each entry of Resources and Outputs starts and ends,
// with its key. It lets `add` parse only the parts it reads, so that a template's size does not set
// how long `add` takes. JSON templates are outlined by json-outline.ts. When a YAML template has a
// shape the scan cannot read with certainty (flow mappings at those levels, several documents, tabs
// in indentation, aliases, complex or escaped keys), there is no outline and the caller parses the
// whole template.
import { jsonOutline } from './json-outline.ts';

export interface Span {
  /** Offset of the first character of the span's first line. */
  start: number;
  /** Offset just past the span's last line (the start of the next span, or the end of the text). */
  end: number;
  key: string;
}

export interface Section extends Span {
  /** The entries of a block mapping section (Resources, Outputs); absent for the other sections. */
  entries?: Span[];
}

/** Sections whose entries are listed. */
export const LISTED = new Set(['Resources', 'Outputs']);

// A key at the start of a line: plain (the characters of logical IDs and section names), or quoted
// without escapes; then the colon. Anything else at a key's column means no outline.
const KEY = /^(?:([A-Za-z0-9_](?:[\w.-]|:(?=[\w:]))*)|"([^"\\\n]*)"|'([^'\n]*)')[ \t]*:(?=[ \t]|\r?\n|$)/;
// An alias (`*name` where a value starts, also `<<: *name`) ties parts of the document together:
// only a whole parse resolves it. A `*` inside a plain scalar (`cron(0 9 * * ? *)`) is no alias.
const ALIAS = /(?:^[ \t]*(?:- +)*|: +|[[{,] *)\*[^\s,[\]{}]/m;
// The document start and end markers, which may open and close the text.
const START = /^---(?=[ \t]|\r?\n|$)/;
const END = /^\.\.\.[ \t]*(#.*)?(\r?\n[ \t]*(#.*)?)*\r?\n?$/;

function keyAt(text: string, at: number): string | undefined {
  const m = KEY.exec(text.slice(at, text.indexOf('\n', at) + 1 || text.length));
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/**
 * Offsets of the lines in [from, to) that hold content (not a comment) after `spaces` spaces, a
 * regular expression quantifier: `{2}`, `{1,3}`.
 */
function linesAt(text: string, spaces: string, from: number, to: number): number[] {
  const found: number[] = [];
  const re = new RegExp(`^ ${spaces}[^ \\t\\r\\n#]`, 'gm');
  re.lastIndex = from;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) found.push(m.index);
  return found;
}

/** The entries of a block mapping section, or undefined when they are not one block mapping. */
function entriesOf(text: string, start: number, end: number): Span[] | undefined {
  // The value on the key's own line must be absent (a comment is fine): `Resources: {}` is flow.
  const headerEnd = text.indexOf('\n', start) + 1 || end;
  const after = text.slice(start, headerEnd).replace(KEY, '').trim();
  if (after && !after.startsWith('#')) return undefined;
  const first = /^( +)[^ \t\r\n#]/gm;
  first.lastIndex = headerEnd;
  const m = first.exec(text);
  if (!m || m.index >= end) return undefined;
  const column = m[1]!.length;
  // Content less indented than the entries (but not a new section) is not one block mapping.
  if (column > 1 && linesAt(text, `{1,${column - 1}}`, headerEnd, end).length) return undefined;
  const starts = linesAt(text, `{${column}}`, headerEnd, end);
  const entries: Span[] = [];
  for (const [i, at] of starts.entries()) {
    const key = keyAt(text, at + column);
    if (key === undefined) return undefined;
    entries.push({ start: at, end: starts[i + 1] ?? end, key });
  }
  return entries;
}

/** The template's sections in order, or undefined when only a whole parse reads it safely. */
export function outline(text: string): Section[] | undefined {
  const from = text.startsWith('\uFEFF') ? 1 : 0;
  if (/^\s*\{/.test(text.slice(from, from + 200))) return jsonOutline(text);
  // Tabs in indentation, and aliases, are for the parser to read (or to report).
  if (ALIAS.test(text) || /^ *\t[ \t]*[^ \t\r\n#]/m.test(text)) return undefined;
  const keys = linesAt(text, '{0}', from, text.length);
  // A line start is found after a line break: a first line that follows a byte order mark is not.
  if (from && /[^ \t\r\n#]/.test(text[from] ?? '')) keys.unshift(from);
  // The first content of the text must be a key at column 0 (not `---`, `%YAML`, `{` or `- `).
  const content = /[^ \t\r\n]/g;
  content.lastIndex = from;
  const firstContent = content.exec(text);
  if (!firstContent) return undefined;
  // A document start marker may open the text: then the keys follow it.
  if (START.test(text.slice(firstContent.index, firstContent.index + 4)) && keys[0] === firstContent.index) keys.shift();
  else if (text[firstContent.index] !== '#' && firstContent.index !== keys[0]) return undefined;
  // So may an end marker, with nothing but comments after it: it stays in the last section.
  if (keys.length && END.test(text.slice(keys.at(-1)!))) keys.pop();
  if (!keys.length) return undefined;
  const result: Section[] = [];
  for (const [i, at] of keys.entries()) {
    const key = keyAt(text, at);
    if (key === undefined) return undefined; // ---, a complex key, a sequence at the top level
    // A section starts at its key line; comments and blank lines above the first key belong to it.
    const start = i === 0 ? from : at;
    const end = keys[i + 1] ?? text.length;
    if (!LISTED.has(key)) {
      result.push({ start, end, key });
      continue;
    }
    const entries = entriesOf(text, at, end);
    if (!entries) return undefined;
    result.push({ start, end, key, entries });
  }
  return result;
}
