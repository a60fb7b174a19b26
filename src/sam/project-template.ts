// template.yaml of a new project, built as a YAML document (never pasted text) with the comments a
// newcomer needs.
import { Document, isMap, type Node, type Pair, type YAMLMap } from 'yaml';
import { cfnTags } from './cfn-tags.ts';
import type { Fragment } from './function-resources.ts';
import { quoted, toYamlNode } from './intrinsics.ts';

export interface ProjectTemplate {
  description: string;
  memory: number;
  timeout: number;
  tracing: boolean;
  fragments: Fragment[];
  /** More Globals.Function properties (an org kit's boundary, VPC, tags, ...). */
  globals?: Record<string, unknown>;
  /** Template parameters (an org kit's). */
  parameters?: Record<string, unknown>;
  /** Tags for the function's HTTP API (Globals.HttpApi; SAM makes that API from the event). */
  httpApiTags?: Record<string, string>;
}

function comment(pair: Pair | undefined, text: string, blankLineBefore = true): void {
  const key = pair?.key as Node | undefined;
  if (!key) return;
  key.commentBefore = text;
  key.spaceBefore = blankLineBefore;
}

function section(doc: Document, name: string, value: unknown, text?: string): void {
  const pair = doc.createPair(name, toYamlNode(doc, value));
  (doc.contents as YAMLMap).items.push(pair);
  if (text) comment(pair, text);
  else (pair.key as Node).spaceBefore = true;
}

export function projectTemplate(t: ProjectTemplate): string {
  const doc = new Document({}, { customTags: cfnTags });
  const root = doc.contents as YAMLMap;
  root.items.push(doc.createPair('AWSTemplateFormatVersion', quoted('2010-09-09')));
  root.items.push(doc.createPair('Transform', 'AWS::Serverless-2016-10-31'));
  root.items.push(doc.createPair('Description', t.description));
  if (t.parameters && Object.keys(t.parameters).length) section(doc, 'Parameters', t.parameters);

  section(
    doc,
    'Globals',
    {
      Function: {
        Timeout: t.timeout,
        MemorySize: t.memory,
        Tracing: t.tracing ? 'Active' : undefined,
        LoggingConfig: { LogFormat: 'JSON' },
        ...t.globals,
      },
      HttpApi: t.httpApiTags ? { Tags: t.httpApiTags } : undefined,
    },
    ` Settings every function in this template inherits unless it sets its own.\n LogFormat JSON: each log line is a JSON object, filterable in CloudWatch Logs Insights.${t.tracing ? '\n Tracing Active: X-Ray traces every invocation (each function\'s role may write traces).' : ''}`,
  );

  const resources = Object.assign({}, ...t.fragments.map((f) => f.resources));
  section(doc, 'Resources', resources);
  const resourceMap = root.get('Resources') as YAMLMap;
  for (const [id, text] of t.fragments.flatMap((f) => Object.entries(f.comments))) {
    const pair = resourceMap.items.find((p) => (p.key as { value?: unknown }).value === id);
    comment(pair as Pair, text, resourceMap.items.indexOf(pair as Pair) > 0);
  }
  section(doc, 'Outputs', Object.assign({}, ...t.fragments.map((f) => f.outputs)));
  if (!isMap(root.get('Outputs'))) root.delete('Outputs');
  return doc.toString({ lineWidth: 0 });
}
