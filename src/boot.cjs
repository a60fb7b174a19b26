#!/usr/bin/env node
// dist/cli.js: runs the bundled CLI (main.js) from V8's code cache, made by the build, so that the
// functions a run needs are not compiled again on every start (Node.js 20 has no compile cache of
// its own). V8 checks that the cache fits this Node.js and this main.js and otherwise ignores it.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { wrap } = require('node:module');
const { join } = require('node:path');
const { Script } = require('node:vm');

const file = join(__dirname, 'main.js');
const cacheFile = `${file}.cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // no cache: compiled from source
}
// The hashbang line is emptied, not removed, so that line numbers in stack traces stay right.
const script = new Script(wrap(readFileSync(file, 'utf8').replace(/^#!.*/, '')), { filename: file, cachedData });
// The build runs the CLI with this set to write the cache, holding what those runs compiled.
if (process.env.CCL_WRITE_CODE_CACHE) process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
script.runInThisContext()(exports, require, module, file, __dirname);
