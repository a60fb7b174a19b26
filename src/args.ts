// Command-line flags: the question flags come from the questions table, the switches from the table
// below; --help is printed from both.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closest } from 'fastest-levenshtein';
import { QUESTIONS, type Answers } from './options.ts';
import { RETIRED, RUNTIMES, support, type Runtime } from './registry/runtimes.ts';
import { EVENTS } from './registry/events.ts';
import { UserError } from './errors.ts';
import type { Given } from './answers.ts';

interface Switch {
  flag: string;
  short?: string;
  description: string;
}

export const SWITCHES: Switch[] = [
  { flag: 'yes', short: 'y', description: 'Accept the defaults for everything not given; never prompt' },
  { flag: 'no-interactive', description: 'Never prompt (missing required answers are an error)' },
  { flag: 'dry-run', description: 'Print the files that would be written; write nothing' },
  { flag: 'force', description: 'Write into a non-empty folder, replacing files of the same name' },
  { flag: 'no-git', description: 'Do not create a git repository' },
  { flag: 'no-install', description: 'Do not install dependencies (no lockfile until you do)' },
  { flag: 'debug', description: 'Show stack traces for errors' },
  { flag: 'help', short: 'h', description: 'Show this help' },
  { flag: 'version', short: 'v', description: 'Show the version' },
];

/** Options of the add command that are not answers: where the project is. */
export const ADD_OPTIONS = [
  { flag: 'dir', valueName: '<project>', description: 'add: the project folder (default: the current folder)' },
  { flag: 'template', valueName: '<file>', description: 'add: the SAM template (default: template.yaml|yml|json in the project)' },
];

export interface Parsed {
  command: 'new' | 'add';
  given: Given;
  switches: Record<string, boolean>;
  /** --dir and --template. */
  paths: { dir?: string; template?: string };
}

const options: ParseArgsConfig['options'] = {};
for (const q of QUESTIONS) {
  if (q.flag) options[q.flag] = q.boolean ? { type: 'boolean' } : { type: 'string', multiple: Boolean(q.multiple) };
}
for (const s of SWITCHES) options[s.flag] = s.short ? { type: 'boolean', short: s.short } : { type: 'boolean' };
for (const o of ADD_OPTIONS) options[o.flag] = { type: 'string' };
const allFlags = Object.keys(options);

function parseError(error: Error & { code?: string }): UserError {
  const unknown = /Unknown option '([^']+)'/.exec(error.message)?.[1];
  if (unknown) {
    const name = unknown.replace(/^-+/, '');
    const near = closest(name, allFlags);
    return new UserError(`Unknown option ${unknown}`, `Did you mean --${near}? See create-container-lambda --help`);
  }
  const missing = /Option '(?:-\w, )?(--[\w-]+)(?: <value>)?' argument (?:missing|is ambiguous)/.exec(error.message)?.[1];
  if (missing) return new UserError(`${missing} needs a value`, `e.g. ${missing}=<value>; see create-container-lambda --help`);
  return new UserError((error.message.split('\n')[0] ?? 'Invalid arguments').replace(/\.$/, ''), 'See create-container-lambda --help');
}

export function parseCommandLine(argv: string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw parseError(error as Error);
  }
  const positionals = [...parsed.positionals];
  let command: Parsed['command'] = 'new';
  if (positionals[0] === 'new' || positionals[0] === 'add') command = positionals.shift() as Parsed['command'];
  if (positionals.length > 1) {
    throw new UserError(`Too many arguments: ${positionals.join(' ')}`, 'Pass one project folder; quote names with spaces');
  }
  const given: Given = {};
  const switches: Record<string, boolean> = {};
  const paths: Parsed['paths'] = {};
  for (const [key, value] of Object.entries(parsed.values)) {
    const q = QUESTIONS.find((x) => x.flag === key);
    if (q) given[q.key as keyof Answers] = value as string | string[] | boolean;
    else if (key === 'dir' || key === 'template') paths[key] = String(value);
    else switches[key] = value === true;
  }
  if (command === 'add') {
    if (given.functionId !== undefined && positionals[0] !== undefined && given.functionId !== positionals[0]) {
      throw new UserError(`Two function names: ${positionals[0]} and --function ${given.functionId}`, 'Pass the name once: create-container-lambda add <FunctionName>');
    }
    if (positionals[0] !== undefined) given.functionId = positionals[0];
    for (const q of QUESTIONS.filter((x) => x.projectOnly)) {
      if (given[q.key] !== undefined) throw new UserError(`--${q.flag} does not apply to add`, 'Leave it out: it is chosen once, for the whole project');
    }
  } else {
    if (positionals[0] !== undefined) given.dir = positionals[0];
    for (const key of Object.keys(paths)) throw new UserError(`--${key} only applies to add`, 'Pass the project folder as the first argument');
  }
  return { command, given, switches, paths };
}

function runtimeLine(r: Runtime): string {
  const [only] = r.languages;
  const languages =
    r.languages.length > 1 ? ` --language ${r.languages.map((l) => l.id).join('|')}` : only && !r.label.startsWith(only.label) ? ` (${only.label})` : '';
  const tools = r.languages.flatMap((l) => l.buildTools ?? []).map((t) => t.id);
  const aliases = Object.keys(r.aliases ?? {});
  // Within six months of AWS's deprecation date: say so where the runtime is chosen.
  const ending = support(r.id).status === 'ending' ? `(end of support ${r.deprecation})` : '';
  return [r.label + languages, tools.length ? `--build-tool ${[...new Set(tools)].join('|')}` : '', aliases.length ? `(also --runtime ${aliases.join(', ')})` : '', ending]
    .filter(Boolean)
    .join(' ');
}

export function helpText(version: string): string {
  const rows: [string, string][] = [
    ...QUESTIONS.filter((q) => q.flag).map((q): [string, string] => [`--${q.flag} ${q.valueName}`.trim(), q.description]),
    ...SWITCHES.map((s): [string, string] => [`${s.short ? `-${s.short}, ` : ''}--${s.flag}`, s.description]),
    ...ADD_OPTIONS.map((o): [string, string] => [`--${o.flag} ${o.valueName}`, o.description]),
  ];
  const width = Math.max(...rows.map(([a]) => a.length)) + 2;
  const list = (items: [string, string][]) => items.map(([a, b]) => `  ${a.padEnd(width)}${b}`);
  return [
    `create-container-lambda ${version}: a new AWS SAM project whose Lambda functions are container images`,
    '',
    'Usage:',
    '  npx create-container-lambda <dir> [options]            a new project',
    '  npm create container-lambda <dir> -- [options]',
    '  create-container-lambda add <FunctionName> [options]   a function in an existing SAM project',
    '',
    'Options:',
    ...list(rows),
    '',
    'Runtimes (--runtime):',
    ...list(RUNTIMES.map((r) => [r.id, runtimeLine(r)])),
    `  (deprecated, refused without --allow-deprecated: ${RETIRED.map((r) => r.id).join(', ')})`,
    '',
    'Events (--event):',
    ...list(EVENTS.map((e) => [e.id, e.description])),
    '',
    'Examples:',
    '  npx create-container-lambda my-app --yes --runtime nodejs22.x --event api',
    '  create-container-lambda add OrdersFunction --runtime python3.13 --event sqs --yes',
  ].join('\n');
}
