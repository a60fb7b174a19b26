// Validates generated projects, four independent checks per project:
//   cfn-lint          CloudFormation values and references (after the SAM transform)
//   SAM JSON schema   SAM structure: resource/event types, unknown or missing properties
//   image rules       what neither of those catches for container-image functions
//   shellcheck        the project's scripts/*.sh
// The same checks the tool's own tests run (test/helpers/validate.ts re-exports these modules).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lintTemplates } from './cfn-lint.ts';
import { checkImageRules } from './image-rules.ts';
import { loadSamSchema, validateSamSchema } from './sam-schema.ts';
import { shellcheck } from './shellcheck.ts';
import type { ToolOptions } from './tools.ts';

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();
const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile();

/**
 * Validates generated projects (each with `template.yaml` and optional `scripts/*.sh`), with ONE
 * cfn-lint and ONE shellcheck run for the whole batch. Problems per dir, each prefixed by its file:
 * `template.yaml:28:5 E6101 ...`, `template.yaml: [sam-schema] ...`, `template.yaml: [image] ...`,
 * `scripts/build.sh:2:6 SC2086 ...`. An empty list means the project is clean. A missing cfn-lint
 * or shellcheck is handled as `options.missing` says.
 */
export async function validateProject(dirs: string[], options: ToolOptions): Promise<Map<string, string[]>> {
  const projects = [...new Set(dirs)].map((dir) => {
    const scriptDir = join(dir, 'scripts');
    const scripts = isDir(scriptDir) ? readdirSync(scriptDir).filter((f) => f.endsWith('.sh')).sort() : [];
    return { dir, template: join(dir, 'template.yaml'), scripts };
  });
  const withTemplate = projects.filter((p) => isFile(p.template));
  const [lint, shell] = await Promise.all([
    lintTemplates(withTemplate.map((p) => p.template), options),
    shellcheck(projects.flatMap((p) => p.scripts.map((s) => join(p.dir, 'scripts', s))), options),
    withTemplate.length > 0 ? loadSamSchema() : undefined,
  ]);
  const results = new Map<string, string[]>();
  for (const p of projects) {
    const out: string[] = [];
    if (!isFile(p.template)) out.push('template.yaml: missing');
    else {
      for (const f of lint.get(p.template) ?? []) out.push(`template.yaml:${f}`);
      for (const m of validateSamSchema(p.template)) out.push(`template.yaml: [sam-schema] ${m}`);
      for (const m of checkImageRules(p.template)) out.push(`template.yaml: [image] ${m}`);
    }
    for (const s of p.scripts) {
      for (const f of shell.get(join(p.dir, 'scripts', s)) ?? []) out.push(`scripts/${s}:${f}`);
    }
    results.set(p.dir, out);
  }
  return results;
}
