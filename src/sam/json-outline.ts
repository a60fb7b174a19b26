// The outline of a JSON template (see template-outline.ts): where each top-level member starts and
// ends, and each member of Resources and Outputs. The text is first checked by JSON.parse, so the
// scan only has to step over strings and nested values of JSON that is known to be valid.
import { LISTED, type Section, type Span } from './template-outline.ts';

const STRING = /"(?:[^"\\]|\\.)*"/y;
const SPACE = /[ \t\r\n]*/y;
const SCALAR = /[^,}\]\s]*/y;

function skip(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  re.exec(text);
  return re.lastIndex;
}

/** The offset just past the value that starts at `at`. */
function valueEnd(text: string, at: number): number {
  const c = text[at];
  if (c === '"') return skip(STRING, text, at);
  if (c !== '{' && c !== '[') return skip(SCALAR, text, at);
  // One loop over character codes: most of a template is nested values, and this is its hot path.
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34) {
      // A string: to its closing quote, stepping over escaped characters.
      for (i++; i < text.length; i++) {
        const inner = text.charCodeAt(i);
        if (inner === 92) i++;
        else if (inner === 34) break;
      }
    } else if (code === 123 || code === 91) {
      depth += 1;
    } else if ((code === 125 || code === 93) && --depth === 0) {
      return i + 1;
    }
  }
  return text.length;
}

interface Member extends Span {
  /** Where the member's value starts. */
  value: number;
}

/** The members of the object whose `{` is at `open`; each ends where the next starts, the last at its `}`. */
function members(text: string, open: number): { list: Member[]; close: number } {
  const list: Member[] = [];
  let at = skip(SPACE, text, open + 1);
  while (text[at] === '"') {
    const keyEnd = skip(STRING, text, at);
    const value = skip(SPACE, text, skip(SPACE, text, keyEnd) + 1);
    const end = valueEnd(text, value);
    if (list.length) list.at(-1)!.end = at;
    list.push({ start: at, end, key: JSON.parse(text.slice(at, keyEnd)) as string, value });
    at = skip(SPACE, text, end);
    if (text[at] === ',') at = skip(SPACE, text, at + 1);
  }
  if (list.length) list.at(-1)!.end = at;
  return { list, close: at };
}

/** The sections of a JSON template, or undefined when it is not valid JSON with object sections. */
export function jsonOutline(text: string): Section[] | undefined {
  const from = text.startsWith('\uFEFF') ? 1 : 0;
  try {
    JSON.parse(text.slice(from));
  } catch {
    return undefined; // the parser reports where
  }
  const open = skip(SPACE, text, from);
  if (text[open] !== '{') return undefined;
  const root = members(text, open).list;
  const sections: Section[] = [];
  for (const [i, m] of root.entries()) {
    // The first section takes the text before it, the last the text after it (the closing brace).
    const span = { start: i === 0 ? 0 : m.start, end: i === root.length - 1 ? text.length : root[i + 1]!.start, key: m.key };
    if (!LISTED.has(m.key)) {
      sections.push(span);
      continue;
    }
    if (text[m.value] !== '{') return undefined;
    const entries = members(text, m.value).list;
    if (!entries.length) return undefined;
    // The last entry runs to the section's end, past the object's closing brace.
    entries.at(-1)!.end = span.end;
    sections.push({ ...span, entries: entries.map(({ start, end, key }) => ({ start, end, key })) });
  }
  return sections.length ? sections : undefined;
}
