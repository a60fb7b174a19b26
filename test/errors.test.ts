// Bad input: one line on stderr that says what to do, a non-zero exit, and a file system left as it was.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprint, runCli, scratch } from './helpers/cli.ts';

const t = suite('errors');

interface Case {
  name: string;
  args: string[];
  /** Prepares the scratch folder before the run. */
  setup?(dir: string): void;
  /** Text the one line must contain. */
  says: RegExp;
}

const CASES: Case[] = [
  {
    name: 'target folder exists and is not empty',
    setup: (dir) => {
      mkdirSync(join(dir, 'app'));
      writeFileSync(join(dir, 'app', 'notes.txt'), 'mine\n');
    },
    args: ['app', '--yes'],
    says: /Folder app is not empty.*--force/,
  },
  { name: 'target is a file', setup: (dir) => writeFileSync(join(dir, 'app'), 'x'), args: ['app', '--yes'], says: /app exists and is not a folder/ },
  { name: 'invalid project name', args: ['app', '--yes', '--name', '1-app'], says: /Invalid project name "1-app".*--name my-app/ },
  { name: 'folder name that makes no project name', args: ['___', '--yes'], says: /Missing --name/ },
  { name: 'invalid logical ID', args: ['app', '--yes', '--function', 'hello-fn'], says: /Invalid function name "hello-fn".*letters and digits/ },
  { name: 'unknown runtime', args: ['app', '--yes', '--runtime', 'pyhton3.13'], says: /Unknown runtime "pyhton3.13". Did you mean --runtime python3.13\?/ },
  { name: 'unknown event', args: ['app', '--yes', '--event', 'apii'], says: /Unknown event "apii". Did you mean --event api\?/ },
  { name: 'unknown architecture', args: ['app', '--yes', '--arch', 'amd64'], says: /Unknown architecture "amd64". Did you mean --arch x86_64\?/ },
  { name: 'unknown language', args: ['app', '--yes', '--runtime', 'nodejs22.x', '--language', 'typescrpt'], says: /Did you mean --language typescript\?/ },
  { name: 'language for a runtime with one', args: ['app', '--yes', '--runtime', 'python3.13', '--language', 'typescript'], says: /--language does not apply/ },
  { name: 'memory below 128', args: ['app', '--yes', '--memory', '64'], says: /Invalid memory size "64".*128 to 10240/ },
  { name: 'memory above 10240', args: ['app', '--yes', '--memory', '10241'], says: /Invalid memory size "10241"/ },
  { name: 'memory not a number', args: ['app', '--yes', '--memory', '1GB'], says: /Invalid memory size "1GB"/ },
  { name: 'timeout of 0', args: ['app', '--yes', '--timeout', '0'], says: /Invalid timeout "0".*1 to 900/ },
  { name: 'timeout above 900', args: ['app', '--yes', '--timeout', '901'], says: /Invalid timeout "901"/ },
  { name: 'unknown flag', args: ['app', '--yes', '--forse'], says: /Unknown option --forse. Did you mean --force\?/ },
  { name: 'flag without its value', args: ['app', '--yes', '--runtime'], says: /--runtime needs a value/ },
  { name: '--yes without a folder', args: ['--yes'], says: /Missing <dir>\. Pass <dir>, e\.g\./ },
  { name: 'no terminal, no answers: only what has no default is named', args: [], says: /^error: Missing <dir>\. Pass <dir>, e\.g\./ },
  { name: 'no terminal, no --yes, missing answers', args: ['app'], says: /Missing --runtime.*--yes/ },
  { name: 'two folders', args: ['app', 'other', '--yes'], says: /Too many arguments/ },
  {
    name: 'a path that cannot be written',
    setup: (dir) => writeFileSync(join(dir, 'file'), 'x'),
    args: ['file/app', '--yes'],
    says: /Cannot write .*file\/app/,
  },
];

for (const c of CASES) {
  t(c.name, () => {
    const { dir, remove } = scratch('err');
    try {
      c.setup?.(dir);
      const before = fingerprint(dir);
      const r = runCli([...c.args, '--no-git', '--no-install'], dir);
      assert.is.not(r.status, 0, 'exit status');
      const lines = r.stderr.trimEnd().split('\n');
      assert.is(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
      assert.match(lines[0]!, /^error: /);
      assert.match(lines[0]!, c.says);
      assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
      assert.is(fingerprint(dir), before, 'the folder is unchanged');
    } finally {
      remove();
    }
  });
}

t.run();
