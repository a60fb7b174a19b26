#!/usr/bin/env node
// dist/cli.js: runs the bundled CLI (main.js) from V8's code cache, made by the build, so that the
// functions a run needs are not compiled again on every start (Node.js 20 has no compile cache of
// its own). V8 checks that the cache fits this Node.js and this main.js and otherwise ignores it;
// on another Node.js than the build's, main.js is simply required.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { wrap } = require('node:module');
const { join } = require('node:path');
const { Script } = require('node:vm');

const file = join(__dirname, 'main.js');
// A cache is V8's own format: it is named for the V8 version and the machine type that wrote it.
const cacheFile = `${file}.v8-${process.versions.v8}-${process.arch}.cache`;
const writing = Boolean(process.env.CCL_WRITE_CODE_CACHE); // set by the build, to write the cache
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // none for this Node.js
}
if (!cachedData && !writing) {
  // Another Node.js than the build's: Node.js 22.1 and later keep a compile cache of their own.
  require('node:module').enableCompileCache?.();
  module.exports = require(file); // loaded as a library (update renders with other releases), its exports
} else {
  // The hashbang line is emptied, not removed, so that line numbers in stack traces stay right.
  const script = new Script(wrap(readFileSync(file, 'utf8').replace(/^#!.*/, '')), { filename: file, cachedData });
  if (writing) process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  script.runInThisContext()(exports, require, module, file, __dirname);
}
