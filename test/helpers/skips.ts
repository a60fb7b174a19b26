// What a tier did not run for real, per runtime, and why. A tier calls `skip` instead of silently
// leaving a test out; the runner prints the list and, in CI, fails every skip that KNOWN_GAPS does not
// explain: a toolchain that should be installed but is not is a failure there, not a skip.

export interface Skip {
  runtime: string;
  what: string;
  reason: string;
}

/** Gaps that no install step can close on this machine kind: runtime pattern -> why. */
export const KNOWN_GAPS: { runtime: RegExp; what: RegExp; why: string }[] = [
  { runtime: /^dotnet/, what: /./, why: 'NuGet cannot be reached: .NET projects are checked statically only' },
  { runtime: /^java\d+-gradle$/, what: /gradle test/, why: "no Gradle distribution can be had here (services.gradle.org is not reachable; Maven Central has none; Debian's gradle is 4.4.1, older than the Kotlin DSL and APIs the builds use): Gradle projects are checked statically only" },
  { runtime: /^java21-maven$/, what: /--powertools --tracing/, why: 'Maven Central here serves powertools-logging-log4j and powertools-metrics 2.x but no powertools-tracing 2.x: Java with Powertools and tracing is checked statically only' },
  { runtime: /^ruby4\.0$/, what: /rake test/, why: 'no Debian suite packages Ruby 4.0 yet (testing has 3.3, experimental 3.4) and no other Ruby source is reachable' },
  // The image tier (test/images/tier.ts):
  { runtime: /^java/, what: /^image \(Gradle\)$/, why: 'the Gradle distribution (services.gradle.org) cannot be reached: the Gradle images are built by no tier here' },
  { runtime: /^ruby/, what: /^image$/, why: "Ruby's runtime interface client (the aws_lambda_ric gem) is on rubygems.org, which cannot be reached" },
  {
    runtime: /^python3\.14$/,
    what: /^image /,
    why: "the Python stand-ins copy CPython from a pyenv prefix and this machine kind's pyenv stops at 3.13; no registry here serves a CPython build (Debian forky's, which test/languages unpacks, is not relocated into a stand-in)",
  },
  // The SAM tier (test/sam/tier.ts): sam build runs the same Dockerfiles on the same stand-ins.
  { runtime: /^java/, what: /^sam build, sam local invoke: java\d+-gradle$/, why: "sam build runs the Dockerfile's Gradle stage, and the Gradle distribution (services.gradle.org) cannot be reached" },
  { runtime: /^ruby/, what: /^sam build, sam local invoke: /, why: "no stand-in of the Ruby base images: Ruby's runtime interface client (the aws_lambda_ric gem) is on rubygems.org, which cannot be reached" },
  { runtime: /^python3\.14$/, what: /^sam build, sam local invoke: /, why: 'no python:3.14 stand-in: no relocatable CPython 3.14 on this machine kind (pyenv stops at 3.13)' },
];

const skips: Skip[] = [];

export function skip(runtime: string, what: string, reason: string): void {
  skips.push({ runtime, what, reason });
}

export function unexplainedSkips(): Skip[] {
  return skips.filter((s) => !KNOWN_GAPS.some((g) => g.runtime.test(s.runtime) && g.what.test(s.what)));
}

export function printSkips(): void {
  if (skips.length === 0) return;
  console.log('\nNot run for real here:');
  for (const s of skips) console.log(`  skip ${s.runtime}: ${s.what}: ${s.reason}`);
}
