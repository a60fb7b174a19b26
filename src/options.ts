// The questions `new` asks, each with its flag. Flag parsing, --help, validation, defaults and the
// interactive prompts all derive from this table (and the runtime and event tables it reads).
import { arch as machineArch } from 'node:os';
import { basename } from 'node:path';
import { EVENTS, findEvent } from './registry/events.ts';
import { DEFAULT_RUNTIME, RETIRED, RUNTIMES, findRuntime, support, type Arch } from './registry/runtimes.ts';
import { checkLogicalId, checkProjectName, pascalCase, projectNameFrom, unknownChoice } from './names.ts';
import { UserError } from './errors.ts';
import { CI_SYSTEMS } from './registry/ci.ts';
import { LOG_RETENTION_DAYS } from './sam/execution-role.ts';
import { APP_TEMPLATES, appHasLanguage, findApp } from './registry/apps.ts';
import { parsePrivateIndex } from './private-index/flag.ts';

export interface Answers {
  dir: string;
  name: string;
  allowDeprecated: boolean;
  functionId: string;
  runtime: string;
  language: string;
  /** Java's build tool; '' where the language has none. */
  buildTool: string;
  /** What the function is for (src/registry/apps.ts): `hello`, or a use case such as csv-processor. */
  appTemplate: string;
  /** The package index dependencies come from (src/registry/private-index.ts); '' for the public one. */
  privateIndex: string;
  arch: Arch;
  events: string[];
  memory: number;
  timeout: number;
  /** Days each function's log group keeps its logs. */
  logRetention: number;
  tracing: boolean;
  powertools: boolean;
  /** The CI system whose workflow the project gets (none: no workflow). */
  ci: string;
  /** How the ECR repositories are set up: scripts/ecr-setup.sh, or also ecr.yaml (a stack). */
  ecr: string;
}

export type Key = keyof Answers;

export interface Choice {
  value: string;
  name: string;
  description?: string;
  /** Other names users type for it (not accepted, but they lead to the right suggestion). */
  aliases?: string[];
}

export interface Question {
  key: Key;
  /** Long flag without dashes; undefined for the positional <dir>. */
  flag?: string;
  /** Placeholder in --help. */
  valueName: string;
  description: string;
  /** The question a prompt shows, when it reads better than the --help description. */
  prompt?: string;
  /** Asked when missing; an error without a terminal unless --yes. */
  required?: boolean;
  /** Several values (a repeatable flag, a checkbox prompt). */
  multiple?: boolean;
  /** An on/off flag, never prompted. */
  boolean?: boolean;
  /** Never prompted: the default unless the flag is given (--ecr). */
  noPrompt?: boolean;
  /** May stay unanswered (undefined), e.g. memory for `add`, which then inherits Globals. */
  optional?: boolean;
  /** A project-wide choice: `new` asks it, `add` refuses the flag. */
  projectOnly?: boolean;
  /** Rewrites what was given before anything is parsed (e.g. --runtime go -> provided.al2023 + go). */
  normalize?(given: Partial<Record<Key, string | string[] | boolean>>): void;
  /** Only relevant when this holds (e.g. --language only for runtimes with several languages). */
  when?(a: Partial<Answers>): boolean;
  choices?(a: Partial<Answers>): Choice[];
  default(a: Partial<Answers>): Answers[Key] | undefined;
  /** Turns the raw text (or texts) into the answer; throws a UserError on bad input. */
  parse(raw: string | string[] | boolean, a: Partial<Answers>): Answers[Key];
}

function integer(label: string, flag: string, min: number, max: number) {
  return (raw: string | string[] | boolean): number => {
    const text = String(raw);
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) {
      throw new UserError(`Invalid ${label} "${text}"`, `Pass --${flag} a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

function oneOf(what: string, flag: string, choices: (a: Partial<Answers>) => Choice[]) {
  return (raw: string | string[] | boolean, a: Partial<Answers>): string => {
    const all = choices(a);
    const value = String(raw);
    if (all.some((c) => c.value === value)) return value;
    const alias = all.find((c) => c.aliases?.includes(value.toLowerCase()));
    throw unknownChoice(what, value, all.map((c) => c.value), `--${flag}`, alias?.value);
  };
}

const runtimeChoices = (): Choice[] => RUNTIMES.map((r) => ({ value: r.id, name: `${r.id} (${r.label})` }));
const languageOf = (a: Partial<Answers>) => findRuntime(a.runtime ?? '')?.languages.find((l) => l.id === a.language);
const languageChoices = (a: Partial<Answers>): Choice[] =>
  (findRuntime(a.runtime ?? '')?.languages ?? []).map((l) => ({ value: l.id, name: l.label }));
const buildToolChoices = (a: Partial<Answers>): Choice[] =>
  (languageOf(a)?.buildTools ?? []).map((t) => ({ value: t.id, name: t.label }));

function parseRuntime(raw: string | string[] | boolean, a: Partial<Answers>): string {
  const id = String(raw);
  if (RETIRED.some((r) => r.id === id) || RUNTIMES.some((r) => r.id === id)) {
    const s = support(id);
    if (s.status === 'retired' && !a.allowDeprecated) {
      throw new UserError(s.message, `Use --runtime ${s.replacement}, or pass --allow-deprecated to generate ${id} anyway`);
    }
    return id;
  }
  return oneOf('runtime', 'runtime', runtimeChoices)(raw, a);
}
const archChoices = (): Choice[] => [
  { value: 'x86_64', name: 'x86_64', aliases: ['amd64', 'x64', 'x86-64', 'intel'] },
  { value: 'arm64', name: 'arm64 (Graviton)', aliases: ['aarch64', 'arm', 'graviton'] },
];
const ciChoices = (): Choice[] => CI_SYSTEMS.map((c) => ({ value: c.id, name: c.label }));
const ecrChoices = (): Choice[] => [
  { value: 'script', name: 'script', description: 'scripts/ecr-setup.sh creates and reconciles the repositories' },
  { value: 'cloudformation', name: 'cloudformation', description: 'also ecr.yaml, a CloudFormation stack of the same repositories', aliases: ['cfn', 'stack', 'yaml'] },
];
const eventChoices = (a: Partial<Answers> = {}): Choice[] => {
  const only = findApp(a.appTemplate)?.events ?? [];
  return EVENTS.filter((e) => only.length === 0 || only.includes(e.id)).map((e) => ({ value: e.id, name: e.id, description: e.description }));
};
/** The app templates with files for the chosen language. */
const appChoices = (a: Partial<Answers>): Choice[] => {
  const language = languageOf(a);
  return APP_TEMPLATES.filter((t) => !language || appHasLanguage(t, language.templates)).map((t) => ({ value: t.id, name: t.id, description: t.description }));
};

function parseAppTemplate(raw: string | string[] | boolean, a: Partial<Answers>): string {
  const id = String(raw);
  const app = findApp(id);
  if (!app) throw unknownChoice('app template', id, APP_TEMPLATES.map((t) => t.id), '--app-template');
  const language = languageOf(a);
  if (language && !appHasLanguage(app, language.templates)) {
    const runtimes = RUNTIMES.filter((r) => r.languages.some((l) => app.languages.includes(l.templates))).map((r) => r.id);
    throw new UserError(
      `App template ${id} has no ${language.label} version${app.otherLanguages ? ` (${app.otherLanguages})` : ''}`,
      `Pass --runtime with one of ${runtimes.join(', ')}, or leave out --app-template`,
    );
  }
  return id;
}

/** Memory and timeout: what the app template needs, else the tool's default. */
export const sizing = (a: Partial<Answers>, key: 'memory' | 'timeout'): number | undefined => findApp(a.appTemplate)?.[key];

/** The architecture images built on this machine run on without emulation (for the tests' builds). */
export function hostArch(): Arch {
  return machineArch() === 'arm64' ? 'arm64' : 'x86_64';
}
/** @deprecated the generator's default no longer depends on the machine: use hostArch. */
export const defaultArch = hostArch;

export const QUESTIONS: Question[] = [
  {
    key: 'dir',
    valueName: '<dir>',
    description: 'Folder to create the project in',
    prompt: 'Project folder',
    required: true,
    default: () => undefined,
    parse: (raw) => {
      const dir = String(raw).trim();
      if (!dir) throw new UserError('The project folder is empty', 'Pass a folder name, e.g. create-container-lambda my-app');
      return dir;
    },
  },
  {
    key: 'name',
    flag: 'name',
    valueName: '<name>',
    description: 'Project and stack name (default: from <dir>)',
    default: (a) => (a.dir ? projectNameFrom(basename(a.dir)) : undefined),
    parse: (raw) => checkProjectName(String(raw)),
    projectOnly: true,
  },
  {
    key: 'allowDeprecated',
    flag: 'allow-deprecated',
    valueName: '',
    description: 'Generate a runtime AWS has deprecated',
    boolean: true,
    default: () => false,
    parse: (raw) => raw === true,
  },
  {
    key: 'runtime',
    flag: 'runtime',
    valueName: '<id>',
    description: 'Lambda runtime',
    prompt: 'Lambda runtime',
    required: true,
    choices: runtimeChoices,
    default: () => DEFAULT_RUNTIME,
    normalize: (given) => {
      const alias = RUNTIMES.find((r) => r.aliases && String(given.runtime) in r.aliases);
      if (!alias) return;
      const language = alias.aliases![String(given.runtime)]!;
      if (given.language !== undefined && given.language !== language) {
        throw new UserError(`--runtime ${given.runtime} and --language ${given.language} disagree`, `Pass --runtime ${alias.id} --language ${given.language}`);
      }
      given.runtime = alias.id;
      given.language = language;
    },
    parse: parseRuntime,
  },
  {
    key: 'language',
    flag: 'language',
    valueName: '<lang>',
    description: 'Language, for runtimes with several',
    prompt: 'Language',
    when: (a) => languageChoices(a).length > 1,
    choices: languageChoices,
    default: (a) => languageChoices(a)[0]?.value,
    parse: oneOf('language', 'language', languageChoices),
  },
  {
    key: 'buildTool',
    flag: 'build-tool',
    valueName: '<tool>',
    description: 'Build tool, for languages with several (Java: maven, gradle)',
    prompt: 'Build tool',
    when: (a) => buildToolChoices(a).length > 0,
    choices: buildToolChoices,
    default: (a) => buildToolChoices(a)[0]?.value ?? '',
    parse: oneOf('build tool', 'build-tool', buildToolChoices),
  },
  {
    key: 'appTemplate',
    flag: 'app-template',
    valueName: '<name>',
    description: 'What the function is for (default hello; see App templates below)',
    prompt: 'App template',
    choices: appChoices,
    default: () => 'hello',
    parse: parseAppTemplate,
  },
  {
    key: 'privateIndex',
    flag: 'private-index',
    valueName: '<url>',
    description: 'Install Python / Node.js dependencies from this index; its credentials are a build secret (recorded; none: the public one)',
    noPrompt: true,
    default: () => '',
    parse: (raw, a) => parsePrivateIndex(String(raw), languageOf(a)),
  },
  {
    key: 'functionId',
    flag: 'function',
    valueName: '<LogicalId>',
    description: 'Logical ID of the first function (default HelloFunction, or after the app template: CsvProcessorFunction)',
    default: (a) => (a.appTemplate && a.appTemplate !== 'hello' ? `${pascalCase(a.appTemplate)}Function` : 'HelloFunction'),
    parse: (raw) => checkLogicalId(String(raw)),
  },
  {
    key: 'events',
    flag: 'event',
    valueName: '<kind>',
    description: 'What triggers the function (repeatable, or comma-separated)',
    prompt: 'What triggers the function? (space to pick, enter to confirm)',
    multiple: true,
    choices: eventChoices,
    default: (a) => [findApp(a.appTemplate)?.events[0] ?? 'api'],
    parse: (raw, a) => {
      // Repeated or comma-separated: --event sqs --event s3, or --event sqs,s3.
      const kinds = [...new Set([raw].flat().flatMap((r) => String(r).split(',')).map((k) => k.trim()).filter(Boolean))];
      const app = findApp(a.appTemplate);
      const outside = kinds.find((k) => app?.events.length && !app.events.includes(k) && findEvent(k));
      if (outside) throw new UserError(`App template ${app!.id} is not triggered by ${outside}`, `Pass --event ${app!.events.join(' or --event ')}, or leave out --event`);
      for (const kind of kinds) oneOf('event', 'event', () => eventChoices())(kind, a);
      if (kinds.length === 0) throw new UserError('No event chosen', 'Pass --event, e.g. --event api');
      return kinds.filter((k) => findEvent(k));
    },
  },
  {
    key: 'arch',
    flag: 'arch',
    valueName: '<arch>',
    description: 'Instruction set (default x86_64, as sam init; arm64 for Graviton)',
    prompt: 'Instruction set',
    choices: archChoices,
    // The same template on every machine: x86_64 unless a flag (or an org kit) says otherwise.
    default: () => 'x86_64',
    parse: oneOf('architecture', 'arch', archChoices) as Question['parse'],
  },
  {
    key: 'memory',
    flag: 'memory',
    valueName: '<MB>',
    description: 'Memory in MB, 128 to 10240 (default 512, or what the app template needs)',
    default: (a) => sizing(a, 'memory') ?? 512,
    parse: integer('memory size', 'memory', 128, 10240),
  },
  {
    key: 'timeout',
    flag: 'timeout',
    valueName: '<s>',
    description: 'Timeout in seconds, 1 to 900 (default 10, or what the app template needs)',
    default: (a) => sizing(a, 'timeout') ?? 10,
    parse: integer('timeout', 'timeout', 1, 900),
  },
  {
    key: 'logRetention',
    flag: 'log-retention',
    valueName: '<days>',
    description: `Days each function's log group keeps logs (${LOG_RETENTION_DAYS.slice(0, 8).join(', ')}, ... 3653)`,
    default: () => 30,
    parse: (raw) => {
      const days = Number(raw);
      if (!LOG_RETENTION_DAYS.includes(days)) {
        const near = LOG_RETENTION_DAYS.reduce((best, d) => (Math.abs(d - days) < Math.abs(best - days) ? d : best));
        throw new UserError(`CloudWatch Logs cannot keep logs for "${String(raw)}" days`, `Pass --log-retention one of ${LOG_RETENTION_DAYS.join(', ')}${Number.isFinite(days) ? ` (nearest: ${near})` : ''}`);
      }
      return days;
    },
  },
  {
    key: 'tracing',
    flag: 'tracing',
    valueName: '',
    description: 'Turn on AWS X-Ray active tracing',
    boolean: true,
    default: () => false,
    parse: (raw) => raw === true,
  },
  {
    key: 'powertools',
    flag: 'powertools',
    valueName: '',
    description: 'Wire in Powertools for AWS Lambda (logger, tracer, metrics)',
    boolean: true,
    default: () => false,
    parse: (raw, a) => {
      if (raw === true && a.appTemplate && a.appTemplate !== 'hello') {
        throw new UserError(`--powertools wires Powertools into the hello handlers; app template ${a.appTemplate} has handlers of its own`, 'Leave out --powertools, or add Powertools to the handler yourself');
      }
      if (raw === true && !languageOf(a)?.powertools) {
        throw new UserError(`Powertools for AWS Lambda has no ${languageOf(a)?.label ?? a.language} version`, 'Leave out --powertools for this runtime');
      }
      return raw === true;
    },
  },
  {
    key: 'ci',
    flag: 'ci',
    valueName: `<${CI_SYSTEMS.map((c) => c.id).join('|')}>`,
    description: 'CI/CD workflow to generate (github: test, build once, deploy each stage via OIDC)',
    prompt: 'CI/CD workflow',
    choices: ciChoices,
    default: () => 'none',
    parse: oneOf('CI system', 'ci', ciChoices),
    projectOnly: true,
  },
  {
    key: 'ecr',
    flag: 'ecr',
    valueName: '<how>',
    description: 'ECR repositories: script (scripts/ecr-setup.sh) or cloudformation (also ecr.yaml)',
    choices: ecrChoices,
    noPrompt: true,
    default: () => 'script',
    parse: oneOf('ECR setup', 'ecr', ecrChoices),
    projectOnly: true,
  },
];
