// Reads an existing SAM template for `add`: checks that it is one, and parses what `add` needs.
// A template of up to WHOLE_PARSE_LINES lines is parsed whole, so any syntax error in it is reported.
// A longer one is parsed in part, so that its size does not set how long `add` takes (the `yaml`
// parser costs about 0.1 ms a line on a cold start): every section but Resources and Outputs, and
// of those two the first entries, the first functions (for defaults) and the last entry (where the
// new ones go). The other entries are only scanned for their keys (template-outline.ts).
import { parseDocument, isMap, isScalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { UserError } from '../errors.ts';
import { cfnTags } from './cfn-tags.ts';
import { outline, type Section, type Span } from './template-outline.ts';

export const SERVERLESS = 'AWS::Serverless-2016-10-31';
/**
 * How add parses template text. The failsafe schema reads every scalar as a string: add needs
 * names, offsets and a few values, and skipping the number/boolean resolution of every scalar saves time.
 */
export const READ_OPTIONS = { schema: 'failsafe', customTags: cfnTags, uniqueKeys: false } as const;
export const WHOLE_PARSE_LINES = 250;
/** Functions parsed in a long template: the first ones give `add` its defaults (project/defaults.ts). */
export const FIRST_FUNCTIONS = 3;
const FUNCTION_TYPE = /^[ \t]+Type[ \t]*:[ \t]*["']?AWS::Serverless::Function["']?[ \t]*(#.*)?\r?$|"Type"\s*:\s*"AWS::Serverless::Function"/m;

export interface TemplateReading {
  text: string;
  /** The parsed text: the whole template, or its parts joined. */
  doc: Document;
  /** Where a position in the parsed text is in the template: the start of something, or its end. */
  at(offset: number, side: 'start' | 'end'): number;
  /** The keys of every entry of Resources, and of Outputs when it is a mapping. */
  resourceIds: string[];
  outputIds?: string[];
  /** Whether every part of the template was parsed. */
  whole: boolean;
}

/** A run of the template in the parsed text. */
interface Slice {
  from: number;
  to: number;
  /** Where it starts in the template. */
  origin: number;
}

export function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/** The parts a long template is parsed from, and its outline; undefined when it is parsed whole. */
function parts(text: string, wholeLines: number): { runs: Span[]; sections: Section[] } | undefined {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && lines <= wholeLines; i = text.indexOf('\n', i + 1)) lines += 1;
  if (lines <= wholeLines) return undefined;
  const sections = outline(text);
  if (!sections) return undefined;
  const spans: Span[] = [];
  for (const s of sections) {
    if (!s.entries) {
      spans.push(s);
      continue;
    }
    spans.push({ start: s.start, end: s.entries[0]!.start, key: s.key });
    let functions = 0;
    for (const [i, e] of s.entries.entries()) {
      const isFunction = s.key === 'Resources' && functions < FIRST_FUNCTIONS && FUNCTION_TYPE.test(text.slice(e.start, e.end));
      if (isFunction) functions += 1;
      if (i < 2 || i === s.entries.length - 1 || isFunction) spans.push(e);
    }
  }
  // Neighbouring spans make one run of text.
  const runs = spans.reduce<Span[]>((joined, s) => {
    const last = joined.at(-1);
    if (last && last.end === s.start) last.end = s.end;
    else joined.push({ ...s });
    return joined;
  }, []);
  return { runs, sections };
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - (before.lastIndexOf('\n') + 1) + 1}`;
}

/** Reads a template and checks that it is a SAM template with a Resources mapping. */
/** `kind` 'cloudformation' reads a plain CloudFormation template (ecr.yaml): no SAM transform needed. */
export function readTemplate(text: string, file: string, wholeLines = WHOLE_PARSE_LINES, kind: 'sam' | 'cloudformation' = 'sam'): TemplateReading {
  const partial = parts(text, wholeLines);
  const runs = partial?.runs;
  const slices: Slice[] = [];
  let parsed = text;
  if (runs) {
    let from = 0;
    for (const r of runs) {
      slices.push({ from, to: from + r.end - r.start, origin: r.start });
      from += r.end - r.start;
    }
    parsed = runs.map((r) => text.slice(r.start, r.end)).join('');
  }
  const at = (offset: number, side: 'start' | 'end'): number => {
    const slice =
      (side === 'start' && slices.find((s) => offset >= s.from && offset < s.to)) || slices.find((s) => offset > s.from && offset <= s.to);
    return slice ? slice.origin + offset - slice.from : offset;
  };

  const doc = parseDocument(parsed, READ_OPTIONS);
  const error = doc.errors[0];
  if (error) {
    // The parser's message names a line of the text it parsed: the position given first is the template's.
    const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new UserError(`${file}:${lineAndColumn(text, at(error.pos[0], 'start'))}: ${message}`, 'Fix the syntax first; nothing was changed');
  }
  if (!isMap(doc.contents)) throw new UserError(`${file} is not a template: its top level is not a mapping`, 'Point --template at a SAM template');
  const transform = doc.get('Transform', true) as Node | undefined;
  const transforms = [transform?.toJSON()].flat();
  if (kind === 'sam' && !transforms.includes(SERVERLESS)) {
    throw new UserError(`${file} is not a SAM template: it has no Transform: ${SERVERLESS}`, 'Add the transform, or point --template at a SAM template');
  }
  const resources = doc.get('Resources', true);
  if (!isMap(resources)) {
    throw new UserError(`${file}: Resources is ${resources ? 'not a mapping' : 'missing'}`, 'Resources must map logical IDs to resources');
  }
  const outputs = doc.get('Outputs', true);
  if (outputs !== undefined && !isMap(outputs)) throw new UserError(`${file}: Outputs is not a mapping`, 'Outputs must map names to outputs');
  const sections = partial?.sections;
  const listed = (name: string, map: YAMLMap) => sections?.find((s) => s.key === name)?.entries?.map((e) => e.key) ?? map.items.map(keyOf);
  return {
    text,
    doc,
    at,
    resourceIds: listed('Resources', resources),
    outputIds: isMap(outputs) ? listed('Outputs', outputs) : undefined,
    whole: !runs,
  };
}
