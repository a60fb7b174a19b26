// Turns the SAM schema's verdict into one message per defect. ajv's raw errors are noisy (Resources
// and Events are large anyOf lists), so the value and the schema are walked together, descending
// only where ajv says the value fails, and a union of typed objects is narrowed to the branch its
// `Type` names.
import { asObject, isObject, type Json } from './template.ts';

export interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Json;
}
export type Check = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

export interface SamSchema {
  /** The file it was read from. */
  path: string;
  schema: Json;
  /** The validator of the subschema at a JSON pointer ('' for the whole schema). */
  checkAt(ptr: string): Check;
}

const escapePtr = (key: string): string => encodeURIComponent(key.replace(/~/g, '~0').replace(/\//g, '~1'));

function nodeAt(s: SamSchema, ptr: string): Json {
  let node: unknown = s.schema;
  for (const part of ptr.split('/').slice(1)) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    node = Array.isArray(node) ? node[Number(key)] : asObject(node)[key];
  }
  return asObject(node);
}

/** Follows `$ref`s from a pointer to the pointer of the schema that does the work. */
function deref(s: SamSchema, ptr: string): string {
  for (let ref = nodeAt(s, ptr).$ref; typeof ref === 'string'; ref = nodeAt(s, ptr).$ref) ptr = ref.replace(/^#/, '');
  return ptr;
}

/** Does a union branch accept this `Type`? 'enum' for SAM types, 'pattern' for any CloudFormation type. */
function typeMatch(s: SamSchema, branchPtr: string, type: string): 'enum' | 'pattern' | undefined {
  const typeSchema = nodeAt(s, deref(s, `${branchPtr}/properties/Type`));
  if (Array.isArray(typeSchema.enum)) return typeSchema.enum.includes(type) ? 'enum' : undefined;
  if (typeof typeSchema.pattern === 'string') return new RegExp(typeSchema.pattern, 'u').test(type) ? 'pattern' : undefined;
  return undefined;
}

/**
 * One message per defect of `value` (at `path`, as `Resources.Fn.Properties`) against the
 * subschema at pointer `at`; [] when it is valid.
 */
export function explain(s: SamSchema, at: string, value: unknown, path: string): string[] {
  const ptr = deref(s, at);
  const check = s.checkAt(ptr);
  if (check(value)) return [];
  const errors = check.errors ?? [];
  const node = nodeAt(s, ptr);
  const where = path || '(template)';
  const out: string[] = [];
  if (Array.isArray(node.allOf)) node.allOf.forEach((_, i) => out.push(...explain(s, `${ptr}/allOf/${i}`, value, path)));
  if (Array.isArray(node.anyOf) && isObject(value)) {
    const branches = node.anyOf.map((_, i) => deref(s, `${ptr}/anyOf/${i}`));
    const typed = branches.filter((b) => isObject(nodeAt(s, b).properties) && 'Type' in asObject(nodeAt(s, b).properties));
    if (typed.length === branches.length && 'Type' in value) {
      const type = value.Type;
      const how = (b: string): string | undefined => (typeof type === 'string' ? typeMatch(s, b, type) : undefined);
      const pick = typed.find((b) => how(b) === 'enum') ?? typed.find((b) => how(b) === 'pattern');
      if (pick) return explain(s, pick, value, path);
      const known = typed.flatMap((b) => nodeAt(s, deref(s, `${b}/properties/Type`)).enum ?? []) as string[];
      return [`${where}.Type: ${JSON.stringify(type)} is not one of ${known.join(', ')}`];
    }
    if (typed.length === branches.length) return [`${where}: missing required property "Type"`];
  }
  if (isObject(value)) {
    const props = asObject(node.properties);
    for (const [key, child] of Object.entries(value)) {
      const inner = path ? `${path}.${key}` : key;
      if (Object.hasOwn(props, key)) out.push(...explain(s, `${ptr}/properties/${escapePtr(key)}`, child, inner));
      else if (node.additionalProperties === false) out.push(`${where}: unknown property "${key}"`);
      else if (isObject(node.additionalProperties)) out.push(...explain(s, `${ptr}/additionalProperties`, child, inner));
    }
    const required = Array.isArray(node.required) ? (node.required as string[]) : [];
    for (const key of required) if (!(key in value)) out.push(`${where}: missing required property "${key}"`);
  }
  if (Array.isArray(value) && isObject(node.items)) {
    value.forEach((item, i) => out.push(...explain(s, `${ptr}/items`, item, `${path}[${i}]`)));
  }
  return [...new Set(out.length > 0 ? out : leafMessages(errors, where))];
}

/** ajv's own words, for a value that fails a schema with nothing left to descend into. */
function leafMessages(errors: SchemaError[], where: string): string[] {
  const messages = new Map<string, string[]>();
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'allOf') continue;
    const at = where + e.instancePath.split('/').slice(1).map((k) => `.${k}`).join('');
    const allowed = Array.isArray(e.params.allowedValues) ? `: ${e.params.allowedValues.join(', ')}` : '';
    messages.set(at, [...(messages.get(at) ?? []), `${e.message ?? e.keyword}${allowed}`]);
  }
  // Several messages for one value come from the alternatives of an anyOf.
  const out = [...messages].map(([at, list]) => `${at}: ${[...new Set(list)].join(' or ')}`);
  return out.length > 0 ? out : [`${where}: does not match the SAM schema`];
}
