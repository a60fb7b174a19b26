// Inserts a function's fragment (its resource, trigger resources and outputs) into an existing SAM
// template by adding text only: every existing byte stays as it was (comments, blank lines, key
// order, quoting, flow and block styles, anchors, intrinsics, line endings). The new entries follow
// the file's own indentation, sequence style and line endings. JSON templates stay JSON.
import { Document, isMap, isScalar, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { UserError } from '../errors.ts';
import { cfnTags } from './cfn-tags.ts';
import type { Fragment } from './function-resources.ts';
import { toLongForm, toYamlNode } from './intrinsics.ts';
import { columnAt, detectStyle, nextLineStart, type TemplateStyle } from './template-style.ts';

const SERVERLESS = 'AWS::Serverless-2016-10-31';

interface Edit {
  at: number;
  /** Characters replaced at `at` (only an empty `{}`). */
  remove: number;
  text: string;
  /** Block insertions: where the last existing entry starts, and the entries' column. */
  junction?: { from: number; column: number };
}

/** Parses a template and checks that it is a SAM template with a Resources mapping. */
export function parseSam(text: string, file: string): Document {
  // The failsafe schema reads every scalar as a string: add needs names, offsets and a few values,
  // and skipping the number/boolean resolution of every scalar matters on large templates.
  const doc = parseDocument(text, { schema: 'failsafe', customTags: cfnTags, uniqueKeys: false });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    throw new UserError(`${file}:${pos?.line ?? 1}:${pos?.col ?? 1}: ${error.message.split('\n')[0]}`, 'Fix the syntax first; nothing was changed');
  }
  if (!isMap(doc.contents)) throw new UserError(`${file} is not a template: its top level is not a mapping`, 'Point --template at a SAM template');
  const transform = doc.get('Transform', true) as Node | undefined;
  const transforms = [transform?.toJSON()].flat();
  if (!transforms.includes(SERVERLESS)) {
    throw new UserError(`${file} is not a SAM template: it has no Transform: ${SERVERLESS}`, 'Add the transform, or point --template at a SAM template');
  }
  const resources = doc.get('Resources', true);
  if (!isMap(resources)) {
    throw new UserError(`${file}: Resources is ${resources ? 'not a mapping' : 'missing'}`, 'Resources must map logical IDs to resources');
  }
  return doc;
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
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

/** Whether the map's entries are separated by blank lines (then new ones are too). */
function spaced(text: string, map: YAMLMap): boolean {
  const first = map.items[0]?.key as Node | undefined;
  const second = map.items[1]?.key as Node | undefined;
  if (!first?.range || !second?.range) return false;
  const lineStart = text.lastIndexOf('\n', second.range[0] - 1);
  return /\n[ \t]*\r?\n[ \t]*(#[^\n]*\n[ \t]*)*$/.test(text.slice(first.range[0], lineStart + 1));
}

function addToMap(text: string, key: Pair, map: YAMLMap, entries: Record<string, unknown>, comments: Record<string, string>, style: TemplateStyle): Edit {
  const keyColumn = columnAt(text, (key.key as Node).range![0]);
  if (style.json || map.flow) {
    const close = text.lastIndexOf('}', map.range![1] - 1);
    const last = map.items.at(-1);
    if (!last) {
      const column = keyColumn + style.indent;
      return { at: map.range![0], remove: close + 1 - map.range![0], text: style.json ? `{${style.eol}${jsonMembers(entries, column, style)}${style.eol}${' '.repeat(keyColumn)}}` : `${style.eol}${yamlBlock(entries, comments, column, style, true)}` };
    }
    // New members go first: after the opening brace a member can be added without touching a line
    // (the last member would need a comma appended to its line).
    const first = map.items[0]!;
    const firstKey = (first.key as Node).range![0];
    const open = map.range![0];
    const ownLine = text.slice(open + 1, firstKey).includes('\n');
    const members = style.json
      ? jsonMembers(entries, ownLine ? columnAt(text, firstKey) : 0, style)
      : flowMembers(entries).map((m) => (ownLine ? ' '.repeat(columnAt(text, firstKey)) : '') + m).join(ownLine ? `,${style.eol}` : ', ');
    if (ownLine) return { at: nextLineStart(text, open + 1), remove: 0, text: `${members},${style.eol}` };
    return { at: open + 1, remove: 0, text: style.json ? `${members},` : ` ${members},` };
  }
  const last = map.items.at(-1)!;
  const column = columnAt(text, (map.items[0]!.key as Node).range![0]);
  const at = nextLineStart(text, ((last.value ?? last.key) as Node).range![2]);
  // A comment that closes the section at the resources' column stays below what is added.
  const gap = spaced(text, map);
  const block = yamlBlock(entries, comments, column, style, gap);
  const lead = at === text.length && !text.endsWith('\n') ? style.eol : '';
  const from = text.lastIndexOf('\n', (last.key as Node).range![0]) + 1;
  return { at, remove: 0, text: `${lead}${gap ? style.eol : ''}${block}${style.eol}`, junction: { from, column } };
}

function appendSection(text: string, doc: Document, name: string, entries: Record<string, unknown>, style: TemplateStyle): Edit {
  if (style.json) {
    const root = doc.contents as YAMLMap;
    const last = root.items.at(-1)!;
    const end = ((last.value ?? last.key) as Node).range![1];
    const column = columnAt(text, (last.key as Node).range![0]);
    const body = jsonMembers(entries, column + style.indent, style);
    if (style.minified) return { at: end, remove: 0, text: `,${JSON.stringify(name)}:{${body}}` };
    return { at: end, remove: 0, text: `,${style.eol}${' '.repeat(column)}${JSON.stringify(name)}: {${style.eol}${body}${style.eol}${' '.repeat(column)}}` };
  }
  const lead = text.length && !text.endsWith('\n') ? style.eol : '';
  return { at: text.length, remove: 0, text: `${lead}${style.eol}${name}:${style.eol}${yamlBlock(entries, {}, style.indent, style, false)}${style.eol}` };
}

/**
 * The template text with the fragment added; throws a UserError (changing nothing) when it cannot
 * be. `doc` is the template parsed by parseSam, when the caller has it already.
 */
export function insertFragment(text: string, fragment: Fragment, file: string, doc = parseSam(text, file)): string {
  const style = detectStyle(text);
  const resources = section(doc, 'Resources')!;
  const taken = resources.map.items.map(keyOf);
  for (const id of Object.keys(fragment.resources)) {
    const existing = taken.find((k) => k.toLowerCase() === id.toLowerCase());
    if (existing) throw new UserError(`${file} already has a resource named ${existing}${existing === id ? '' : ` (${id} differs only in case)`}`, 'Choose another function name');
  }
  const outputs = section(doc, 'Outputs');
  for (const id of Object.keys(fragment.outputs)) {
    if (outputs?.map.items.some((p) => keyOf(p) === id)) throw new UserError(`${file} already has an output named ${id}`, 'Choose another function name');
  }
  const hasOutputsKey = (doc.contents as YAMLMap).items.some((p) => keyOf(p) === 'Outputs');
  if (hasOutputsKey && !outputs) throw new UserError(`${file}: Outputs is not a mapping`, 'Outputs must map names to outputs');

  const edits = [addToMap(text, resources.pair, resources.map, fragment.resources, fragment.comments, style)];
  if (Object.keys(fragment.outputs).length) {
    edits.push(outputs ? addToMap(text, outputs.pair, outputs.map, fragment.outputs, {}, style) : appendSection(text, doc, 'Outputs', fragment.outputs, style));
  }
  let result = text;
  // From the end backwards, so offsets stay valid; at the same offset the later edit goes in first
  // and so ends up after the earlier one (new resources before a new Outputs section).
  const ordered = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.at - a.at || b.i - a.i);
  for (const e of ordered) result = result.slice(0, e.at) + e.text + result.slice(e.at + e.remove);

  return result;
}
