// The sample events are in the shape AWS delivers: typed against @types/aws-lambda with no casts
// (test/fixtures/events-typecheck/check.ts, compiled by `npm run typecheck`), and the fields typed as
// string-literal unions hold values those unions allow (checked here, when that file runs).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EVENTS } from '../src/registry/events.ts';

const t = suite('sample events');

t('every literal-typed field holds a value its type allows', async () => {
  const { problems, typed, loosened } = await import('./fixtures/events-typecheck/check.ts');
  assert.equal(problems, []);
  const checked = new Set([...Object.keys(typed), ...Object.keys(loosened)]);
  const kinds = EVENTS.map((e) => e.id).filter((k) => k !== 'none');
  for (const kind of kinds) {
    const key = kind.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    assert.ok(checked.has(key), `templates/events/${kind}.json is type-checked`);
  }
});

t.run();
