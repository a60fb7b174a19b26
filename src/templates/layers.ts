// Layered template lookup: a project is rendered from the first layer that has each file, so an org
// kit (a folder laid out like templates/) can override or add single files over the built-in ones.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_INDEX, loadGroup } from './builtin.ts';
import { compile, fromSpec, type Render } from './render.ts';
import { comparePaths } from '../plan.ts';

export interface Layer {
  name: string;
  /** Paths (relative to the layer, `/`-separated) of every file under `prefix`. */
  list(prefix: string): string[];
  /** A renderer for a `.hbs` file, or the text of any other file. */
  load(path: string): Promise<Render | string>;
}

function walk(root: string, dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) =>
    e.isDirectory() ? walk(root, join(dir, e.name)) : [relative(root, join(dir, e.name)).split('\\').join('/')],
  );
}

/** A folder laid out like templates/. */
export function directoryLayer(name: string, root: string, { cached = false } = {}): Layer {
  return {
    name,
    list: (prefix) => walk(root, join(root, prefix)),
    load: async (path) => {
      const text = readFileSync(join(root, path), 'utf8');
      return path.endsWith('.hbs') ? compile(text, { cached }) : text;
    },
  };
}

/** The group a built-in template belongs to: `functions/python/app.py.hbs` -> `functions/python`, `apps/web-app/...` -> `apps/web-app`. */
function groupOf(path: string): string {
  const parts = path.split('/');
  return parts[0] === 'functions' || parts[0] === 'apps' ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The templates shipped with the tool: embedded in the bundle, or read from templates/ from source. */
export function builtinLayer(): Layer {
  const index = BUILTIN_INDEX;
  const load = loadGroup;
  if (!index || !load) return directoryLayer('built-in', fileURLToPath(new URL('../../templates/', import.meta.url)));
  const paths = Object.values(index).flat();
  return {
    name: 'built-in',
    list: (prefix) => (prefix ? paths.filter((p) => p.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) : paths),
    load: async (path) => {
      const entry = (await load(groupOf(path)))[path];
      if (!entry) throw new Error(`No built-in template ${path}`);
      return 'spec' in entry ? fromSpec(entry.spec) : entry.text;
    },
  };
}

export interface RenderedFile {
  /** Output path relative to where the folder is rendered. */
  path: string;
  content: string;
  mode: number;
}

/** Output name of a template file: `dot_gitignore` -> `.gitignore`, `app.py.hbs` -> `app.py`. */
export function outputName(path: string): string {
  return path
    .split('/')
    .map((part) => part.replace(/^dot_/, '.'))
    .join('/')
    .replace(/\.hbs$/, '');
}

/** Partials live in a `_partials/` folder beside the templates that use them, never output. */
const PARTIALS = '_partials/';

/**
 * Renders every file under `prefix`, each from the first layer that has it. Files in
 * `<prefix>/_partials/` are handlebars partials named after their file (`sqs.handler.hbs` ->
 * `sqs.handler`), used as `{{> (partial kind "handler")}}`.
 */
export async function renderFolder(layers: Layer[], prefix: string, context: object): Promise<RenderedFile[]> {
  const chosen = new Map<string, Layer>();
  for (const layer of layers) {
    for (const path of layer.list(prefix)) if (!chosen.has(path)) chosen.set(path, layer);
  }
  const partials: Record<string, Render> = {};
  for (const [path, layer] of chosen) {
    if (!path.startsWith(`${prefix}/${PARTIALS}`)) continue;
    const loaded = await layer.load(path);
    partials[path.slice(prefix.length + 1 + PARTIALS.length).replace(/\.hbs$/, '')] = typeof loaded === 'string' ? () => loaded : loaded;
    chosen.delete(path);
  }
  const files: RenderedFile[] = [];
  for (const [path, layer] of [...chosen].sort(([a], [b]) => comparePaths(a, b))) {
    const loaded = await layer.load(path);
    const content = typeof loaded === 'string' ? loaded : loaded(context, { partials });
    // A template that renders to nothing is a file this project does not need (e.g. a logging
    // configuration without --powertools).
    if (typeof loaded !== 'string' && !content.trim()) continue;
    const out = outputName(path.slice(prefix.length + 1));
    files.push({ path: out, content, mode: out.endsWith('.sh') ? 0o755 : 0o644 });
  }
  return files;
}
