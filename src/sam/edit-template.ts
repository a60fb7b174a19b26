// Inserts a function's fragment (its resource, trigger resources and outputs) into an existing SAM
// template by adding text only: every existing byte stays as it was (comments, blank lines, key
// order, quoting, flow and block styles, anchors, intrinsics, line endings). The new entries follow
// the file's own indentation, sequence style and line endings. JSON templates stay JSON.
import { Document, isMap, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { UserError } from '../errors.ts';
import { cfnTags } from './cfn-tags.ts';
import type { Fragment } from './function-resources.ts';
import { toLongForm, toYamlNode } from './intrinsics.ts';
import { READ_OPTIONS, keyOf, readTemplate, type TemplateReading } from './read-template.ts';
import { columnAt, detectStyle, nextLineStart, type TemplateStyle } from './template-style.ts';

interface Edit {
  at: number;
  /** Characters replaced at `at` (only an empty `{}`). */
  remove: number;
  text: string;
  /** Block insertions: where the last existing entry starts, its key, and the keys added after it. */
  junction?: { from: number; keys: string[] };
}

function section(doc: Document, name: string): { pair: Pair; map: YAMLMap } | undefined {
  const pair = (doc.contents as YAMLMap).items.find((p) => keyOf(p) === name);
  return pair && isMap(pair.value) ? { pair, map: pair.value } : undefined;
}

/** Entries as block YAML at `column`, in the file's style. */
function yamlBlock(entries: Record<string, unknown>, comments: Record<string, string>, column: number, style: TemplateStyle, gap: boolean): string {
  const doc = new Document({}, { customTags: cfnTags });
  const map = doc.contents as YAMLMap;
  for (const [key, value] of Object.entries(entries)) {
    const pair = doc.createPair(key, toYamlNode(doc, value));
    if (comments[key]) (pair.key as Node).commentBefore = comments[key];
    if ((gap || comments[key]) && map.items.length > 0) (pair.key as Node).spaceBefore = true;
    map.items.push(pair);
  }
  const pad = ' '.repeat(column);
  return doc
    .toString({ indent: style.indent, indentSeq: style.indentSeq, lineWidth: 0 })
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join(style.eol);
}

/** Entries as JSON members at `column`, long-form intrinsics, in the file's indentation. */
function jsonMembers(entries: Record<string, unknown>, column: number, style: TemplateStyle): string {
  if (style.minified) return Object.entries(entries).map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(toLongForm(value))}`).join(',');
  const pad = ' '.repeat(column);
  return Object.entries(entries)
    .map(([key, value]) => `${pad}${JSON.stringify(key)}: ${JSON.stringify(toLongForm(value), null, style.indent).split('\n').join(style.eol + pad)}`)
    .join(`,${style.eol}`);
}

/** Entries as one-line YAML flow members: `Key: {Type: X, Properties: {...}}`. */
function flowMembers(entries: Record<string, unknown>): string[] {
  return Object.entries(entries).map(([key, value]) => {
    const doc = new Document({ [key]: null }, { customTags: cfnTags });
    const node = toYamlNode(doc, value);
    (doc.contents as YAMLMap).items[0]!.value = node;
    return doc.toString({ lineWidth: 0, collectionStyle: 'flow' }).trim().replace(/^\{\s*|\s*\}$/g, '');
  });
}

/** Where a node starts in the template. */
const startOf = (r: TemplateReading, node: unknown) => r.at((node as Node).range![0], 'start');

/** Whether the map's entries are separated by blank lines (then new ones are too). */
function spaced(r: TemplateReading, map: YAMLMap): boolean {
  const first = map.items[0]?.key as Node | undefined;
  const second = map.items[1]?.key as Node | undefined;
  if (!first?.range || !second?.range) return false;
  const lineStart = r.text.lastIndexOf('\n', startOf(r, second) - 1);
  return /\n[ \t]*\r?\n[ \t]*(#[^\n]*\n[ \t]*)*$/.test(r.text.slice(startOf(r, first), lineStart + 1));
}

function addToMap(r: TemplateReading, key: Pair, map: YAMLMap, entries: Record<string, unknown>, comments: Record<string, string>, style: TemplateStyle): Edit {
  const { text } = r;
  const keyColumn = columnAt(text, startOf(r, key.key));
  if (style.json || map.flow) {
    const close = text.lastIndexOf('}', r.at(map.range![1], 'end') - 1);
    const open = startOf(r, map);
    const last = map.items.at(-1);
    if (!last) {
      const column = keyColumn + style.indent;
      return { at: open, remove: close + 1 - open, text: style.json ? `{${style.eol}${jsonMembers(entries, column, style)}${style.eol}${' '.repeat(keyColumn)}}` : `${style.eol}${yamlBlock(entries, comments, column, style, true)}` };
    }
    // New members go first: after the opening brace a member can be added without touching a line
    // (the last member would need a comma appended to its line).
    const firstKey = startOf(r, map.items[0]!.key);
    const ownLine = text.slice(open + 1, firstKey).includes('\n');
    const members = style.json
      ? jsonMembers(entries, ownLine ? columnAt(text, firstKey) : 0, style)
      : flowMembers(entries).map((m) => (ownLine ? ' '.repeat(columnAt(text, firstKey)) : '') + m).join(ownLine ? `,${style.eol}` : ', ');
    if (ownLine) return { at: nextLineStart(text, open + 1), remove: 0, text: `${members},${style.eol}` };
    return { at: open + 1, remove: 0, text: style.json ? `${members},` : ` ${members},` };
  }
  const last = map.items.at(-1)!;
  const column = columnAt(text, startOf(r, map.items[0]!.key));
  // A comment that closes the section at the resources' column stays below what is added.
  const at = nextLineStart(text, r.at(((last.value ?? last.key) as Node).range![2], 'end'));
  const gap = spaced(r, map);
  const block = yamlBlock(entries, comments, column, style, gap);
  const lead = at === text.length && !text.endsWith('\n') ? style.eol : '';
  const from = text.lastIndexOf('\n', startOf(r, last.key)) + 1;
  return { at, remove: 0, text: `${lead}${gap ? style.eol : ''}${block}${style.eol}`, junction: { from, keys: [keyOf(last), ...Object.keys(entries)] } };
}

function appendSection(r: TemplateReading, name: string, entries: Record<string, unknown>, style: TemplateStyle): Edit {
  const { text } = r;
  if (style.json) {
    const root = r.doc.contents as YAMLMap;
    const last = root.items.at(-1)!;
    const end = r.at(((last.value ?? last.key) as Node).range![1], 'end');
    const column = columnAt(text, startOf(r, last.key));
    const body = jsonMembers(entries, column + style.indent, style);
    if (style.minified) return { at: end, remove: 0, text: `,${JSON.stringify(name)}:{${body}}` };
    return { at: end, remove: 0, text: `,${style.eol}${' '.repeat(column)}${JSON.stringify(name)}: {${style.eol}${body}${style.eol}${' '.repeat(column)}}` };
  }
  const lead = text.length && !text.endsWith('\n') ? style.eol : '';
  const block = `${lead}${style.eol}${name}:${style.eol}${yamlBlock(entries, {}, style.indent, style, false)}${style.eol}`;
  return { at: text.length, remove: 0, text: block, junction: { from: text.length, keys: [name] } };
}

/**
 * A safety net before anything is written: where new entries follow the last existing one, that
 * entry and the new ones must read back as those keys. JSON must still be JSON, and a flow mapping
 * that got members must still parse.
 */
function check(text: string, edits: Edit[], result: string, style: TemplateStyle, file: string): void {
  const fail = (why: string) => {
    throw new Error(`Inserting into ${file} failed: ${why}`);
  };
  if (style.json) {
    try {
      JSON.parse(result.replace(/^\uFEFF/, ''));
    } catch (error) {
      fail((error as Error).message);
    }
    return;
  }
  for (const e of edits) {
    if (!e.junction) {
      const doc = parseDocument(result, READ_OPTIONS);
      if (doc.errors[0]) fail(doc.errors[0].message);
      continue;
    }
    const joined = text.slice(e.junction.from, e.at) + e.text;
    const doc = parseDocument(joined, READ_OPTIONS);
    const error = doc.errors.find((x) => !/alias/i.test(x.message)); // an alias may point above the slice
    if (error) fail(error.message);
    const keys = isMap(doc.contents) ? doc.contents.items.map(keyOf) : [];
    if (keys.join('\n') !== e.junction.keys.join('\n')) fail(`the entries read back as ${keys.join(', ')}`);
  }
}

/**
 * The template text with the fragment added; throws a UserError (changing nothing) when it cannot
 * be. `reading` is the template read by readTemplate, when the caller has it already.
 */
export function insertFragment(text: string, fragment: Fragment, file: string, reading = readTemplate(text, file)): string {
  const style = detectStyle(text);
  const { doc } = reading;
  const resources = section(doc, 'Resources')!;
  // The function first: a clash with it is the one to name.
  const ids = Object.keys(fragment.resources).sort((x, y) => Number(fragment.resources[y]!.Type === 'AWS::Serverless::Function') - Number(fragment.resources[x]!.Type === 'AWS::Serverless::Function'));
  for (const id of ids) {
    const existing = reading.resourceIds.find((k) => k.toLowerCase() === id.toLowerCase());
    if (existing) throw new UserError(`${file} already has a resource named ${existing}${existing === id ? '' : ` (${id} differs only in case)`}`, 'Choose another function name');
  }
  const outputs = section(doc, 'Outputs');
  for (const id of Object.keys(fragment.outputs)) {
    if (reading.outputIds?.includes(id)) throw new UserError(`${file} already has an output named ${id}`, 'Choose another function name');
  }

  const edits = [addToMap(reading, resources.pair, resources.map, fragment.resources, fragment.comments, style)];
  if (Object.keys(fragment.outputs).length) {
    edits.push(outputs ? addToMap(reading, outputs.pair, outputs.map, fragment.outputs, {}, style) : appendSection(reading, 'Outputs', fragment.outputs, style));
  }
  // Parameters the fragment needs (an org kit's), where the template has none of that name.
  const parameters = section(doc, 'Parameters');
  const have = new Set(parameters?.map.items.map(keyOf) ?? []);
  const missing = Object.fromEntries(Object.entries(fragment.parameters ?? {}).filter(([k]) => !have.has(k)));
  if (Object.keys(missing).length) {
    edits.push(parameters ? addToMap(reading, parameters.pair, parameters.map, missing, {}, style) : appendSection(reading, 'Parameters', missing, style));
  }
  let result = text;
  // From the end backwards, so offsets stay valid; at the same offset the later edit goes in first
  // and so ends up after the earlier one (new resources before a new Outputs section).
  const ordered = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.at - a.at || b.i - a.i);
  for (const e of ordered) result = result.slice(0, e.at) + e.text + result.slice(e.at + e.remove);
  check(text, edits, result, style, file);
  return result;
}
