// Reading values and their lines off a parsed template's nodes. The rules need both what a value is
// and where it is written, so they walk the `yaml` nodes (positions kept) instead of the plain JSON
// form. Aliases are followed and merge keys (`<<: *defaults`) expanded, as CloudFormation's reader
// does; an intrinsic function is a value that exists but is unknown until deployment.
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** A key of a mapping and its value; line is the key's. */
export interface Entry {
  key: string;
  value: Node | undefined;
  line: number;
}

/** A lookup's result: found, absent (undefined), or behind an intrinsic so that nobody can tell. */
export type Found = Entry | 'unknown' | undefined;

const INTRINSIC_KEY = /^(Ref|Condition|Fn::[A-Za-z]+)$/;

export class Nodes {
  constructor(
    readonly doc: Document,
    readonly lines: LineCounter,
  ) {}

  /** The line (1-based) where a node starts. */
  line(node: Node | undefined): number {
    return node?.range ? this.lines.linePos(node.range[0]).line : 1;
  }

  /** The node an alias names (`*defaults`); any other node as is. */
  deref(node: unknown): Node | undefined {
    // A depth limit, since an alias may name one of its own ancestors.
    for (let i = 0; i < 20 && isAlias(node); i++) node = node.resolve(this.doc);
    return isAlias(node) ? undefined : (node as Node | undefined) ?? undefined;
  }

  /** `!If [...]`, `{"Fn::If": [...]}`, `{"Ref": ...}`: a value known only at deployment. */
  isIntrinsic(raw: unknown): boolean {
    const node = this.deref(raw);
    if (!node) return false;
    if (node.tag?.startsWith('!') && !node.tag.startsWith('!!')) return true;
    if (!isMap(node) || node.items.length !== 1) return false;
    const key = node.items[0]!.key;
    return isScalar(key) && typeof key.value === 'string' && INTRINSIC_KEY.test(key.value);
  }

  /** A scalar as a string; undefined for intrinsics, collections and null. */
  text(raw: unknown): string | undefined {
    const node = this.deref(raw);
    if (!isScalar(node) || this.isIntrinsic(node) || node.value === null || node.value === undefined) return undefined;
    return String(node.value);
  }

  /** A mapping's entries, its own first, then those merge keys bring in (own keys win). */
  entries(raw: unknown, depth = 0): Entry[] {
    const node = this.deref(raw);
    if (!isMap(node) || depth > 20) return [];
    const own: Entry[] = [];
    const merged: Entry[] = [];
    for (const pair of node.items) {
      const key = pair.key as Node | undefined;
      if (isScalar(key) && typeof key.value === 'symbol') {
        // `<<: *a` or `<<: [*a, *b]`: earlier sources win over later ones.
        const value = this.deref(pair.value);
        const sources = isSeq(value) ? value.items : [value];
        for (const source of sources) merged.push(...this.entries(source, depth + 1));
        continue;
      }
      const name = isScalar(key) ? String(key.value) : String(key);
      own.push({ key: name, value: this.deref(pair.value), line: this.line(key) });
    }
    const seen = new Set<string>();
    return [...own, ...merged].filter((e) => !seen.has(e.key) && seen.add(e.key));
  }

  /** The entry at a path of keys below a node; 'unknown' when an intrinsic stands on the way or at the end. */
  find(raw: unknown, path: string[]): Found {
    let node = this.deref(raw);
    let found: Entry | undefined;
    for (const key of path) {
      if (this.isIntrinsic(node)) return 'unknown';
      found = this.entries(node).find((e) => e.key === key);
      if (!found) return undefined;
      node = found.value;
    }
    return this.isIntrinsic(node) ? 'unknown' : found;
  }

  /** A sequence's items (aliases followed); undefined when the node is not a sequence. */
  items(raw: unknown): (Node | undefined)[] | undefined {
    const node = this.deref(raw);
    return isSeq(node) ? node.items.map((item) => this.deref(item)) : undefined;
  }
}
