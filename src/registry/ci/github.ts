// What the GitHub Actions workflow (--ci github) is made of: the actions it uses, pinned to their
// current major versions, the toolchain setup per language, and the stages it deploys to in order.
import { RETIRED, RUNTIMES, findRuntime } from '../runtimes.ts';

/** Current major versions (checked 2026-12 against each action's releases). */
export const ACTIONS = {
  checkout: 'actions/checkout@v7',
  uploadArtifact: 'actions/upload-artifact@v7',
  downloadArtifact: 'actions/download-artifact@v8',
  configureAwsCredentials: 'aws-actions/configure-aws-credentials@v6',
  setupSam: 'aws-actions/setup-sam@v3',
};

/** The matrix value a setup step reads its version from. */
const VERSION = '${{ matrix.version }}';

export interface Toolchain {
  /** Value of a language's `toolchain`. */
  id: string;
  label: string;
  uses: string;
  with: Record<string, string>;
  /** The version to set up for a runtime, from its template values. */
  version(vars: Record<string, string>): string;
}

export const TOOLCHAINS: Toolchain[] = [
  { id: 'python', label: 'Python', uses: 'actions/setup-python@v7', with: { 'python-version': VERSION }, version: (v) => v.pythonVersion! },
  { id: 'node', label: 'Node.js', uses: 'actions/setup-node@v7', with: { 'node-version': VERSION }, version: (v) => v.nodeMajor! },
  // Corretto, the JDK of the Lambda base images and of the build stages.
  { id: 'java', label: 'Java', uses: 'actions/setup-java@v6', with: { distribution: 'corretto', 'java-version': VERSION }, version: (v) => v.javaRelease! },
  { id: 'dotnet', label: '.NET', uses: 'actions/setup-dotnet@v5', with: { 'dotnet-version': VERSION }, version: (v) => `${v.dotnetVersion}.x` },
  { id: 'ruby', label: 'Ruby', uses: 'ruby/setup-ruby@v1', with: { 'ruby-version': VERSION }, version: (v) => v.rubyVersion! },
  { id: 'go', label: 'Go', uses: 'actions/setup-go@v7', with: { 'go-version': VERSION }, version: (v) => v.goVersion! },
  // No release tags: the action's documented form is @master with the toolchain as an input.
  { id: 'rust', label: 'Rust', uses: 'dtolnay/rust-toolchain@master', with: { toolchain: VERSION }, version: (v) => v.rustVersion! },
];

export interface Stage {
  /** Suffix of the stack name: <project>-<stage>. */
  id: string;
  /** The GitHub environment its job runs in (protection rules and variables live there). */
  environment: string;
}

/** Deployed in this order, each after the one before succeeded. */
export const STAGES: Stage[] = [
  { id: 'dev', environment: 'dev' },
  { id: 'prod', environment: 'production' },
];

/** One row of .github/ci/toolchains.json: how the workflow tests a function with this base image and marker file. */
export interface ToolchainRow {
  image: string;
  marker: string;
  toolchain: string;
  version: string;
  /** The README's test commands for such a function, run in its folder. */
  commands: string;
}

/** Every runtime, language and build tool the tool generates (deprecated ones too, for --allow-deprecated). */
export function githubToolchainRows(): ToolchainRow[] {
  const rows: ToolchainRow[] = [];
  for (const id of [...RUNTIMES, ...RETIRED].map((r) => r.id)) {
    const runtime = findRuntime(id)!;
    for (const language of runtime.languages) {
      const toolchain = TOOLCHAINS.find((t) => t.id === language.toolchain);
      if (!toolchain) throw new Error(`No GitHub Actions toolchain ${language.toolchain} for ${language.id}`);
      for (const tool of language.buildTools ?? [undefined]) {
        const test = tool?.test ?? language.test;
        rows.push({
          image: runtime.baseImage,
          marker: tool?.marker ?? language.marker,
          toolchain: toolchain.id,
          version: toolchain.version(runtime.vars),
          commands: [...(language.testSetup ?? []), test].join('\n'),
        });
      }
    }
  }
  return rows;
}
