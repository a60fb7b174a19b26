// Generated Ruby projects' unit tests, run for real with `rake test` on the Ruby version each runtime
// names, from Debian's testing suite (Ruby 3.3) and experimental (Ruby 3.4) unpacked by
// test/languages/install-newer-debian.sh. Rake and minitest are the handler's only test dependencies.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generate, VARIANTS } from '../helpers/matrix.ts';
import { EVENT_SETS } from '../helpers/sh.ts';
import { inNewerDebian, newerDebianHas } from '../helpers/newer-debian.ts';
import { skip } from '../helpers/skips.ts';

const t = suite('ruby');
const FN = 'functions/hello-function';

for (const v of VARIANTS.filter((x) => x.language.id === 'ruby')) {
  const version = v.runtime.id.replace(/^ruby/, '');
  const rake = `rake${version}`;
  if (!newerDebianHas(rake)) {
    skip(v.runtime.id, 'rake test', `no Ruby ${version} here (Debian testing has 3.3, experimental 3.4)`);
    continue;
  }
  t(`${v.name} (Debian ruby${version}): rake test passes for ${EVENT_SETS.length} event sets`, async () => {
    for (const events of EVENT_SETS) {
      const g = await generate(v, 'x86_64', events);
      const r = inNewerDebian(`${rake} test`, g.dir, FN);
      assert.ok(r.ok, `[${events}] ${r.output}`);
      assert.match(r.output, /^[1-9]\d* runs, \d+ assertions, 0 failures, 0 errors/m, `[${events}] ${r.output}`);
    }
  });
}

t.run();
