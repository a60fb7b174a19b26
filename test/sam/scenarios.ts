// The SAM tier's projects: each made by the real CLI (`node dist/cli.js <dir> --runtime ... --yes`), and
// what their README says to run, read from its "Build and run locally" block.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostArch } from '../../src/options.ts';
import { CLI } from '../helpers/cli.ts';
import { VARIANTS, type Variant } from '../helpers/matrix.ts';
import { exec } from '../images/exec.ts';

export interface Scenario {
  /** "python3.13", "nodejs22.x-typescript", "java21-maven", "provided.al2023-go" (the variant's name). */
  name: string;
  variant: Variant;
  events: string[];
  /** Rough share of the tier's time, to start the slow ones first. */
  weight: number;
  /**
   * The function's logical ID (--function), one per scenario: the SAM CLI names a function's local image
   * after it (<id lowercased>:<DockerTag>, and <id lowercased>:rapid-<arch> for invokes), and Go and
   * Rust projects share the DockerTag provided.al2023-v1, so with the default HelloFunction two
   * projects built side by side would overwrite each other's images.
   */
  functionId: string;
}

/**
 * The variants the tier runs by default: one of each language family the SAM CLI builds here. Rust
 * (provided.al2023, like Go, whose SAM path is the same) is left to `--only provided.al2023-rust`: its
 * `sam build` alone is 4-8 minutes of both cores, and the image tier builds and invokes its Dockerfile.
 */
export const DEFAULT_VARIANTS = ['python3.13', 'nodejs22.x-typescript', 'java21-maven', 'provided.al2023-go'];
export const EVENTS = ['api', 'sqs'];
const WEIGHTS: Record<string, number> = { rust: 8, java: 3, go: 2 };

/** Why the SAM tier cannot run a variant on this machine kind, or '' when it can. */
export function notHere(v: Variant): string {
  if (v.buildTool === 'gradle') return "sam build runs the Dockerfile's Gradle stage, and the Gradle distribution (services.gradle.org) cannot be reached";
  if (v.runtime.id.startsWith('ruby')) return "no base image to build on: the stand-in would need Ruby's runtime interface client, the aws_lambda_ric gem, from rubygems.org, which cannot be reached";
  if (v.runtime.id.startsWith('dotnet')) return "sam build runs the Dockerfile's dotnet publish, and NuGet cannot be reached";
  if (v.runtime.id === 'python3.14') return 'no python:3.14 stand-in: this machine kind has no relocatable CPython 3.14 (pyenv stops at 3.13)';
  return '';
}

/** The scenarios for `--only TEXT` (any variant whose name contains it), else DEFAULT_VARIANTS. */
export function scenarios(only: string): Scenario[] {
  const picked = VARIANTS.filter((v) => (only ? v.name.includes(only) : DEFAULT_VARIANTS.includes(v.name)));
  return picked.map((variant) => ({
    name: variant.name,
    variant,
    events: EVENTS,
    weight: WEIGHTS[variant.language.id] ?? 1,
    functionId: `${variant.name.split(/[^A-Za-z0-9]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}Function`,
  }));
}

/** The CLI's flags for a scenario, as a user would type them. */
export function cliFlags(s: Scenario): string[] {
  const { runtime, language, buildTool } = s.variant;
  return [
    '--runtime',
    runtime.id,
    ...(runtime.languages.length > 1 ? ['--language', language.id] : []),
    ...(buildTool ? ['--build-tool', buildTool] : []),
    '--function',
    s.functionId,
    '--event',
    s.events.join(','),
    '--arch',
    hostArch(),
    '--yes',
  ];
}

/** Generates the project with the CLI into parent/<name>; returns its folder. */
export async function generateWithCli(s: Scenario, parent: string): Promise<string> {
  const dir = s.name.replace(/[^\w.-]+/g, '_');
  const r = await exec(process.execPath, [CLI, dir, ...cliFlags(s)], { cwd: parent, timeoutMs: 10 * 60_000 });
  if (r.code !== 0) throw new Error(`node dist/cli.js ${dir} ${cliFlags(s).join(' ')} exited ${r.code}:\n${(r.stderr || r.stdout).trim().split('\n').slice(-10).join('\n')}`);
  return join(parent, dir);
}

export interface ReadmeCommands {
  /** Every command line of the block, in order. */
  lines: string[];
  build?: string;
  /** Event kind -> its `sam local invoke <Fn> --event events/<kind>.json` line. */
  invokes: Map<string, { line: string; fn: string }>;
}

/** The commands of the README's "Build and run locally" section (its first sh block), as written. */
export async function readmeCommands(projectDir: string): Promise<ReadmeCommands> {
  const text = await readFile(join(projectDir, 'README.md'), 'utf8');
  const section = /^## Build and run locally\n([\s\S]*?)(?=^## )/m.exec(text)?.[1] ?? '';
  const block = /```(?:sh|bash|shell)\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const lines = block.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const invokes = new Map<string, { line: string; fn: string }>();
  for (const line of lines) {
    const m = /^sam local invoke (\S+) --event events\/([\w-]+)\.json$/.exec(line);
    if (m?.[1] && m[2]) invokes.set(m[2], { line, fn: m[1] });
  }
  return { lines, build: lines.find((l) => l === 'sam build'), invokes };
}

export { fromImages } from '../images/dockerfile-images.ts';
