// Generated Rust projects, built and tested for real against lambda_runtime and aws_lambda_events from
// crates.io, never offline or --frozen: a version crates.io does not have fails the run. For every
// event set, the install step the CLI runs (`cargo fetch`), then `cargo clippy --all-targets -- -D
// warnings` and `cargo test`, each --locked on the lock that fetch left. The shipped Cargo.lock pins the
// crates of every event kind at once: for all kinds together it is exactly the lock cargo makes
// (--locked before any change), and for any one kind cargo only drops entries from it, resolving
// nothing it does not pin. Each project is built on its own, with its own aws_lambda_events features
// (a workspace would unify them), in one target folder so that each set of crates compiles once.
//
// When Cargo.toml.hbs changes its dependencies, make Cargo.lock.hbs anew: generate a project with
// every event but none, run `cargo generate-lockfile` in its function, and copy its Cargo.lock with
// the function's own entry named {{toml fn.folder}}.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { EVENT_KINDS, generate, VARIANTS } from '../helpers/matrix.ts';
import { EVENT_SETS, sh } from '../helpers/sh.ts';
import { skip } from '../helpers/skips.ts';

const t = suite('rust');
const FN = 'functions/hello-function';
// Shared by every run and every project (Cargo locks it while it builds): the crates compile once.
// --quiet: sh keeps the last lines of stdout then stderr, and the build log would push out the results.
const ENV = { CARGO_TARGET_DIR: join(tmpdir(), 'ccl-cargo-target'), CARGO_TERM_COLOR: 'never' };
const cargo = sh('cargo --version && cargo clippy --version', tmpdir());

/** name@version of every package in a Cargo.lock. */
function lockedPackages(text: string): string[] {
  return ((parse(text).package ?? []) as { name: string; version: string }[]).map((p) => `${p.name}@${p.version}`);
}

for (const v of VARIANTS.filter((x) => x.language.id === 'rust')) {
  if (!cargo.ok) {
    skip(v.name, 'cargo clippy and cargo test', `cargo or clippy is not installed: ${cargo.output}`);
    continue;
  }
  const every = EVENT_KINDS.filter((k) => k !== 'none');
  for (const events of EVENT_SETS) {
    t(`${v.name} [${events}] (${cargo.output.split('\n')[0]}): clippy -D warnings and cargo test pass on the shipped Cargo.lock`, async () => {
      const g = await generate(v, 'x86_64', events);
      const fn = join(g.dir, FN);
      const shipped = readFileSync(join(fn, 'Cargo.lock'), 'utf8');
      if (events.join() === every.join()) {
        const exact = sh('cargo metadata --locked --format-version 1 > /dev/null', fn, ENV);
        assert.ok(exact.ok, `the shipped Cargo.lock is not the lock of every event kind: make it anew (see this file): ${exact.output}`);
      }

      const fetch = sh('cargo fetch --quiet', fn, ENV);
      assert.ok(fetch.ok, `cargo fetch: ${fetch.output}`);
      const pinned = new Set(lockedPackages(shipped));
      const unpinned = lockedPackages(readFileSync(join(fn, 'Cargo.lock'), 'utf8')).filter((p) => !pinned.has(p));
      assert.equal(unpinned, [], 'cargo resolved crates that the shipped Cargo.lock does not pin');

      const clippy = sh('cargo clippy --quiet --locked --all-targets -- -D warnings', fn, ENV, 1_200_000);
      assert.ok(clippy.ok, `cargo clippy: ${clippy.output}`);
      const test = sh('cargo test --quiet --locked', fn, ENV, 1_200_000);
      assert.ok(test.ok, `cargo test: ${test.output}`);
      assert.match(test.output, /^test result: ok\. [1-9]\d* passed; 0 failed/m, `no test ran: ${test.output}`);
    });
  }
}

t.run();
