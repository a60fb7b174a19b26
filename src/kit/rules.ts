// The rules engine behind `create-container-lambda check`: a kit's `rules` run on any SAM project,
// each violation one line, `template.yaml:12: required-tags: what to change`. The template is parsed
// once and each Dockerfile read once; the rules live in rules/ (one function each), this file has
// their table and the kit-facing API.
import type { KitManifest } from './manifest.ts';
import { withoutDigest } from './rules/base-images.ts';
import { baseImagePrefixes, imageRuntimes } from './rules/image-checks.ts';
import { architectures, functionUrlAuth, permissionsBoundary, requiredTags, tracing, zipRuntimes } from './rules/resource-checks.ts';
import { loadTemplate } from './rules/template.ts';
import type { Context, Finding, ResolvedRules, Violation } from './rules/types.ts';

export type { ResolvedRules, Violation } from './rules/types.ts';

/** Each rule: its id in the output, whether the kit turns it on, and its checks. */
const RULES: { id: string; on: (r: ResolvedRules) => boolean; checks: ((c: Context) => Finding[])[] }[] = [
  { id: 'required-tags', on: (r) => Boolean(r.requiredTags?.length), checks: [requiredTags] },
  { id: 'permissions-boundary', on: (r) => r.permissionsBoundary === true, checks: [permissionsBoundary] },
  { id: 'runtimes', on: (r) => Boolean(r.runtimes?.length), checks: [zipRuntimes, imageRuntimes] },
  { id: 'architectures', on: (r) => Boolean(r.architectures?.length), checks: [architectures] },
  { id: 'base-images', on: (r) => Boolean(r.baseImages?.length), checks: [baseImagePrefixes] },
  { id: 'function-url-auth', on: (r) => r.functionUrlAuth === true, checks: [functionUrlAuth] },
  { id: 'tracing', on: (r) => r.tracing === true, checks: [tracing] },
];

/** A list rule: `true` takes the kit's list; a rule left with no list (or an empty one) is off. */
function listRule<T>(rule: true | T[] | undefined, fromKit: T[] | undefined): T[] | undefined {
  const list = rule === true ? fromKit : rule;
  return list && list.length > 0 ? [...new Set(list)] : undefined;
}

/** `true` in a rule takes its list from the kit: requiredTags <- keys of manifest.tags, runtimes/architectures <- manifest.allow, baseImages <- the values of manifest.baseImages (each without its @sha256 digest, as prefixes). */
export function resolveRules(manifest: KitManifest): ResolvedRules {
  const rules = manifest.rules ?? {};
  const resolved: ResolvedRules = {
    requiredTags: listRule(rules.requiredTags, Object.keys(manifest.tags ?? {})),
    permissionsBoundary: rules.permissionsBoundary,
    runtimes: listRule(rules.runtimes, manifest.allow?.runtimes),
    architectures: listRule<string>(rules.architectures, manifest.allow?.architectures),
    baseImages: listRule(rules.baseImages, Object.values(manifest.baseImages ?? {}).map(withoutDigest)),
    functionUrlAuth: rules.functionUrlAuth,
    tracing: rules.tracing,
  };
  return Object.fromEntries(Object.entries(resolved).filter(([, v]) => v !== undefined)) as ResolvedRules;
}

/** Runs the rules on the SAM template at templatePath (and the Dockerfiles its image functions name). `baseImages` is the kit's mapping, used to recognise a mirrored base image's runtime. file is relative to the template's folder, `/`-separated. Sorted by file then line. */
export function checkProject(templatePath: string, rules: ResolvedRules, baseImages: Record<string, string> = {}): Violation[] {
  const template = loadTemplate(templatePath);
  if (!('resources' in template)) return [template];
  const context: Context = { template, rules, baseImages };
  const out = RULES.filter((rule) => rule.on(rules)).flatMap((rule) => rule.checks.flatMap((check) => check(context).map((f) => ({ ...f, rule: rule.id }))));
  // Stable: on one line, the rules keep the table's order.
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}

export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line}: ${v.rule}: ${v.message}`;
}
