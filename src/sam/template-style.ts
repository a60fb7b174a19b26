// How an existing template is written, so that what `add` inserts reads as if written by hand in
// the same file: line endings, indentation, sequence style, final newline, JSON or YAML.

export interface TemplateStyle {
  json: boolean;
  /** JSON on one line: new members are written on that line too. */
  minified: boolean;
  eol: '\n' | '\r\n';
  /** Spaces per nesting level. */
  indent: number;
  /** Whether block sequences are indented under their key (`key:\n  - a`) or not (`key:\n- a`). */
  indentSeq: boolean;
}

const STYLE_LINES = 1000;

export function detectStyle(text: string): TemplateStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const json = /^\uFEFF?\s*\{/.test(text);
  // The style shows in the first lines; reading every line of a long template costs time.
  let end = 0;
  for (let n = 0; n < STYLE_LINES && end !== -1; n++) end = text.indexOf('\n', end + 1);
  const lines = (end === -1 ? text : text.slice(0, end)).split(/\r?\n/);
  // The most common step between an indented line and the line before it that opened a block.
  const steps = new Map<number, number>();
  let indentSeq = true;
  let seqSeen = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const previous = lines[i - 1]!;
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const here = line.length - line.trimStart().length;
    const before = previous.length - previous.trimStart().length;
    const opens = json ? /[{[]\s*$/.test(previous) : /:\s*(#.*)?$/.test(previous);
    if (opens && here > before) steps.set(here - before, (steps.get(here - before) ?? 0) + 1);
    if (!json && !seqSeen && line.trimStart().startsWith('- ') && /:\s*$/.test(previous)) {
      seqSeen = true;
      indentSeq = here > before;
    }
  }
  const indent = [...steps].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 2;
  const minified = json && !text.trim().includes('\n');
  return { json, minified, eol, indent, indentSeq };
}

/** Column of the character at `offset`. */
export function columnAt(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The offset of the start of the line after the one `offset` is on (or the end of the text). */
export function nextLineStart(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}
