// The answers a generated project records, so later commands (add, update) can take them as defaults
// and render the same files again: `.create-container-lambda.json` beside the template.
//
//   tool         the tool that made the project (name, version)
//   answers      the answers of `new` (the first function's included); what add takes defaults from
//   installed    whether `new` installed the dependencies (its README then leaves out that step)
//   kit          the org kit (name, version, source, integrity), and kitAnswers its prompts' answers
//   functions    per function, by logical ID: the tool version and the answers it was made with, by
//                `new` or by `add` (in a repository this tool did not make, add writes the file with
//                this key alone). Functions not listed were not made by this tool.
//   conflicted   the files the last `update` left with conflicts (until they are resolved, it refuses)
//
// Nothing secret is recorded: --private-index refuses a URL with credentials, which come from the
// build's secrets.
import type { Answers } from '../options.ts';

export const CONFIG_FILE = '.create-container-lambda.json';

/** The answers that make one function: what `update` renders it from again. */
export const FUNCTION_KEYS = [
  'functionId', 'runtime', 'language', 'buildTool', 'appTemplate', 'arch', 'events', 'memory', 'timeout',
  'logRetention', 'tracing', 'powertools', 'privateIndex',
] as const satisfies readonly (keyof Answers)[];

export interface FunctionRecord {
  tool: { name: string; version: string };
  answers: Partial<Pick<Answers, (typeof FUNCTION_KEYS)[number]>>;
  /** The kit's prompts' answers it was made with, when the project has a kit. */
  kitAnswers?: Record<string, string | boolean>;
}

export function functionRecord(a: Partial<Answers>, tool: { name: string; version: string }, kitAnswers?: Record<string, string | boolean>): FunctionRecord {
  const answers = Object.fromEntries(FUNCTION_KEYS.filter((k) => a[k] !== undefined).map((k) => [k, a[k]]));
  return { tool: { name: tool.name, version: tool.version }, answers, ...(kitAnswers && Object.keys(kitAnswers).length ? { kitAnswers } : {}) };
}

/** The configuration's text with the function's record added (a new file when there is none). */
export function withFunction(text: string | undefined, record: FunctionRecord): string {
  const config = text === undefined ? {} : (JSON.parse(text) as Record<string, unknown>);
  const functions = { ...((config.functions as Record<string, FunctionRecord> | undefined) ?? {}) };
  functions[record.answers.functionId!] = record;
  return `${JSON.stringify({ ...config, functions }, null, 2)}\n`;
}
