// comparePaths orders paths as localeCompare does, without setting up a collator.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { comparePaths } from '../src/collate.ts';
import { REPO } from './helpers/cli.ts';

const t = suite('collate');

const sign = (n: number) => Math.sign(n);

function check(paths: string[]): void {
  for (const a of paths) {
    for (const b of paths) assert.is(sign(comparePaths(a, b)), sign(a.localeCompare(b)), `${a} vs ${b}`);
  }
}

t('the template paths', () => {
  const paths = readdirSync(join(REPO, 'templates'), { recursive: true, encoding: 'utf8' }).map((p) => p.split('\\').join('/'));
  check([...paths, ...paths.map((p) => p.replace(/^dot_/, '.').replace(/\.hbs$/, ''))]);
});

t('every printable character, alone and in pairs', () => {
  const chars = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
  check([...chars, ...chars.flatMap((c) => ['a', 'A', '1', '.', '/'].map((d) => c + d))]);
});

t('prefixes and case', () => {
  check(['src', 'src/', 'src/a', 'Src', 'SRC', 'sRc/x', 'a.b', 'a-b', 'a_b', 'a/b', 'ab', 'aB', 'Ab', 'a1', 'a10', 'a9', 'Dockerfile', 'dockerfile', '.dockerignore', 'app.py']);
});

t.run();
