// The three-way comparison behind `update`'s template merge: what the new version changed (base ->
// theirs), per section, resource and property, and what each change means for the user's template
// (ours). Mappings are compared key by key; sequences and scalars as whole values, by what
// CloudFormation reads (`!Ref X` is `{Ref: X}`), not by how they are written.
import { isDeepStrictEqual } from 'node:util';
import { isAlias, isMap, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { nodeToLongForm } from '../sam/cfn-tags.ts';
import { keyOf } from '../sam/read-template.ts';

/** One parsed template and its text. */
export interface Side {
  text: string;
  doc: Document;
}

/** Where a new key goes in the user's mapping. */
export type Anchor = { after: Pair } | { before: Pair } | { end: true };

/** What to do in ours for one change of theirs. Maps and pairs are ours'; values and keys theirs'. */
export type Decision =
  | { kind: 'replace'; path: string[]; map: YAMLMap; pair: Pair; value: Node }
  | { kind: 'insert'; path: string[]; map: YAMLMap; anchor: Anchor; key: Node; value: Node }
  | { kind: 'remove'; path: string[]; map: YAMLMap; pair: Pair; parent?: Pair }
  /** `value` is theirs (undefined: theirs removed the key). */
  | { kind: 'conflict'; path: string[]; map: YAMLMap; pair: Pair; value?: Node };

const deref = (node: unknown, doc: Document): unknown => (isAlias(node) ? node.resolve(doc) : node);

/** A mapping compared key by key (an empty one is compared as a whole value). */
const keyed = (node: unknown): node is YAMLMap => isMap(node) && node.items.length > 0;

const index = (map: YAMLMap | undefined) => {
  const keys = new Map<string, Pair>();
  for (const pair of map?.items ?? []) if (!keys.has(keyOf(pair))) keys.set(keyOf(pair), pair);
  return keys;
};

/** Whether two values read the same to CloudFormation. Comments, styles and key order do not count. */
function same(x: unknown, xs: Side, y: unknown, ys: Side): boolean {
  const a = deref(x, xs.doc);
  const b = deref(y, ys.doc);
  if (isMap(a) && isMap(b) && a.tag === b.tag) {
    if (a.items.length !== b.items.length) return false;
    const other = index(b);
    return a.items.every((p) => other.has(keyOf(p)) && same(p.value, xs, other.get(keyOf(p))!.value, ys));
  }
  if (isSeq(a) && isSeq(b) && a.tag === b.tag) {
    return a.items.length === b.items.length && a.items.every((item, i) => same(item, xs, b.items[i], ys));
  }
  return isDeepStrictEqual(nodeToLongForm(a, xs.doc), nodeToLongForm(b, ys.doc));
}

/** The decisions for ours, in theirs' order, then the removals. */
export function decide(base: Side, ours: Side, theirs: Side): Decision[] {
  const out: Decision[] = [];

  /** A value theirs changed at `path` (or added, when there is no base), where ours has `o`. */
  const leaf = (path: string[], map: YAMLMap, o: Pair, t: Node, b?: unknown) => {
    if (same(o.value, ours, t, theirs)) return;
    if (b !== undefined && same(o.value, ours, b, base)) out.push({ kind: 'replace', path, map, pair: o, value: t });
    else out.push({ kind: 'conflict', path, map, pair: o, value: t });
  };

  /**
   * Theirs' mapping `t` against ours' `o` and base's `b` (none when both added it). `parent`: ours'
   * pair whose value `o` is (none for the root).
   */
  const walk = (path: string[], t: YAMLMap, o: YAMLMap, b: YAMLMap | undefined, parent?: Pair) => {
    const [bKeys, tKeys, oKeys] = [index(b), index(t), index(o)];
    const placed = new Map<string, Anchor>();
    const anchor = (i: number): Anchor => {
      const previous = i > 0 ? keyOf(t.items[i - 1]!) : undefined;
      if (previous && oKeys.has(previous)) return { after: oKeys.get(previous)! };
      if (previous && placed.has(previous)) return placed.get(previous)!;
      // A new section goes before the first section after it that ours has.
      const next = parent ? undefined : t.items.slice(i + 1).find((p) => oKeys.has(keyOf(p)));
      return next ? { before: oKeys.get(keyOf(next))! } : { end: true };
    };
    for (const [i, tp] of t.items.entries()) {
      const key = keyOf(tp);
      const at = [...path, key];
      const [bp, op] = [bKeys.get(key), oKeys.get(key)];
      const tv = deref(tp.value, theirs.doc) as Node;
      if (!op) {
        // Absent in ours: the user deleted it (leave it so), or theirs added it (insert it).
        if (!bp) {
          placed.set(key, anchor(i));
          out.push({ kind: 'insert', path: at, map: o, anchor: placed.get(key)!, key: tp.key as Node, value: tv });
        }
        continue;
      }
      const bv = bp ? deref(bp.value, base.doc) : undefined;
      const ov = deref(op.value, ours.doc);
      // An alias in ours is replaced as a whole: an edit inside it would change what it points to.
      const nested = keyed(tv) && keyed(ov) && ov.tag === tv.tag && !isAlias(op.value);
      if (nested && (!bp || (keyed(bv) && bv.tag === tv.tag))) {
        walk(at, tv, ov as YAMLMap, bv as YAMLMap | undefined, op);
      } else if (!bp || !same(bv, base, tv, theirs)) {
        leaf(at, o, op, tv, bv);
      }
    }
    for (const bp of b?.items ?? []) {
      const key = keyOf(bp);
      const op = oKeys.get(key);
      if (tKeys.has(key) || !op) continue;
      if (same(op.value, ours, bp.value, base)) out.push({ kind: 'remove', path: [...path, key], map: o, pair: op, parent });
      else out.push({ kind: 'conflict', path: [...path, key], map: o, pair: op });
    }
  };

  const [b, o, t] = [base.doc.contents, ours.doc.contents, theirs.doc.contents];
  if (isMap(b) && isMap(o) && isMap(t)) walk([], t, o, b);
  return out;
}
