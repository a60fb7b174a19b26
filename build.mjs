// Bundles the CLI into dist/: one entry file plus chunks loaded only when needed (prompts, zx,
// the template compiler). The templates/ folder is embedded, .hbs files precompiled, so a run reads
// no template from disk and loads no compiler.
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

function builtinModule() {
  const entries = walk('templates')
    .sort()
    .map((file) => {
      const path = relative('templates', file).split('\\').join('/');
      const text = readFileSync(file, 'utf8');
      const value = path.endsWith('.hbs')
        ? `{ spec: ${Handlebars.precompile(text, COMPILE_OPTIONS)} }`
        : `{ text: ${JSON.stringify(text)} }`;
      return `  ${JSON.stringify(path)}: ${value},`;
    });
  return `export const BUILTIN = {\n${entries.join('\n')}\n};\n`;
}

const embedTemplates = {
  name: 'embed-templates',
  setup(build) {
    build.onLoad({ filter: /src[\\/]templates[\\/]builtin\.ts$/ }, () => ({ contents: builtinModule(), loader: 'js' }));
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
  plugins: [embedTemplates],
  logLevel: 'warning',
});
