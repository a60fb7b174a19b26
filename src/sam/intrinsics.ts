// CloudFormation intrinsic functions as values, for building template fragments in code. `toYamlNode`
// writes them in short form (`!Sub ...`); `toLongForm` gives the JSON form ({"Fn::Sub": ...}).
import { Scalar, YAMLMap, YAMLSeq, isNode, type Document, type Node } from 'yaml';

export class Intrinsic {
  constructor(
    /** Short-form name without the `!`: Ref, Sub, GetAtt, ... */
    readonly name: string,
    readonly value: unknown,
  ) {}
}

/** A value written with a comment line above it (YAML only; JSON has no comments). */
export class Commented {
  constructor(
    readonly comment: string,
    readonly value: unknown,
  ) {}
}
export const commented = (comment: string, value: unknown) => new Commented(comment, value);

export const ref = (logicalId: string) => new Intrinsic('Ref', logicalId);
export const sub = (text: string) => new Intrinsic('Sub', text);
export const getAtt = (logicalId: string, attribute: string) => new Intrinsic('GetAtt', `${logicalId}.${attribute}`);

/** A node for `doc`, intrinsics in short form. Strings YAML 1.1 would misread are quoted. */
export function toYamlNode(doc: Document, value: unknown): Node {
  // A node read from the user's template (kept as written: tags, quotes).
  if (isNode(value)) return value;
  if (value instanceof Commented) {
    const node = toYamlNode(doc, value.value);
    node.commentBefore = value.comment;
    return node;
  }
  if (value instanceof Intrinsic) {
    const node = toYamlNode(doc, value.value);
    node.tag = `!${value.name}`;
    if (node instanceof YAMLSeq) node.flow = true; // !Select [3, !Split [/, ...]] reads as one expression
    return node;
  }
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const item of value) seq.items.push(toYamlNode(doc, item));
    return seq;
  }
  if (value && typeof value === 'object' && !(value instanceof Scalar)) {
    const map = new YAMLMap();
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) map.items.push(doc.createPair(k, toYamlNode(doc, v)));
    }
    return map;
  }
  if (value instanceof Scalar) return value;
  return doc.createNode(value) as Node;
}

/** The JSON form CloudFormation also reads, for JSON templates. */
export function toLongForm(value: unknown): unknown {
  if (value instanceof Commented) return toLongForm(value.value);
  if (isNode(value)) return value.toJSON();
  if (value instanceof Intrinsic) {
    const key = value.name === 'Ref' || value.name === 'Condition' ? value.name : `Fn::${value.name}`;
    const inner = toLongForm(value.value);
    if (value.name === 'GetAtt' && typeof inner === 'string') {
      const dot = inner.indexOf('.');
      return { [key]: [inner.slice(0, dot), inner.slice(dot + 1)] };
    }
    return { [key]: inner };
  }
  if (Array.isArray(value)) return value.map(toLongForm);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toLongForm(v)]));
  }
  return value;
}

/** A string written in single quotes, e.g. '2010-09-09', which YAML 1.1 readers take for a date. */
export function quoted(text: string): Scalar {
  const node = new Scalar(text);
  node.type = Scalar.QUOTE_SINGLE;
  return node;
}

/**
 * Intrinsics written in JSON form ({"Ref": "X"}, {"Fn::Sub": "..."}), e.g. in a kit manifest, as
 * Intrinsic values, so YAML templates get them in short form like the rest of the file.
 */
export function fromLongForm(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromLongForm);
  if (!value || typeof value !== 'object' || value instanceof Intrinsic) return value;
  const entries = Object.entries(value);
  const [key, inner] = entries[0] ?? [];
  if (entries.length === 1 && key && (key === 'Ref' || key === 'Condition' || key.startsWith('Fn::'))) {
    const name = key.replace(/^Fn::/, '');
    const converted = fromLongForm(inner);
    // !GetAtt takes Resource.Attribute as one string in short form.
    if (name === 'GetAtt' && Array.isArray(converted) && converted.every((x) => typeof x === 'string')) return new Intrinsic(name, converted.join('.'));
    return new Intrinsic(name, converted);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, fromLongForm(v)]));
}
