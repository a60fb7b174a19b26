// The CLI's own scenarios (every variant on both architectures, through the real command line) pass
// every validator: cfn-lint, the SAM schema, the image rules and shellcheck.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateAll } from './helpers/scenarios.ts';
import { validateProject } from './helpers/validate.ts';

const t = suite('validation');

t('every CLI scenario passes cfn-lint, the SAM schema, the image rules and shellcheck', async () => {
  const dirs = await generateAll();
  const results = await validateProject([...dirs.values()]);
  const problems = [...dirs].flatMap(([name, dir]) => (results.get(dir) ?? []).map((p) => `${name}: ${p}`));
  assert.equal(problems, []);
});

t.run();
