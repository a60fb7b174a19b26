// Reads a kit's manifest from its folder and checks it (schema, then meaning). `kit check` prints
// every problem; new, add and check stop at the first, pointing at `kit check`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors.ts';
import { MANIFEST_NAMES, type KitManifest } from './manifest.ts';
import { manifestProblems, templateProblems } from './manifest-check.ts';
import { schemaProblems } from './schema-check.ts';

export interface ManifestReading {
  /** The manifest's file name (container-lambda-kit.json or .yaml). */
  file: string;
  manifest?: KitManifest;
  /** `file: field: message` lines, or `templates/<path>: message` for template files. */
  problems: string[];
}

export function manifestFile(dir: string): string | undefined {
  return MANIFEST_NAMES.find((name) => existsSync(join(dir, name)));
}

export function readManifest(dir: string): ManifestReading {
  const file = manifestFile(dir);
  if (!file) return { file: MANIFEST_NAMES[0]!, problems: [`${MANIFEST_NAMES[0]}: missing (a kit is a folder with ${MANIFEST_NAMES.join(' or ')})`] };
  const text = readFileSync(join(dir, file), 'utf8');
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { prettyErrors: false });
  } catch (error) {
    return { file, problems: [`${file}: does not parse (${(error as Error).message.split('\n')[0]})`] };
  }
  const schema = schemaProblems(data);
  const line = (field: string, message: string) => (field.startsWith('templates/') || field === 'generators/' ? `${field}: ${message}` : `${file}: ${field || '(top level)'}: ${message}`);
  if (schema.length > 0) return { file, problems: schema.map((p) => line(p.field, p.message)) };
  const manifest = data as KitManifest;
  const problems = [...manifestProblems(manifest, dir), ...templateProblems(dir)].map((p) => line(p.field, p.message));
  return { file, manifest, problems };
}

/** The manifest, or a UserError with its first problem. */
export function loadManifest(dir: string, shown: string): KitManifest {
  const reading = readManifest(dir);
  if (reading.manifest && reading.problems.length === 0) return reading.manifest;
  const more = reading.problems.length > 1 ? ` (and ${reading.problems.length - 1} more)` : '';
  throw new UserError(`Kit ${shown}: ${reading.problems[0]}${more}`, `Fix the kit; create-container-lambda kit check <kit folder> lists every problem`);
}
