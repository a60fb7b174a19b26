// Generated Go projects, built and tested for real against aws-lambda-go from the Go module proxy:
// for every event set, `go vet ./...` and `go test ./...` with the shipped go.mod and go.sum unchanged
// (-mod=readonly: a missing or wrong checksum, or a version the proxy lacks, fails) on this machine's Go.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, VARIANTS } from '../helpers/matrix.ts';
import { EVENT_SETS, sh } from '../helpers/sh.ts';
import { skip } from '../helpers/skips.ts';

const t = suite('go');
const FN = 'functions/hello-function';
const ENV = { GOFLAGS: '-mod=readonly', GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };
const go = sh('go version', tmpdir());

for (const v of VARIANTS.filter((x) => x.language.id === 'go')) {
  if (!go.ok) {
    skip(v.name, 'go test', 'go is not installed');
    continue;
  }
  t(`${v.name} (${go.output.split(' ')[2]}): go vet and go test pass for ${EVENT_SETS.length} event sets`, async () => {
    for (const events of EVENT_SETS) {
      const g = await generate(v, 'x86_64', events);
      const r = sh('go vet ./... && go test -count=1 ./...', join(g.dir, FN), ENV);
      assert.ok(r.ok, `[${events}] ${r.output}`);
      assert.match(r.output, /^ok\s/m, `[${events}] no test ran: ${r.output}`);
    }
  });
}

t.run();
