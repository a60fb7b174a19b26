// What the schema cannot say about a manifest: that the runtimes, events and defaults it names exist
// and fit together, that its prompts do not shadow built-in flags, and that every file under its
// templates/ lands in a folder the built-in templates have. One line per problem.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { closest } from 'fastest-levenshtein';
import { EVENTS } from '../registry/events.ts';
import { RUNTIMES } from '../registry/runtimes.ts';
import { CI_SYSTEMS } from '../registry/ci.ts';
import { QUESTIONS } from '../options.ts';
import { SWITCHES } from '../args.ts';
import { builtinLayer, directoryLayer, outputName } from '../templates/layers.ts';
import type { KitManifest } from './manifest.ts';
import type { Problem } from './schema-check.ts';

const RUNTIME_IDS = RUNTIMES.map((r) => r.id);
const EVENT_IDS = EVENTS.map((e) => e.id);

function unknown(field: string, what: string, value: string, valid: string[]): Problem {
  const near = closest(value, valid);
  return { field, message: `"${value}" is not ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what}; did you mean ${near}? (valid: ${valid.join(', ')})` };
}

function listed(field: string, values: string[] | undefined, what: string, valid: string[]): Problem[] {
  return (values ?? []).flatMap((v, i) => (valid.includes(v) ? [] : [unknown(`${field}[${i}]`, what, v, valid)]));
}

/** A default the kit's own allow list excludes, or that names something that does not exist. */
function defaultProblems(m: KitManifest): Problem[] {
  const d = m.defaults ?? {};
  const problems: Problem[] = [];
  const runtime = typeof d.runtime === 'string' ? d.runtime : undefined;
  if (runtime !== undefined) {
    if (!RUNTIME_IDS.includes(runtime)) problems.push(unknown('defaults.runtime', 'runtime', runtime, RUNTIME_IDS));
    else if (m.allow?.runtimes && !m.allow.runtimes.includes(runtime)) problems.push({ field: 'defaults.runtime', message: `"${runtime}" is not in allow.runtimes` });
  }
  const languages = RUNTIMES.find((r) => r.id === runtime)?.languages.map((l) => l.id);
  if (typeof d.language === 'string' && languages && !languages.includes(d.language)) problems.push(unknown('defaults.language', `language of ${runtime}`, d.language, languages));
  const events = [d.event ?? []].flat().flatMap((e) => String(e).split(',')).map((e) => e.trim());
  for (const [i, e] of events.entries()) {
    if (!EVENT_IDS.includes(e)) problems.push(unknown(`defaults.event${Array.isArray(d.event) ? `[${i}]` : ''}`, 'event kind', e, EVENT_IDS));
    else if (m.allow?.events && !m.allow.events.includes(e)) problems.push({ field: 'defaults.event', message: `"${e}" is not in allow.events` });
  }
  if (typeof d.arch === 'string' && m.allow?.architectures && !m.allow.architectures.includes(d.arch as never)) problems.push({ field: 'defaults.arch', message: `"${d.arch}" is not in allow.architectures` });
  if (typeof d.ci === 'string' && !CI_SYSTEMS.some((c) => c.id === d.ci)) problems.push(unknown('defaults.ci', 'CI system', d.ci, CI_SYSTEMS.map((c) => c.id)));
  return problems;
}

const BUILTIN_FLAGS = new Set(['kit', 'trust-kit', 'dir', 'template', ...QUESTIONS.flatMap((q) => (q.flag ? [q.flag] : [])), ...SWITCHES.map((s) => s.flag)]);

function promptProblems(m: KitManifest): Problem[] {
  const problems: Problem[] = [];
  const names = new Set<string>();
  for (const [i, p] of (m.prompts ?? []).entries()) {
    const field = `prompts[${i}]`;
    if (BUILTIN_FLAGS.has(p.name)) problems.push({ field: `${field}.name`, message: `"${p.name}" is a built-in flag (--${p.name}); choose another name` });
    if (names.has(p.name)) problems.push({ field: `${field}.name`, message: `"${p.name}" is asked twice` });
    names.add(p.name);
    if (p.type === 'select' && !p.choices) problems.push({ field: `${field}.choices`, message: 'a select prompt needs choices' });
    if (p.type !== 'select' && p.choices) problems.push({ field: `${field}.choices`, message: `only select prompts have choices (this one is ${p.type})` });
    if (p.type === 'select' && typeof p.default === 'string' && p.choices && !p.choices.includes(p.default)) problems.push({ field: `${field}.default`, message: `"${p.default}" is not one of its choices` });
    if (p.type === 'confirm' && p.default !== undefined && typeof p.default !== 'boolean') problems.push({ field: `${field}.default`, message: 'a confirm prompt defaults to true or false' });
    if (p.pattern !== undefined) {
      try {
        new RegExp(p.pattern);
      } catch (error) {
        problems.push({ field: `${field}.pattern`, message: `is not a regular expression (${(error as Error).message})` });
      }
      if (p.type !== 'input') problems.push({ field: `${field}.pattern`, message: 'only input prompts have a pattern' });
      else if (typeof p.default === 'string' && !new RegExp(p.pattern).test(p.default)) problems.push({ field: `${field}.default`, message: `"${p.default}" does not match its own pattern` });
    }
    for (const key of Object.keys(p.when ?? {})) {
      if (!BUILTIN_FLAGS.has(key) && !names.has(key)) problems.push({ field: `${field}.when.${key}`, message: 'names no flag and no earlier prompt' });
    }
  }
  return problems;
}

/** Built-in template folders a kit file may go in: project, events, ci/<id>, functions/<language folder>. */
function builtinFolders(): Set<string> {
  const folders = new Set<string>();
  for (const path of builtinLayer().list('')) {
    const parts = path.split('/');
    folders.add(parts[0] === 'functions' || parts[0] === 'ci' ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  folders.delete('functions/README.md');
  folders.delete('kit'); // what `kit new` writes, not a part of projects
  return folders;
}

/** Files under templates/ outside every built-in folder, or shadowing a built-in under another name. */
export function templateProblems(dir: string): Problem[] {
  if (!existsSync(join(dir, 'templates'))) return [];
  const folders = builtinFolders();
  const builtins = builtinLayer().list('');
  const byOutput = new Map(builtins.map((p) => [outputName(p), p]));
  const problems: Problem[] = [];
  for (const path of directoryLayer('kit', join(dir, 'templates')).list('')) {
    const parts = path.split('/');
    const folder = parts[0] === 'functions' || parts[0] === 'ci' ? parts.slice(0, 2).join('/') : parts[0]!;
    const field = `templates/${path}`;
    if (!folders.has(folder) || parts.length < 2) {
      problems.push({ field, message: `matches no built-in template folder; did you mean templates/${closest(folder, [...folders])}/? (folders: ${[...folders].sort().join(', ')})` });
      continue;
    }
    const same = byOutput.get(outputName(path));
    if (same && same !== path) problems.push({ field, message: `writes the same file as the built-in ${same}; name it ${same.split('/').pop()} to replace it` });
  }
  return problems;
}

export function manifestProblems(m: KitManifest, dir: string): Problem[] {
  return [
    ...listed('allow.runtimes', m.allow?.runtimes, 'runtime', RUNTIME_IDS),
    ...listed('allow.events', m.allow?.events, 'event kind', EVENT_IDS),
    ...defaultProblems(m),
    ...promptProblems(m),
    ...(Array.isArray(m.rules?.runtimes) ? listed('rules.runtimes', m.rules.runtimes, 'runtime', RUNTIME_IDS) : []),
    ...(m.rules?.requiredTags === true && !m.tags ? [{ field: 'rules.requiredTags', message: 'is true but the kit has no tags to take them from' }] : []),
    ...(m.rules?.baseImages === true && !m.baseImages ? [{ field: 'rules.baseImages', message: 'is true but the kit has no baseImages to take them from' }] : []),
    ...(existsSync(join(dir, 'generators')) && !['plopfile.js', 'plopfile.cjs', 'plopfile.mjs'].some((f) => existsSync(join(dir, 'generators', f)))
      ? [{ field: 'generators/', message: 'has no plopfile.js' }]
      : []),
  ];
}
