// The official AWS SAM JSON schema (draft-04), found and loaded once. Where it is: SAM_SCHEMA when
// set; else dist/schemas/sam.schema.json.gz next to the bundle (the build packs it); else, running
// from source, ../shared/schemas/sam.schema.json beside the repository. Its compiler (ajv-draft-04,
// a chunk of its own) is imported only here, so a run that validates nothing never loads it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { explain, type SamSchema, type Check } from './sam-explain.ts';
import { asObject, loadTemplate } from './template.ts';

interface AjvLike {
  addSchema(schema: object, key: string): unknown;
  getSchema(ref: string): Check | undefined;
}
type AjvClass = new (options: { strict: boolean; allErrors: boolean }) => AjvLike;

const KEY = 'sam';
let Ajv: AjvClass | undefined;
let cannotLoad: Error | undefined;
let loaded: SamSchema | undefined;

/** The schema files looked for, in order; SAM_SCHEMA alone when it is set. */
function candidates(): string[] {
  if (process.env.SAM_SCHEMA) return [resolve(process.env.SAM_SCHEMA)];
  const here = dirname(fileURLToPath(import.meta.url)); // dist/ when bundled, src/validate/ from source
  return [join(here, 'schemas', 'sam.schema.json.gz'), resolve(here, '../../../shared/schemas/sam.schema.json')];
}

function read(path: string): SamSchema {
  const bytes = readFileSync(path);
  const schema = asObject(JSON.parse((path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')));
  const ajv = new Ajv!({ strict: false, allErrors: true });
  ajv.addSchema(schema, KEY);
  const checks = new Map<string, Check>();
  const checkAt = (ptr: string): Check => {
    let check = checks.get(ptr);
    if (!check) {
      check = ajv.getSchema(ptr === '' ? KEY : `${KEY}#${ptr}`);
      if (!check) throw new Error(`SAM schema has nothing at #${ptr}`);
      checks.set(ptr, check);
    }
    return check;
  };
  return { path, schema, checkAt };
}

/** The loaded schema, read again when SAM_SCHEMA now names another file; validators compile lazily, once per pointer. */
function current(): SamSchema {
  if (!Ajv) throw cannotLoad ?? new Error('the SAM schema is not loaded: await loadSamSchema() before validateSamSchema()');
  const paths = candidates();
  const path = paths.find((p) => existsSync(p));
  if (!path) throw new Error(`SAM schema not found at ${paths.join(' or ')} (set SAM_SCHEMA to its path)`);
  if (loaded?.path !== path) loaded = read(path);
  return loaded;
}

/**
 * Loads the schema compiler and the schema: once, before validateSamSchema (which is synchronous).
 * Throws what validateSamSchema would throw: no compiler, or no schema file.
 */
export async function loadSamSchema(): Promise<void> {
  if (!Ajv && !cannotLoad) {
    try {
      Ajv = ((await import('ajv-draft-04')) as unknown as { default: AjvClass }).default;
    } catch (e) {
      const why = String((e as Error).message).split('\n')[0];
      cannotLoad = new Error(`cannot load ajv-draft-04 (${why}); it needs its peer dependency: add "ajv": "^8" to devDependencies`);
    }
  }
  current();
}

/**
 * Validates a template against the official SAM schema. Returns one message per defect, such as
 * `Resources.Fn.Properties.Events.Hello.Properties: unknown property "Foo"`; [] when valid.
 * Needs `await loadSamSchema()` first.
 */
export function validateSamSchema(templatePath: string): string[] {
  const { data, problems } = loadTemplate(templatePath);
  if (problems.length > 0) return problems;
  return explain(current(), '', data, '');
}
