// A SAM (or plain CloudFormation) template read once for the rules: its resources, and each SAM
// resource's properties as SAM sees them, its own or its Globals section's. YAML and JSON alike (JSON
// is YAML); a BOM and CRLF line ends are fine for the parser, and lines are counted on '\n'.
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { LineCounter, isMap, parseDocument, type Node } from 'yaml';
import { cfnTags } from '../../sam/cfn-tags.ts';
import { Nodes, type Found } from './nodes.ts';
import type { Violation } from './types.ts';

export interface Resource {
  id: string;
  /** The line of its logical ID. */
  line: number;
  type: string;
  /** Its Properties node (undefined when it has none). */
  props: Node | undefined;
  node: Node;
}

export interface Template {
  /** The template's name in its folder: `template.yaml`. */
  file: string;
  /** Its folder: Dockerfiles and violations' files are relative to it. */
  dir: string;
  nodes: Nodes;
  resources: Resource[];
}

const SAM_PREFIX = 'AWS::Serverless::';

/** The template, or the one `template` violation that says why it cannot be checked. */
export function loadTemplate(path: string): Template | Violation {
  const file = basename(path);
  const lines = new LineCounter();
  // merge: CloudFormation's reader expands `<<: *defaults`; uniqueKeys off: a duplicate key is cfn-lint's to report.
  const doc = parseDocument(readFileSync(path, 'utf8'), { customTags: cfnTags, lineCounter: lines, merge: true, uniqueKeys: false });
  const error = doc.errors[0];
  if (error) {
    const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return { file, line: lines.linePos(error.pos[0]).line, rule: 'template', message: `fix the syntax: ${message}` };
  }
  const nodes = new Nodes(doc, lines);
  const section = nodes.entries(doc.contents).find((e) => e.key === 'Resources');
  const where = section?.line ?? 1;
  if (!section || !isMap(nodes.deref(section.value))) {
    return { file, line: where, rule: 'template', message: 'make Resources a mapping of logical IDs to resources' };
  }
  const resources: Resource[] = [];
  for (const e of nodes.entries(section.value)) {
    // Fn::ForEach::<name> entries (AWS::LanguageExtensions) are lists, not resources: nothing to check.
    const type = nodes.text(valueOf(nodes.find(e.value, ['Type'])));
    if (!e.value || !type) continue;
    resources.push({ id: e.key, line: e.line, type, props: valueOf(nodes.find(e.value, ['Properties'])), node: e.value });
  }
  return { file, dir: dirname(path), nodes, resources };
}

/** A found entry's value; undefined when absent or unknown. */
export function valueOf(found: Found): Node | undefined {
  return found && found !== 'unknown' ? found.value : undefined;
}

/** A property of a resource: its own; for a SAM resource also its Globals section's (unless IgnoreGlobals drops it). */
export function property(t: Template, r: Resource, path: string[]): { own: Found; global: Found } {
  const own = t.nodes.find(r.props, path);
  if (!r.type.startsWith(SAM_PREFIX)) return { own, global: undefined };
  const ignore = t.nodes.find(r.node, ['IgnoreGlobals']);
  if (ignore === 'unknown') return { own, global: 'unknown' };
  const ignored = ignore && (t.nodes.text(ignore.value) === '*' || (t.nodes.items(ignore.value) ?? [ignore.value]).some((i) => t.nodes.text(i) === path[0]));
  if (ignored) return { own, global: undefined };
  // Globals.Function for AWS::Serverless::Function, Globals.HttpApi for AWS::Serverless::HttpApi, ...
  const globals = t.nodes.find(t.nodes.doc.contents, ['Globals', r.type.slice(SAM_PREFIX.length)]);
  return { own, global: globals === 'unknown' ? globals : globals && t.nodes.find(globals.value, path) };
}

/** A scalar property as SAM resolves it: the resource's own wins over Globals'. */
export function effective(t: Template, r: Resource, path: string[]): Found {
  const { own, global } = property(t, r, path);
  return own ?? global;
}

/** PackageType Image (its own: PackageType is not a global). */
export function isImage(t: Template, r: Resource): boolean {
  return t.nodes.text(valueOf(t.nodes.find(r.props, ['PackageType']))) === 'Image';
}
