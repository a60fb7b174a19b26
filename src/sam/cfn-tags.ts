// CloudFormation short-form intrinsics (`!Ref`, `!Sub`, `!GetAtt`, ...) for the `yaml` library.
// The tags are kept on the parsed nodes, so a document round-trips with its short forms intact;
// `toLongForm` turns a parsed document into plain JSON the way CloudFormation reads it.
import { isMap, isScalar, isSeq, type Document, type Node, type Tags } from 'yaml';

/** Every intrinsic CloudFormation accepts in short form, without the `Fn::` prefix. */
export const INTRINSICS = [
  'Ref', 'Condition', 'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join',
  'Select', 'Split', 'Sub', 'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'ToJsonString',
  'Length', 'ForEach',
] as const;

/** Custom tags for `parseDocument(src, { customTags: cfnTags })` and `new Document(v, { customTags })`. */
export const cfnTags: Tags = INTRINSICS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: unknown) => value },
  { tag: `!${name}`, collection: 'map' as const, resolve: (value: unknown) => value },
]) as Tags;

function longKey(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/** Converts a node (and everything below it) to JSON, short-form intrinsics to their long form. */
export function nodeToLongForm(node: unknown, doc?: Document): unknown {
  let value: unknown;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      out[key] = nodeToLongForm(pair.value, doc);
    }
    value = out;
  } else if (isSeq(node)) {
    value = node.items.map((item) => nodeToLongForm(item, doc));
  } else if (isScalar(node)) {
    value = node.value;
  } else if (node && typeof node === 'object' && 'source' in node) {
    // An alias: resolve it to the node it names.
    value = nodeToLongForm((node as unknown as { resolve(d?: Document): Node }).resolve(doc), doc);
  } else {
    value = node ?? null;
  }
  const tag = (node as Node | undefined)?.tag;
  if (tag && tag.startsWith('!') && !tag.startsWith('!!')) {
    const name = tag.slice(1);
    // `!GetAtt A.B.C` is ['A', 'B.C']; without a dot the string stays as written (as cfn-flip does).
    if (name === 'GetAtt' && typeof value === 'string' && value.includes('.')) {
      const dot = value.indexOf('.');
      value = [value.slice(0, dot), value.slice(dot + 1)];
    }
    return { [longKey(name)]: value };
  }
  return value;
}

/** The whole document as CloudFormation sees it. */
export function toLongForm(doc: Document): unknown {
  return nodeToLongForm(doc.contents, doc);
}
