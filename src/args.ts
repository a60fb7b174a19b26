// Command-line flags: the question flags come from the questions table, the switches from the table
// below; --help is printed from both.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closest } from 'fastest-levenshtein';
import { QUESTIONS, type Answers } from './options.ts';
import { RETIRED, RUNTIMES, support, type Runtime } from './registry/runtimes.ts';
import { APP_TEMPLATES, HELLO, type AppTemplate } from './registry/apps.ts';
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
  { flag: 'trust-kit', description: "Let the kit's generators/ (JavaScript) run; recorded, so later adds run them too" },
  { flag: 'debug', description: 'Show stack traces for errors' },
  { flag: 'help', short: 'h', description: 'Show this help' },
  { flag: 'version', short: 'v', description: 'Show the version' },
];

/** Options that are not answers: where the project is, and which kit. */
export const PATH_OPTIONS = [
  { flag: 'dir', valueName: '<project>', description: 'add, check, update: the project folder (default: the current folder)' },
  { flag: 'template', valueName: '<file>', description: 'add, check: the SAM template (default: template.yaml|yml|json in the project)' },
  { flag: 'kit', valueName: '<kit>', description: 'An org starter kit: a folder, npm package, tarball or git+<url>#<ref> (recorded; add reuses it)' },
  { flag: 'to', valueName: '<version>', description: 'update: the tool version to update to (default: this one)' },
  { flag: 'kit-version', valueName: '<version>', description: "update: the kit version to update to (an npm or git kit; default: the recorded one)" },
  { flag: 'conflict', valueName: '<inline|rej>', description: 'update: conflicts as markers in the file (default) or beside it in <file>.rej' },
];

/** The PATH_OPTIONS only update takes. */
const UPDATE_ONLY = ['to', 'kit-version', 'conflict'];

export const COMMANDS = ['new', 'add', 'check', 'kit', 'update'] as const;

export interface Parsed {
  command: (typeof COMMANDS)[number];
  given: Given;
  switches: Record<string, boolean>;
  /** --dir, --template and --kit; update's --to, --kit-version and --conflict. */
  paths: { dir?: string; template?: string; kit?: string; to?: string; 'kit-version'?: string; conflict?: string };
  /** Values of a kit's prompt flags, by prompt name. */
  kitGiven: Record<string, string | boolean>;
  /** Positionals after the command (kit new <dir>, ...). */
  rest: string[];
}

/** A kit prompt's flag: a string, or on/off for confirm prompts. */
export interface ExtraFlag {
  flag: string;
  boolean?: boolean;
}

function optionsFor(extra: ExtraFlag[]): NonNullable<ParseArgsConfig["options"]> {
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const q of QUESTIONS) {
    if (q.flag) options[q.flag] = q.boolean ? { type: 'boolean' } : { type: 'string', multiple: Boolean(q.multiple) };
  }
  for (const s of SWITCHES) options[s.flag] = s.short ? { type: 'boolean', short: s.short } : { type: 'boolean' };
  for (const o of PATH_OPTIONS) options[o.flag] = { type: 'string' };
  for (const e of extra) options[e.flag] ??= e.boolean ? { type: 'boolean' } : { type: 'string' };
  return options;
}
let allFlags = Object.keys(optionsFor([]));

/** The command and where its project and kit are, read before the kit's own flags are known. */
export function peekCommandLine(argv: string[]): { command: Parsed['command']; dir?: string; kit?: string; first?: string } {
  const { values, positionals } = parseArgs({ args: argv, options: optionsFor([]), allowPositionals: true, strict: false });
  const command = (COMMANDS as readonly string[]).includes(positionals[0] ?? '') ? (positionals[0] as Parsed['command']) : 'new';
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { command, dir: str(values.dir), kit: str(values.kit), first: command === 'new' ? positionals[0] : positionals[1] };
}

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

export function parseCommandLine(argv: string[], extra: ExtraFlag[] = []): Parsed {
  let parsed;
  const options = optionsFor(extra);
  allFlags = Object.keys(options);
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw parseError(error as Error);
  }
  const positionals = [...parsed.positionals];
  let command: Parsed['command'] = 'new';
  if ((COMMANDS as readonly string[]).includes(positionals[0] ?? '')) command = positionals.shift() as Parsed['command'];
  const kitGiven: Parsed['kitGiven'] = {};
  const given: Given = {};
  const switches: Record<string, boolean> = {};
  const paths: Parsed['paths'] = {};
  for (const [key, value] of Object.entries(parsed.values)) {
    const q = QUESTIONS.find((x) => x.flag === key);
    if (extra.some((e) => e.flag === key) && !q) kitGiven[key] = value as string | boolean;
    else if (q) given[q.key as keyof Answers] = value as string | string[] | boolean;
    else if (PATH_OPTIONS.some((o) => o.flag === key)) paths[key as keyof Parsed['paths']] = String(value);
    else switches[key] = value === true;
  }
  if (command !== 'update') for (const key of UPDATE_ONLY.filter((k) => k in paths)) throw new UserError(`--${key} only applies to update`, 'Leave it out, or run create-container-lambda update');
  if (command === 'kit' || command === 'check' || command === 'update') return { command, given, switches, paths, kitGiven, rest: positionals };
  if (positionals.length > 1) {
    throw new UserError(`Too many arguments: ${positionals.join(' ')}`, 'Pass one project folder; quote names with spaces');
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
    for (const key of Object.keys(paths).filter((k) => k === 'dir' || k === 'template')) throw new UserError(`--${key} only applies to add, check and update`, 'Pass the project folder as the first argument');
  }
  return { command, given, switches, paths, kitGiven, rest: positionals };
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

/** What --help says of the kit in use: what it allows and the flags of its prompts. */
export interface KitHelp {
  title: string;
  allowed: [string, string][];
  prompts: [string, string][];
}

/** An app template's line in --help: what it is, and the languages and events it comes in. */
function appLine(t: AppTemplate): string {
  if (t.id === HELLO) return t.description;
  return `${t.description} (${t.languages.join(', ')}; --event ${t.events.join('|')})`;
}

export function helpText(version: string, kit?: KitHelp): string {
  const rows: [string, string][] = [
    ...QUESTIONS.filter((q) => q.flag).map((q): [string, string] => [`--${q.flag} ${q.valueName}`.trim(), q.description]),
    ...(kit?.prompts ?? []),
    ...SWITCHES.map((s): [string, string] => [`${s.short ? `-${s.short}, ` : ''}--${s.flag}`, s.description]),
    ...PATH_OPTIONS.map((o): [string, string] => [`--${o.flag} ${o.valueName}`, o.description]),
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
    "  create-container-lambda check [--kit <kit>]            a project against its kit's rules",
    '  create-container-lambda update [--to <version>]        a project to the current templates, keeping your edits',
    '  create-container-lambda kit new|check|test <dir>       write, validate or test an org starter kit',
    '',
    'Options:',
    ...list(rows),
    '',
    ...(kit ? [`${kit.title}:`, ...list(kit.allowed), ''] : []),
    'Runtimes (--runtime):',
    ...list(RUNTIMES.map((r) => [r.id, runtimeLine(r)])),
    `  (deprecated, refused without --allow-deprecated: ${RETIRED.map((r) => r.id).join(', ')})`,
    '',
    'Events (--event):',
    ...list(EVENTS.map((e) => [e.id, e.description])),
    '',
    'App templates (--app-template):',
    ...list(APP_TEMPLATES.map((t) => [t.id, appLine(t)])),
    '',
    'Examples:',
    '  npx create-container-lambda my-app --yes --runtime nodejs22.x --event api',
    '  create-container-lambda add OrdersFunction --runtime python3.13 --event sqs --yes',
  ].join('\n');
}
