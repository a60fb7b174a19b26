// The generated projects the suite checks: every runtime and language of the registry, on both
// architectures, generated once per test run and shared by the test files.
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Arch } from '../../src/registry/runtimes.ts';
import { runCli, scratch } from './cli.ts';
import { VARIANTS } from './matrix.ts';

export interface Scenario {
  name: string;
  runtime: string;
  language: string;
  arch: Arch;
  args: string[];
  /** Whether the scenario's whole tree is compared with a snapshot. */
  snapshot: boolean;
}

export const SCENARIOS: Scenario[] = VARIANTS.flatMap((v) =>
  (['x86_64', 'arm64'] as const).map((arch) => ({
    name: `${v.name}-${arch}`,
    runtime: v.runtime.id,
    language: v.language.id,
    arch,
    args: [
      '--runtime', v.runtime.id,
      ...(v.runtime.languages.length > 1 ? ['--language', v.language.id] : []),
      ...(v.buildTool ? ['--build-tool', v.buildTool] : []),
      '--arch', arch,
      '--event', 'api',
    ],
    snapshot: arch === 'x86_64',
  })),
).concat([
  // The project with the GitHub Actions workflow (--ci github).
  { name: 'python3.13-ci-github-x86_64', runtime: 'python3.13', language: 'python', arch: 'x86_64', args: ['--runtime', 'python3.13', '--arch', 'x86_64', '--event', 'api', '--ci', 'github'], snapshot: true },
]);

let generated: Promise<Map<string, string>> | undefined;
const workspace = scratch('scenarios');
process.on('exit', () => workspace.remove());

/** Generates every scenario once (without git or installs) and returns its project folder by name. */
export function generateAll(): Promise<Map<string, string>> {
  generated ??= (async () => {
    const dirs = new Map<string, string>();
    for (const s of SCENARIOS) {
      const r = runCli(['demo', '--yes', '--no-git', '--no-install', ...s.args], join(workspace.dir), {});
      if (r.status !== 0) throw new Error(`${s.name}: exit ${r.status}: ${r.stderr}`);
      const dir = join(workspace.dir, s.name);
      // Generated as "demo" so that every snapshot names the project the same way, then moved.
      renameSync(join(workspace.dir, 'demo'), dir);
      dirs.set(s.name, dir);
    }
    return dirs;
  })();
  return generated;
}
