// Runs test files with uvu and ends with one line: "N passed, N failed".
//   node --import tsx test/run.ts [--tier languages] [--update] [filter ...]
// Without --tier: every test/*.test.ts (`npm test`); with it: every test/<tier>/*.test.ts (a slower tier
// with its own npm script). `--update` rewrites snapshots; a file name filter may follow.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { printSkips, unexplainedSkips } from './helpers/skips.ts';

type Runner = () => Promise<[string | true, number, number, number]>;
type Group = [string | null, ...Runner[]];

const argv = process.argv.slice(2);
const tier = argv.includes('--tier') ? argv[argv.indexOf('--tier') + 1] ?? '' : '';
const here = join(dirname(fileURLToPath(import.meta.url)), tier);
const filters = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--tier');
if (argv.includes('--update')) process.env.UPDATE_SNAPSHOTS = '1';

const files = readdirSync(here)
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

const g = globalThis as unknown as { UVU_DEFER: number; UVU_INDEX: number; UVU_QUEUE: Group[] };
g.UVU_DEFER = 1;
g.UVU_QUEUE = [];
const uvu = await import('uvu');
for (const [index, file] of files.entries()) {
  g.UVU_INDEX = index;
  g.UVU_QUEUE.push([file]);
  await import(pathToFileURL(join(here, file)).href);
}

let passed = 0;
let failed = 0;
for (const group of g.UVU_QUEUE) {
  for (let i = 1; i < group.length; i++) {
    const run = group[i] as Runner;
    group[i] = async () => {
      const result = await run();
      passed += result[1];
      failed += result[3] - result[1];
      return result;
    };
  }
}
await uvu.exec(false);
printSkips();
// In CI a skip is a failure unless test/helpers/skips.ts records why it cannot run here.
const unexplained = process.env.CI ? unexplainedSkips() : [];
for (const s of unexplained) console.log(`FAIL skipped in CI with no recorded reason: ${s.runtime}: ${s.what} (${s.reason})`);
failed += unexplained.length;
console.log(`${passed} passed, ${failed} failed`);
if (failed > 0 || files.length === 0) process.exitCode = 1;
