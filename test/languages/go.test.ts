// Generated Go projects, built and tested for real: for every event set, `go vet` and `go test` with the
// go.sum the template ships, read-only (-mod=readonly: a missing or wrong checksum fails rather than
// being written), on this machine's Go (GOTOOLCHAIN=local) and modules from the Go module proxy, never
// offline: a version the proxy does not serve fails the run. `go mod tidy -diff` then shows that
// go.mod and go.sum are exactly what tidy writes. Each project is a module of its own, all named after
// the function's folder, so there is no go.work over them; they share the build and module caches.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../helpers/cli.ts';
import { generate, VARIANTS } from '../helpers/matrix.ts';
import { EVENT_SETS, sh } from '../helpers/sh.ts';
import { skip } from '../helpers/skips.ts';

const t = suite('go');
const FN = 'functions/hello-function';
// CGO_ENABLED=0 as in the Dockerfile's build: the executable is static.
const ENV = { GOFLAGS: '-mod=readonly', GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };
const SHIPPED_SUM = readFileSync(join(REPO, 'templates/functions/go/go.sum'), 'utf8');

const go = sh('go version', tmpdir(), ENV);
for (const v of VARIANTS.filter((x) => x.language.id === 'go')) {
  if (!go.ok) {
    skip(v.name, 'go vet and go test', `go is not installed: ${go.output}`);
    continue;
  }
  for (const events of EVENT_SETS) {
    t(`${v.name} [${events}] (${go.output.replace(/^go version /, '')}): go vet and go test pass with the shipped go.sum`, async () => {
      const g = await generate(v, 'x86_64', events);
      const fn = join(g.dir, FN);
      const sum = () => readFileSync(join(fn, 'go.sum'), 'utf8');
      assert.is(sum(), SHIPPED_SUM, 'the project has the go.sum of the template');

      const vet = sh('go vet ./...', fn, ENV);
      assert.ok(vet.ok, `go vet: ${vet.output}`);
      const test = sh('go test -count=1 -v ./...', fn, ENV);
      assert.ok(test.ok, `go test: ${test.output}`);
      assert.match(test.output, /^--- PASS: Test/m, `no test ran: ${test.output}`);
      assert.not.match(test.output, /^--- (FAIL|SKIP)/m, test.output);
      const tidy = sh('go mod tidy -diff', fn, ENV);
      assert.ok(tidy.ok, `go.mod or go.sum is not what go mod tidy writes: ${tidy.output}`);
      assert.is(sum(), SHIPPED_SUM, 'go.sum unchanged by the build');
    });
  }
}

t.run();
