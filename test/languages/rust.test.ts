// Generated Rust projects, built and tested for real against lambda_runtime and aws_lambda_events from
// crates.io: for every event set, `cargo clippy --all-targets -- -D warnings` and `cargo test`, sharing
// one target folder so that the crates compile once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, VARIANTS } from '../helpers/matrix.ts';
import { EVENT_SETS, sh } from '../helpers/sh.ts';
import { skip } from '../helpers/skips.ts';

const t = suite('rust');
const FN = 'functions/hello-function';
const cargo = sh('cargo --version && cargo clippy --version', tmpdir());
const ENV = { CARGO_TARGET_DIR: mkdtempSync(join(tmpdir(), 'ccl-cargo-target-')), CARGO_TERM_COLOR: 'never' };

for (const v of VARIANTS.filter((x) => x.language.id === 'rust')) {
  if (!cargo.ok) {
    skip(v.name, 'cargo test', 'cargo or clippy is not installed');
    continue;
  }
  t(`${v.name} (${cargo.output.split('\n')[0]}): clippy and cargo test pass for ${EVENT_SETS.length} event sets`, async () => {
    for (const events of EVENT_SETS) {
      const g = await generate(v, 'x86_64', events);
      const r = sh('cargo clippy --quiet --all-targets -- -D warnings && cargo test --quiet', join(g.dir, FN), ENV, 1_200_000);
      assert.ok(r.ok, `[${events}] ${r.output}`);
      assert.match(r.output, /^test result: ok\. [1-9]\d* passed/m, `[${events}] no test ran: ${r.output}`);
    }
  });
}

t.run();
