// The OS-only runtime: the function is a native executable named bootstrap, compiled in a build stage
// (Go, Rust) and run by the provided base image. `--runtime go` and `--runtime rust` are aliases.
import type { Family, Language, Runtime } from '../runtimes.ts';

// Both languages ship their lockfile with the template (go.sum; Cargo.lock), so a new project builds
// and tests with the versions the templates were tested with, and the Docker build needs no step run
// first. Go's go.sum is the same for every event kind: no install step. Rust's Cargo.lock pins the
// crates of every event kind together (aws_lambda_events' features differ by kind); `cargo fetch`
// drops the entries this function does not use, offline when the crates are cached, and downloads
// the rest, so that the first commit holds the trimmed lock. `go test` and `cargo test` fetch what
// they need themselves: no test setup.
const languages: Language[] = [
  { id: 'go', label: 'Go', templates: 'go', handler: 'bootstrap', test: 'go test ./...', toolchain: 'go', marker: 'go.mod' },
  { id: 'rust', label: 'Rust', templates: 'rust', handler: 'bootstrap', install: ['cargo', 'fetch'], test: 'cargo test', toolchain: 'rust', marker: 'Cargo.toml' },
];

/**
 * Toolchains of the build stages: goVersion and rustVersion tag the golang and rust build images
 * (recent stable releases, both out by 2026-12: Go 1.27, Rust 1.99); goMinimum is go.mod's `go`
 * line, the older of the two Go releases the Go team supports (aws-lambda-go v1.55 requires it), so
 * a local toolchain one release behind still builds and tests the function.
 */
const toolchains = { goVersion: '1.27', goMinimum: '1.26', rustVersion: '1.99' };

const al2023: Runtime = {
  id: 'provided.al2023',
  label: 'OS-only, Amazon Linux 2023',
  baseImage: 'public.ecr.aws/lambda/provided:al2023',
  aliases: { go: 'go', rust: 'rust' },
  deprecation: '2029-06-30',
  languages,
  vars: { version: '2023', ...toolchains },
};

export const provided: Family = {
  runtimes: [al2023],
  retired: [
    {
      id: 'provided.al2',
      like: 'provided.al2023',
      baseImage: 'public.ecr.aws/lambda/provided:al2',
      deprecation: '2026-07-31',
      reason: 'its operating system, Amazon Linux 2, reached end of life on 2026-06-30; AWS deprecated it on 2026-07-31 and blocks function updates from 2027-03-03',
      replacement: 'provided.al2023',
      vars: { version: '2' },
    },
  ],
};
