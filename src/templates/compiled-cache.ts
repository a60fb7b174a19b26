// Compiled templates kept between runs, under <cache>/templates/: one file of handlebars' compiled
// code per template text, named after a hash of the text and of the compiler (COMPILER_KEY). Written
// to a temporary name and renamed, so a file under its final name is always whole. A cache that
// cannot be read or written only costs the compile.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../cache-root.ts';
import { COMPILER_KEY } from './render.ts';

const fileFor = (text: string) => join(cacheRoot(), 'templates', `${createHash('sha256').update(COMPILER_KEY).update('\0').update(text).digest('hex')}.js`);

export const precompiled = {
  read(text: string): string | undefined {
    try {
      return readFileSync(fileFor(text), 'utf8');
    } catch {
      return undefined;
    }
  },
  write(text: string, source: string): void {
    const file = fileFor(text);
    try {
      mkdirSync(join(file, '..'), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, source);
      renameSync(temporary, file);
    } catch {
      // A read-only cache: the next run compiles again.
    }
  },
};
