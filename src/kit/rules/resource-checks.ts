// The rules read off the template alone. A value behind an intrinsic (`!If`, `{"Ref": ...}`) is
// known only at deployment: such a resource is not reported. A violation's line is where the value
// to change is written (which may be in Globals), or the resource's logical ID when it is missing.
import { isMap, isScalar, type Node } from 'yaml';
import { lambdaRuntimeId } from './base-images.ts';
import { TAGGABLE, type Tagging } from './taggable.ts';
import { effective, isImage, property, type Resource, type Template } from './template.ts';
import type { Nodes, Found } from './nodes.ts';
import type { Context, Finding } from './types.ts';

const SAM_FUNCTION = 'AWS::Serverless::Function';

/** Where each function type keeps what the rules read. */
const FUNCTIONS: Record<string, { tracing: string[] }> = {
  [SAM_FUNCTION]: { tracing: ['Tracing'] },
  'AWS::Lambda::Function': { tracing: ['TracingConfig', 'Mode'] },
};

/** SAM resources for which SAM creates an IAM role unless given one (its Role property). */
const ROLE_MAKERS = [SAM_FUNCTION, 'AWS::Serverless::StateMachine'];

/** Where a function URL's AuthType is written. */
const URL_AUTH: Record<string, string[]> = {
  [SAM_FUNCTION]: ['FunctionUrlConfig', 'AuthType'],
  'AWS::Lambda::Url': ['AuthType'],
};

const functions = (t: Template) => t.resources.filter((r) => FUNCTIONS[r.type]);
/** Where else a missing property may go: Globals.Function, for SAM functions. */
const orGlobals = (r: Resource) => (r.type === SAM_FUNCTION ? ' on it or in Globals.Function' : '');
const at = (t: Template, line: number, message: string): Finding => ({ file: t.file, line, message });

/** The tag keys a Tags value sets, or 'unknown' when an intrinsic or an unexpected shape hides them. */
function tagKeys(nodes: Nodes, value: Node | undefined, form: Tagging['form']): Set<string> | 'unknown' {
  const node = nodes.deref(value);
  if (node === undefined || (isScalar(node) && node.value === null)) return new Set(); // `Tags:` with nothing
  if (nodes.isIntrinsic(node)) return 'unknown';
  if (form === 'map') return isMap(node) ? new Set(nodes.entries(node).map((e) => e.key)) : 'unknown';
  const items = nodes.items(node);
  if (!items) return 'unknown';
  const keys = new Set<string>();
  for (const item of items) {
    // `- !If [...]` or `Key: !Ref ...` could be any key.
    const key = nodes.isIntrinsic(item) ? 'unknown' : nodes.find(item, ['Key']);
    const name = key === 'unknown' ? undefined : nodes.text(key?.value);
    if (name === undefined) return 'unknown';
    keys.add(name);
  }
  return keys;
}

export function requiredTags({ template: t, rules }: Context): Finding[] {
  const required = rules.requiredTags ?? [];
  const out: Finding[] = [];
  for (const r of t.resources) {
    const tagging = TAGGABLE[r.type];
    if (!tagging) continue;
    const { own, global } = property(t, r, [tagging.property]);
    if (own === 'unknown' || global === 'unknown') continue;
    const sets = [own, global].filter((f) => f !== undefined).map((f) => tagKeys(t.nodes, f.value, tagging.form));
    if (sets.includes('unknown')) continue;
    const present = new Set(sets.flatMap((s) => [...(s as Set<string>)]));
    const missing = required.filter((k) => !present.has(k));
    if (missing.length === 0) continue;
    const where = own || !orGlobals(r) ? `its ${tagging.property}` : `its Tags or Globals.Function.Tags`;
    out.push(at(t, own?.line ?? r.line, `${r.id}: add the tag${missing.length > 1 ? 's' : ''} ${missing.join(', ')} to ${where}`));
  }
  return out;
}

export function permissionsBoundary({ template: t }: Context): Finding[] {
  const out: Finding[] = [];
  for (const r of t.resources) {
    if (r.type === 'AWS::IAM::Role' && t.nodes.find(r.props, ['PermissionsBoundary']) === undefined) {
      out.push(at(t, r.line, `${r.id}: set PermissionsBoundary`));
    }
    if (!ROLE_MAKERS.includes(r.type) || t.nodes.find(r.props, ['Role']) !== undefined) continue;
    if (effective(t, r, ['PermissionsBoundary']) === undefined) {
      out.push(at(t, r.line, `${r.id}: set PermissionsBoundary${orGlobals(r)} (SAM creates its role)`));
    }
  }
  return out;
}

/** Zip functions' Runtime; image functions' runtimes come from their Dockerfiles (image-checks.ts). */
export function zipRuntimes({ template: t, rules }: Context): Finding[] {
  const allowed = (rules.runtimes ?? []).map(lambdaRuntimeId);
  const out: Finding[] = [];
  for (const r of functions(t)) {
    if (isImage(t, r)) continue;
    const runtime = effective(t, r, ['Runtime']);
    const id = runtime && runtime !== 'unknown' ? t.nodes.text(runtime.value) : undefined;
    if (runtime && runtime !== 'unknown' && id !== undefined && !allowed.includes(id)) {
      out.push(at(t, runtime.line, `${r.id}: runtime ${id} is not allowed; use ${(rules.runtimes ?? []).join(', ')}`));
    }
  }
  return out;
}

export function architectures({ template: t, rules }: Context): Finding[] {
  const allowed = rules.architectures ?? [];
  const out: Finding[] = [];
  for (const r of functions(t)) {
    // SAM concatenates lists: a function's own Architectures and Globals' both count.
    const { own, global } = property(t, r, ['Architectures']);
    const found = [own, global].filter((f): f is Exclude<Found, undefined> => f !== undefined);
    if (found.includes('unknown')) continue;
    if (found.length === 0) {
      if (!allowed.includes('x86_64')) out.push(at(t, r.line, `${r.id}: runs on x86_64 (the default); set Architectures: [${allowed[0]}]${orGlobals(r)}`));
      continue;
    }
    for (const f of found as { value: Node | undefined }[]) {
      for (const item of t.nodes.items(f.value) ?? []) {
        const arch = t.nodes.text(item);
        if (arch !== undefined && !allowed.includes(arch)) out.push(at(t, t.nodes.line(item), `${r.id}: architecture ${arch} is not allowed; use ${allowed.join(', ')}`));
      }
    }
  }
  return out;
}

export function functionUrlAuth({ template: t }: Context): Finding[] {
  const out: Finding[] = [];
  for (const r of t.resources) {
    const path = URL_AUTH[r.type];
    const auth = path && effective(t, r, path);
    if (auth && auth !== 'unknown' && t.nodes.text(auth.value) === 'NONE') {
      out.push(at(t, auth.line, `${r.id}: set ${path.join('.')} to AWS_IAM; NONE lets anyone call the URL`));
    }
  }
  return out;
}

export function tracing({ template: t }: Context): Finding[] {
  const out: Finding[] = [];
  for (const r of functions(t)) {
    const path = FUNCTIONS[r.type]!.tracing;
    const mode = effective(t, r, path);
    if (mode === 'unknown') continue;
    const value = mode && t.nodes.text(mode.value);
    if (value === 'Active') continue;
    const message = mode ? `set ${path.join('.')} to Active (it is ${value ?? 'empty'})` : `set ${path.join('.')}: Active${orGlobals(r)}`;
    out.push(at(t, mode?.line ?? r.line, `${r.id}: ${message}`));
  }
  return out;
}
