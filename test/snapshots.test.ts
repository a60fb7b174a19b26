import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readTree } from './helpers/cli.ts';
import { SCENARIOS, generateAll } from './helpers/scenarios.ts';
import { compareSnapshot, renderTree } from './helpers/snapshot.ts';

const t = suite('snapshots');

for (const s of SCENARIOS.filter((x) => x.snapshot)) {
  t(`${s.name}: the whole generated tree matches snapshots/${s.name}.snap`, async () => {
    const dir = (await generateAll()).get(s.name)!;
    const title = `create-container-lambda demo --yes --no-git --no-install ${s.args.join(' ')}`;
    const problem = compareSnapshot(s.name, renderTree(title, readTree(dir)));
    assert.not.ok(problem, problem);
  });
}

t.run();
