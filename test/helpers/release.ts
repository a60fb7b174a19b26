// Releases of the tool for the update tests: this source, built as another version with scripted
// changes to its templates and code, into the release cache update reads (what `npm pack
// create-container-lambda@<version>` fills for a published version).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './cli.ts';

/** One change: in `file` (relative to the repository), `from` (which must be there once) becomes `to`; or the file is removed. */
export type SourceChange = { file: string; from: string; to: string } | { file: string; remove: true };

const COPIED = ['package.json', 'build.mjs', 'tsconfig.json', 'src', 'generators', 'templates', 'examples'];

/**
 * Builds the source with `changes` as `version` into <cache>/releases/<version>; returns that folder.
 * Without V8's code cache unless `codeCache` (a release has one; the tests need not pay for it).
 */
export function buildRelease(cache: string, version: string, changes: SourceChange[] = [], { codeCache = false } = {}): string {
  const work = mkdtempSync(join(tmpdir(), 'ccl-release-'));
  try {
    const source = join(work, 'source');
    mkdirSync(source);
    for (const entry of COPIED) cpSync(join(REPO, entry), join(source, entry), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(source, 'node_modules'));
    symlinkSync(join(REPO, '..', 'shared'), join(work, 'shared')); // the build reads ../shared/schemas
    const pkg = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { version: string };
    writeFileSync(join(source, 'package.json'), JSON.stringify({ ...pkg, version }, null, 2));
    for (const c of changes) {
      const path = join(source, c.file);
      if ('remove' in c) {
        rmSync(path);
        continue;
      }
      const text = readFileSync(path, 'utf8');
      if (text.split(c.from).length !== 2) throw new Error(`release ${version}: ${c.file} does not hold ${JSON.stringify(c.from)} exactly once`);
      writeFileSync(path, text.replace(c.from, c.to));
    }
    execFileSync(process.execPath, ['build.mjs'], { cwd: source, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...(codeCache ? {} : { CCL_NO_CODE_CACHE: '1' }) } });
    const release = join(cache, 'releases', version);
    rmSync(release, { recursive: true, force: true });
    mkdirSync(release, { recursive: true });
    renameSync(join(source, 'dist'), join(release, 'dist'));
    writeFileSync(join(release, 'package.json'), JSON.stringify({ ...pkg, version }, null, 2));
    return release;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
