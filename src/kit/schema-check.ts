// Checks a manifest against container-lambda-kit.schema.json: one line per problem, naming the field.
import { createRequire } from 'node:module';
import { validateManifestSchema, type SchemaError, type Validate } from './schema-validator.ts';

export interface Problem {
  /** Dotted path of the field: allow.runtimes[1], prompts[0].type; '' for the manifest itself. */
  field: string;
  message: string;
}

let compiled: Validate | undefined = validateManifestSchema;

function validator(): Validate {
  if (compiled) return compiled;
  // From source only: the bundle carries the precompiled validator.
  const require = createRequire(import.meta.url);
  const Ajv = require('ajv').default as new (o: object) => { compile(schema: object): Validate };
  compiled = new Ajv({ allErrors: true, strict: false }).compile(require('./container-lambda-kit.schema.json'));
  return compiled;
}

/** `/allow/runtimes/1` -> `allow.runtimes[1]`. */
export function fieldName(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function describe(e: SchemaError): Problem {
  const field = fieldName(e.instancePath);
  const p = e.params;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      return { field: field ? `${field}.${name}` : name, message: 'unknown field' };
    }
    case 'required':
      return { field: field ? `${field}.${String(p.missingProperty)}` : String(p.missingProperty), message: 'is required' };
    case 'enum':
      return { field, message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'pattern':
      return { field, message: `does not match ${String(p.pattern)}` };
    default:
      return { field, message: e.message ?? e.keyword };
  }
}

/** Problems by field: where a oneOf failed, the branch's own errors say more than "must match one schema". */
export function schemaProblems(manifest: unknown): Problem[] {
  const validate = validator();
  if (validate(manifest)) return [];
  const errors = validate.errors ?? [];
  const seen = new Set<string>();
  const problems: Problem[] = [];
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
  for (const e of errors) {
    // A oneOf with a type mismatch in every branch: say what types are allowed, once.
    if (e.keyword === 'oneOf') {
      const inside = specific.filter((x) => x.instancePath === e.instancePath || x.instancePath.startsWith(`${e.instancePath}/`));
      const deeper = inside.filter((x) => x.instancePath !== e.instancePath);
      if (deeper.length > 0) continue;
      const types = [...new Set(inside.filter((x) => x.keyword === 'type').map((x) => String(x.params.type)))];
      const problem = { field: fieldName(e.instancePath), message: types.length ? `must be ${types.join(' or ')}` : 'has the wrong shape' };
      const key = problem.field;
      if (!seen.has(key)) problems.push(problem);
      seen.add(key);
      continue;
    }
    // Errors inside a oneOf branch at the oneOf's own path were summarised above.
    const wrapped = errors.some((x) => x.keyword === 'oneOf' && x.instancePath === e.instancePath);
    if (wrapped && (e.keyword === 'type' || e.keyword === 'const')) continue;
    const problem = describe(e);
    const key = `${problem.field}\n${problem.message}`;
    if (seen.has(key) || seen.has(problem.field)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}
