// The releases `update` renders with: this one, in process, and any other version of the tool,
// fetched once with `npm pack create-container-lambda@<version>` into the cache
// (<cache>/releases/<version>/, the package as npm unpacks it) and loaded as a library.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { cacheRoot } from '../cache-root.ts';
import { UserError } from '../errors.ts';
import { TOOL } from '../version.ts';
import type { ProjectTree, RenderStep } from './render-step.ts';
import type { RecordedKit } from '../kit/kit.ts';

export type RenderStepFn = (tree: ProjectTree, step: RenderStep) => Promise<RecordedKit | undefined>;

const VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

export const releaseDir = (version: string) => join(cacheRoot(), 'releases', version);

/** The entry file of another release, fetched into the cache the first time. */
export async function releaseCli(version: string): Promise<string> {
  if (!VERSION.test(version)) throw new UserError(`"${version}" is not a version of ${TOOL.name}`, 'Pass a version such as 1.2.0');
  const dir = releaseDir(version);
  if (!existsSync(join(dir, 'package.json'))) await fetchRelease(version, dir);
  return join(dir, 'dist', 'cli.js');
}

/** The renderer of `version`: this release's own, or that release's, fetched into the cache once. */
export async function rendererFor(version: string): Promise<RenderStepFn> {
  if (version === TOOL.version) return (await import('./render-step.ts')).renderStep;
  const cli = await releaseCli(version);
  // Loaded as a library (its command line does not run) through its cli.js, which starts main.js
  // from that release's V8 code cache. require(), not import(): this bundle runs from the cache
  // too, where import() has no loader.
  (globalThis as Record<symbol, unknown>)[Symbol.for('create-container-lambda.library')] = true;
  const library = createRequire(import.meta.url)(cli) as { renderStep?: RenderStepFn } | undefined;
  if (typeof library?.renderStep !== 'function') throw tooOld(version);
  return library.renderStep;
}

export const tooOld = (version: string) =>
  new UserError(`${TOOL.name} ${version} cannot render projects for update (it came before update)`, `Update projects made with ${TOOL.name} ${TOOL.version} or later`);

async function fetchRelease(version: string, dir: string): Promise<void> {
  const releases = join(cacheRoot(), 'releases');
  mkdirSync(releases, { recursive: true });
  const stage = mkdtempSync(join(releases, '.tmp-'));
  try {
    const { $ } = await import('zx/core');
    const sh = $({ quiet: true, verbose: false, cwd: stage, env: { ...process.env, npm_config_ignore_scripts: 'true' } });
    try {
      await sh`npm pack ${`${TOOL.name}@${version}`} --ignore-scripts --pack-destination .`;
      await sh`tar -xzf ${`${TOOL.name}-${version}.tgz`} --no-same-owner`;
    } catch (error) {
      const why = String((error as { stderr?: string }).stderr || (error as Error).message).split('\n').map((l) => l.trim()).find(Boolean);
      throw new UserError(`Cannot fetch ${TOOL.name} ${version} to render what it made: ${why}`, 'Check that npm reaches its registry (npm config get registry) and that the version exists');
    }
    const got = (JSON.parse(readFileSync(join(stage, 'package', 'package.json'), 'utf8')) as { version?: string }).version;
    if (got !== version) throw new UserError(`npm pack ${TOOL.name}@${version} gave version ${got}`, 'Check the registry npm uses');
    try {
      renameSync(join(stage, 'package'), dir);
    } catch (error) {
      // Another run put it in place first: the same release.
      if (!existsSync(join(dir, 'package.json'))) throw error;
    }
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
