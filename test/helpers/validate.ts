// The validators of generated projects, as the tests use them: src/validate/ (the same code that
// `create-container-lambda kit test` runs) with the tests' policy for a missing tool: an error in CI
// (env `CI` set), elsewhere one warning line and that tool's checks skipped. External tools run ONCE
// per batch (cfn-lint costs ~1.7 s per process), so prefer `validateProject(dirs)` over calling it
// per project. The SAM schema is ../shared/schemas/sam.schema.json (SAM_SCHEMA overrides it).
import { lintTemplates as lint } from '../../src/validate/cfn-lint.ts';
import { validateProject as validate } from '../../src/validate/project.ts';
import { loadSamSchema } from '../../src/validate/sam-schema.ts';
import { shellcheck as check } from '../../src/validate/shellcheck.ts';
import { requireTool as findTool, type ToolOptions } from '../../src/validate/tools.ts';

export { checkImageRules } from '../../src/validate/image-rules.ts';
export { validateSamSchema } from '../../src/validate/sam-schema.ts';

const TESTS: ToolOptions = { missing: 'skip-outside-ci' };

// Loaded once here so that validateSamSchema stays synchronous. A failure (no ajv-draft-04, no schema
// file) is thrown by validateSamSchema when called: it fails the schema checks, not every test file.
await loadSamSchema().catch(() => undefined);

/** Whether `name` is on PATH; when it is not: throws in CI, elsewhere warns once and returns false. */
export const requireTool = (name: string): Promise<boolean> => findTool(name, TESTS);
export const lintTemplates = (paths: string[]): Promise<Map<string, string[]>> => lint(paths, TESTS);
export const shellcheck = (paths: string[]): Promise<Map<string, string[]>> => check(paths, TESTS);
export const validateProject = (dirs: string[]): Promise<Map<string, string[]>> => validate(dirs, TESTS);

/** validateProject's findings as `<dir>: <problem>; ...` lines, one per project that has any. */
export async function projectProblems(dirs: string[]): Promise<string[]> {
  const problems = await validateProject(dirs);
  return [...problems].filter(([, p]) => p.length > 0).map(([dir, p]) => `${dir}: ${p.join('; ')}`);
}
