// Bundles the CLI into dist/: one entry file plus chunks loaded only when needed (prompts, zx,
// the template compiler). The templates/ folder is embedded, .hbs files precompiled, so a run reads
// no template from disk and loads no compiler; each language's templates are a chunk of their own.
// dist/ is CommonJS: Node starts a CommonJS entry about 10 ms sooner than an ES module one (no
// module loader to set up, no async resolve and link), so chunks are plain require()d files.
import { execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { constants as zlib, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import Handlebars from 'handlebars';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const COMPILE_OPTIONS = { noEscape: true, strict: true }; // as in src/templates/render.ts

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Templates by group (`project`, `events`, `functions/<language>`, `apps/<app>`): each group is a chunk of its own. */
function groups() {
  const byGroup = new Map();
  for (const file of walk('templates').sort()) {
    const path = relative('templates', file).split('\\').join('/');
    if (path === 'functions/README.md' || path === 'apps/README.md') continue; // the contracts for template authors, not templates
    const parts = path.split('/');
    const group = parts[0] === 'functions' || parts[0] === 'apps' ? parts.slice(0, 2).join('/') : parts[0];
    byGroup.set(group, [...(byGroup.get(group) ?? []), path]);
  }
  return byGroup;
}

/** Where a language's templates are written: `functions/python` -> `templates/functions-python.js`. */
const groupChunk = (group) => `templates/${group.replace('/', '-')}`;

/** Every new project renders these two: they are bundled in; the rest (languages, CI) are loaded on demand. */
const always = ['project', 'events'];

/** The module that replaces src/templates/builtin.ts: the index of paths, and a loader per group. */
function builtinModule() {
  const index = Object.fromEntries(groups());
  const imports = always.map((g, i) => `import g${i} from ${JSON.stringify(`ccl-templates:${g}`)};`);
  const loaders = Object.keys(index).map((g) =>
    always.includes(g)
      ? `  ${JSON.stringify(g)}: () => Promise.resolve(g${always.indexOf(g)}),`
      : `  ${JSON.stringify(g)}: () => Promise.resolve(require(${JSON.stringify(`./${groupChunk(g)}.js`)})),`,
  );
  return `${imports.join('\n')}\nexport const BUILTIN_INDEX = ${JSON.stringify(index)};\nconst loaders = {\n${loaders.join('\n')}\n};\nexport const loadGroup = (group) => loaders[group]();\n`;
}

/** One group's templates: .hbs files precompiled, other files as text. */
function groupModule(group, format = 'esm') {
  const entries = groups().get(group).map((path) => {
    const text = readFileSync(join('templates', path), 'utf8');
    const value = path.endsWith('.hbs') ? `{ spec: ${Handlebars.precompile(text, COMPILE_OPTIONS)} }` : `{ text: ${JSON.stringify(text)} }`;
    return `  ${JSON.stringify(path)}: ${value},`;
  });
  return `${format === 'cjs' ? 'module.exports =' : 'export default'} {\n${entries.join('\n')}\n};\n`;
}

const embedTemplates = {
  name: 'embed-templates',
  setup(build) {
    build.onLoad({ filter: /src[\\/]templates[\\/]builtin\.ts$/ }, () => ({ contents: builtinModule(), loader: 'js' }));
    build.onResolve({ filter: /^ccl-templates:/ }, (args) => ({ path: args.path.slice('ccl-templates:'.length), namespace: 'templates' }));
    build.onLoad({ filter: /.*/, namespace: 'templates' }, (args) => ({ contents: groupModule(args.path), loader: 'js' }));
    // A language's chunk: its templates as module.exports, required by the loader above.
    build.onResolve({ filter: /^ccl-group:/ }, (args) => ({ path: args.path.slice('ccl-group:'.length), namespace: 'group' }));
    build.onLoad({ filter: /.*/, namespace: 'group' }, (args) => ({ contents: groupModule(args.path, 'cjs'), loader: 'js' }));
  },
};

/** Packages the code import()s only when needed, each bundled into dist/chunks/<name>.js. */
// zx/core is zx's `$` without the helpers it bundles (globby, fs-extra, yaml, fetch): 49 kB, not 412.
const LAZY = ['inquirer', 'zx/core', 'diff', 'handlebars', 'node-plop', 'ajv-draft-04'];

/** `import('zx/core')` becomes a require of its chunk, made when the import runs. */
const lazyChunks = {
  name: 'lazy-chunks',
  setup(build) {
    build.onResolve({ filter: /^[\w-]+(\/[\w-]+)?$/ }, (args) =>
      args.kind === 'dynamic-import' && LAZY.includes(args.path) ? { path: args.path, namespace: 'lazy' } : undefined,
    );
    // Re-exported from ESM, so a chunk's default export stays what `import()` returns as default.
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => {
      const chunk = JSON.stringify(`./chunks/${args.path}.js`);
      return { contents: `export * from ${chunk};\nexport { default } from ${chunk};\n`, loader: 'js' };
    });
    build.onResolve({ filter: /^\.\/(chunks|templates)\/|^\.\/main\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * node-plop (run for a trusted kit's generators only) without its prompt library: the tool calls
 * runActions with every answer given, never runPrompts. Its handlebars is the tool's own chunk.
 */
const plopSlim = {
  name: 'plop-slim',
  setup(build) {
    const inPlop = (args) => /[\\/]node-plop[\\/]/.test(args.importer);
    build.onResolve({ filter: /^inquirer$/ }, (args) => (inPlop(args) ? { path: 'inquirer', namespace: 'no-prompts' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'no-prompts' }, () => ({ contents: "export default { prompt() { throw new Error('kit generators get their answers; they cannot prompt'); } };", loader: 'js' }));
    build.onResolve({ filter: /^handlebars$/ }, (args) => (inPlop(args) && args.kind !== 'dynamic-import' ? { path: './handlebars.js', external: true } : undefined));
  },
};

/**
 * yaml's ES module build (the one it ships for browsers) rather than its CommonJS one: bundled as
 * ES modules it is tree-shaken and set up without a wrapper per module, a few ms of every run. Its
 * log module is the Node one, so warnings still go through process.emitWarning.
 */
const yamlDir = dirname(createRequire(import.meta.url).resolve('yaml/package.json'));
const yamlEsm = {
  name: 'yaml-esm',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: join(yamlDir, 'browser/index.js') }));
    build.onLoad({ filter: /[\\/]yaml[\\/]browser[\\/]dist[\\/]log\.js$/ }, () => ({
      contents: readFileSync(join(yamlDir, 'dist/log.js'), 'utf8'),
      loader: 'js',
    }));
  },
};

/**
 * The kit manifest's validator as ajv's standalone code (src/kit/schema-validator.ts): a run loads
 * no schema compiler, only the few ajv runtime helpers the code requires.
 */
const KIT_SCHEMA = 'src/kit/container-lambda-kit.schema.json';
const kitSchema = {
  name: 'kit-schema',
  setup(build) {
    build.onLoad({ filter: /src[\\/]kit[\\/]schema-validator\.ts$/ }, () => {
      const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true, esm: true } });
      const validate = ajv.compile(JSON.parse(readFileSync(KIT_SCHEMA, 'utf8')));
      return { contents: `${standaloneCode(ajv, validate)}\nexport const validateManifestSchema = validate;\n`, loader: 'js', resolveDir: process.cwd() };
    });
  },
};

const entryPoints = { main: 'src/cli.ts', plopfile: 'ccl-plopfile' };
for (const name of LAZY) entryPoints[`chunks/${name}`] = name;
for (const group of groups().keys()) if (!always.includes(group)) entryPoints[groupChunk(group)] = `ccl-group:${group}`;

/**
 * plop import()s dist/plopfile.js and calls its default export: module.exports is the function. It
 * is main.js's, loaded as a library (see src/cli.ts), so the package carries the generators once.
 */
const plopfileEntry = {
  name: 'plopfile-entry',
  setup(build) {
    build.onResolve({ filter: /^ccl-plopfile$/ }, () => ({ path: 'plopfile', namespace: 'plopfile' }));
    build.onLoad({ filter: /.*/, namespace: 'plopfile' }, () => ({
      contents: "globalThis[Symbol.for('create-container-lambda.library')] = true;\nmodule.exports = require('./main.js').plopfile;\n",
      loader: 'js',
    }));
  },
};

/**
 * The official SAM schema for `kit test` (src/validate/sam-schema.ts), without its documentation
 * and gzipped: 750 kB of JSON is 7 kB. It is AWS's (Apache-2.0): its LICENSE and NOTICE go with it,
 * and a README says what was changed. Checked before anything is built, so that a checkout without
 * ../shared fails at once, saying why.
 */
function samSchemaFiles() {
  const from = '../shared/schemas';
  const files = ['sam.schema.json', 'LICENSE-serverless-application-model.txt', 'NOTICE-serverless-application-model.txt'].map((f) => join(from, f));
  for (const file of files) {
    if (!existsSync(file)) throw new Error(`build: ${file} is missing; the package carries the SAM schema (and its license) for kit test`);
  }
  return files;
}

/** Keywords that only document (ajv ignores them): seven eighths of the schema's size. */
const SCHEMA_DOCS = ['title', 'description', 'markdownDescription', '__samPassThrough'];

/**
 * A draft-04 schema without SCHEMA_DOCS. Only subschemas are walked, so a property that happens to
 * be named `title`, or an enum or default value holding one, is kept.
 */
function withoutDocs(schema) {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const each = (map) => Object.fromEntries(Object.entries(map).map(([k, v]) => [k, Array.isArray(v) ? v : withoutDocs(v)]));
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (SCHEMA_DOCS.includes(key)) continue;
    if (['properties', 'patternProperties', 'definitions', 'dependencies'].includes(key)) out[key] = each(value);
    else if (['allOf', 'anyOf', 'oneOf'].includes(key) || (key === 'items' && Array.isArray(value))) out[key] = value.map(withoutDocs);
    else if (['items', 'additionalItems', 'additionalProperties', 'not'].includes(key)) out[key] = withoutDocs(value);
    else out[key] = value;
  }
  return out;
}

function packSamSchema([schema, ...legal]) {
  mkdirSync('dist/schemas');
  const json = JSON.stringify(withoutDocs(JSON.parse(readFileSync(schema, 'utf8'))));
  writeFileSync('dist/schemas/sam.schema.json.gz', gzipSync(json, { level: zlib.Z_BEST_COMPRESSION }));
  // Read and written rather than copied: the shared files are read-only, their copies need not be.
  for (const file of legal) writeFileSync(join('dist/schemas', basename(file)), readFileSync(file));
  writeFileSync(
    'dist/schemas/README.md',
    `sam.schema.json.gz is the AWS SAM JSON schema (schema_source/sam.schema.json of the
serverless-application-model project, Apache-2.0: see the LICENSE and NOTICE here), changed by
${pkg.name}: its documentation keywords (${SCHEMA_DOCS.join(', ')}) are removed.
What it accepts is unchanged.
`,
  );
}

const samSchema = samSchemaFiles();
rmSync('dist', { recursive: true, force: true });
await esbuild.build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'linked',
  define: { __TOOL_VERSION__: JSON.stringify(pkg.version), 'import.meta': '__ccl_import_meta' },
  // import.meta.url (read only when run from source, or by a bundled package) in CommonJS.
  banner: { js: "var __ccl_import_meta = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
  plugins: [plopSlim, embedTemplates, lazyChunks, plopfileEntry, yamlEsm, kitSchema],
  logLevel: 'warning',
});
// The nearest package.json says how Node loads dist/*.js: as CommonJS (the root one says module).
// Kit authors point their editors at it: "$schema": "./node_modules/create-container-lambda/dist/container-lambda-kit.schema.json".
copyFileSync(KIT_SCHEMA, 'dist/container-lambda-kit.schema.json');
writeFileSync('dist/package.json', '{\n  "type": "commonjs"\n}\n');
packSamSchema(samSchema);
// dist/cli.js starts main.js from V8's code cache (see src/boot.cjs).
copyFileSync('src/boot.cjs', 'dist/cli.js');
chmodSync('dist/cli.js', 0o755);
// Without the cache the tool runs the same, only slower to start (the test releases of update skip it).
if (!process.env.CCL_NO_CODE_CACHE) writeCodeCache();

/**
 * The code cache holds the functions compiled by the time it is written: it is made by a new
 * project, an add into it and a new project with the example kit, each run starting from what the
 * one before wrote.
 */
function writeCodeCache() {
  const work = mkdtempSync(join(tmpdir(), 'ccl-build-'));
  const env = { ...process.env, CCL_WRITE_CODE_CACHE: '1', CREATE_CONTAINER_LAMBDA_CACHE: join(work, 'cache') };
  const run = (args, cwd) => execFileSync(process.execPath, [join(process.cwd(), 'dist/cli.js'), ...args], { cwd, stdio: 'ignore', env });
  try {
    run(['demo', '--yes', '--no-git', '--no-install'], work);
    run(['add', 'SecondFunction', '--event', 'sqs', '--yes', '--no-install'], join(work, 'demo'));
    run(['kit-demo', '--yes', '--no-git', '--no-install', '--kit', join(process.cwd(), 'examples/kits/acme')], work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
