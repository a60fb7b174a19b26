// One isolated handlebars runtime with the helpers templates use. Templates render text for YAML,
// TOML, JSON, Python, TypeScript and shell, never HTML: nothing is HTML-escaped, and values that land
// inside a structured format go through that format's own escaping helper.
import type Handlebars from 'handlebars';
import RuntimeModule from 'handlebars/runtime.js';
import { stringify as tomlStringify } from 'smol-toml';

// handlebars ships no typings for its runtime entry; it is the same API minus the compiler.
const Runtime = RuntimeModule as unknown as typeof Handlebars;

export type Spec = Parameters<typeof Runtime.template>[0];
export type Render = (context: object, options?: { partials?: Record<string, Render> }) => string;

/** Compile options shared by the build-time precompiler and the run-time fallback. */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

const hb = Runtime.create();
hb.registerHelper('json', (value: unknown) => JSON.stringify(value));
/** A TOML string literal: `{{toml name}}` -> "my-app". */
hb.registerHelper('toml', (value: unknown) => tomlStringify({ v: value }).slice(4).trim());
/** A shell word, single-quoted: `{{sh value}}` -> 'it'\''s'. */
hb.registerHelper('sh', (value: unknown) => `'${String(value).replace(/'/g, "'\\''")}'`);
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hb.registerHelper('includes', (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item));
/** The name of a partial for an event kind: `{{> (partial kind "handler")}}` -> `sqs.handler`. */
hb.registerHelper('partial', (kind: unknown, part: unknown) => `${String(kind)}.${String(part)}`);
hb.registerHelper('startsWith', (text: unknown, prefix: unknown) => String(text).startsWith(String(prefix)));
hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));

export function fromSpec(spec: Spec): Render {
  return hb.template(spec) as Render;
}

/**
 * Compiles template text at run time (templates that were not precompiled, e.g. an org kit's). With
 * `cached`, the compiled code is kept in the tool's cache (compiled-cache.ts), so later runs over the
 * same text load no compiler: the compiler is most of what a kit adds to a run.
 */
export async function compile(text: string, { cached = false } = {}): Promise<Render> {
  const hit = cached ? (await import('./compiled-cache.ts')).precompiled.read(text) : undefined;
  const source = hit ?? (await precompile(text, cached));
  return fromSpec(new Function(`return ${source}`)() as Spec);
}

async function precompile(text: string, keep: boolean): Promise<string> {
  const { default: compiler } = await import('handlebars');
  const source = compiler.precompile(text, COMPILE_OPTIONS) as string;
  if (keep) (await import('./compiled-cache.ts')).precompiled.write(text, source);
  return source;
}

/** What compiled code depends on besides its text: a new handlebars or new options compile again. */
export const COMPILER_KEY = `handlebars-${(Runtime as unknown as { VERSION: string }).VERSION}-${JSON.stringify(COMPILE_OPTIONS)}`;
