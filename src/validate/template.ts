// A template as the schema check and the image rules read it: its long (JSON) form, CloudFormation
// short-form tags mapped to their long forms.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { cfnTags, toLongForm } from '../sam/cfn-tags.ts';

export type Json = { [key: string]: unknown };
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asObject = (v: unknown): Json => (isObject(v) ? v : {});

/** Parses a YAML or JSON template into its long (JSON) form; YAML errors and warnings are problems. */
export function loadTemplate(path: string): { data: Json; problems: string[] } {
  const doc = parseDocument(readFileSync(path, 'utf8'), { customTags: cfnTags });
  const problems = [...doc.errors, ...doc.warnings].map((e) => `YAML: ${(e.message.split('\n')[0] ?? '').replace(/:$/, '')}`);
  return { data: problems.length > 0 ? {} : asObject(toLongForm(doc)), problems };
}
