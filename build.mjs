// Bundles the CLI into dist/: one entry file plus chunks loaded only when needed (prompts, zx,
// the template compiler). The templates/ folder is embedded, .hbs files precompiled, so a run reads
// no template from disk and loads no compiler; each language's templates are a chunk of their own.
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import Handlebars from 'handlebars';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const COMPILE_OPTIONS = { noEscape: true, strict: true }; // as in src/templates/render.ts

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Templates by group (`project`, `events`, `functions/<language>`): each group is a chunk of its own. */
function groups() {
  const byGroup = new Map();
  for (const file of walk('templates').sort()) {
    const path = relative('templates', file).split('\\').join('/');
    if (path === 'functions/README.md') continue; // the contract for template authors, not a template
    const parts = path.split('/');
    const group = parts[0] === 'functions' ? parts.slice(0, 2).join('/') : parts[0];
    byGroup.set(group, [...(byGroup.get(group) ?? []), path]);
  }
  return byGroup;
}

/** The module that replaces src/templates/builtin.ts: the index of paths, and a loader per group. */
function builtinModule() {
  const index = Object.fromEntries(groups());
  // Every new project renders these two: they are bundled in, the languages are loaded on demand.
  const always = ['project', 'events'];
  const imports = always.map((g, i) => `import g${i} from ${JSON.stringify(`ccl-templates:${g}`)};`);
  const loaders = Object.keys(index).map((g) =>
    always.includes(g)
      ? `  ${JSON.stringify(g)}: () => Promise.resolve(g${always.indexOf(g)}),`
      : `  ${JSON.stringify(g)}: () => import(${JSON.stringify(`ccl-templates:${g}`)}).then((m) => m.default),`,
  );
  return `${imports.join('\n')}\nexport const BUILTIN_INDEX = ${JSON.stringify(index)};\nconst loaders = {\n${loaders.join('\n')}\n};\nexport const loadGroup = (group) => loaders[group]();\n`;
}

/** One group's templates: .hbs files precompiled, other files as text. */
function groupModule(group) {
  const entries = groups().get(group).map((path) => {
    const text = readFileSync(join('templates', path), 'utf8');
    const value = path.endsWith('.hbs') ? `{ spec: ${Handlebars.precompile(text, COMPILE_OPTIONS)} }` : `{ text: ${JSON.stringify(text)} }`;
    return `  ${JSON.stringify(path)}: ${value},`;
  });
  return `export default {\n${entries.join('\n')}\n};\n`;
}

const embedTemplates = {
  name: 'embed-templates',
  setup(build) {
    build.onLoad({ filter: /src[\\/]templates[\\/]builtin\.ts$/ }, () => ({ contents: builtinModule(), loader: 'js' }));
    build.onResolve({ filter: /^ccl-templates:/ }, (args) => ({ path: args.path.slice('ccl-templates:'.length), namespace: 'templates' }));
    build.onLoad({ filter: /.*/, namespace: 'templates' }, (args) => ({ contents: groupModule(args.path), loader: 'js' }));
  },
};

rmSync('dist', { recursive: true, force: true });
await esbuild.build({
  entryPoints: { cli: 'src/cli.ts', plopfile: 'generators/plopfile.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  define: { __TOOL_VERSION__: JSON.stringify(pkg.version) },
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: { js: "import { createRequire as __ccl_require } from 'node:module'; const require = __ccl_require(import.meta.url);" },
  // yaml's ES module build (the one it ships for browsers, same code): bundled as ESM it is
  // tree-shaken and scope-hoisted, and loads faster than its CommonJS build wrapped in closures.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
  plugins: [embedTemplates],
  logLevel: 'warning',
});
