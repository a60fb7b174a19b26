// The runtime table. Prompts, flag validation, --help, deprecation checks and template choice all
// derive from it: a new runtime version is one entry in its family's file under runtimes/, a new
// language one entry and one templates folder.
import { dotnet } from './runtimes/dotnet.ts';
import { java } from './runtimes/java.ts';
import { nodejs } from './runtimes/nodejs.ts';
import { provided } from './runtimes/provided.ts';
import { python } from './runtimes/python.ts';
import { ruby } from './runtimes/ruby.ts';

export type Arch = 'x86_64' | 'arm64';

export interface Choice {
  id: string;
  label: string;
  /** The unit-test command with this build tool, where it differs from the language's. */
  test?: string;
  /** A file only this build tool's function folders have (CI tells functions apart by it). */
  marker?: string;
}

export interface Language {
  /** Value of --language. */
  id: string;
  label: string;
  /** Folder under templates/functions/ with this language's files; with build tools, `<templates>-<tool>`. */
  templates: string;
  /** Values of --build-tool, the first the default (Java: maven, gradle). */
  buildTools?: Choice[];
  /** The handler as the image's CMD names it. */
  handler: string;
  /** Installs dependencies after generation, so the lockfile exists; run in the function folder. */
  install?: string[];
  /** The lockfile that install writes (the Dockerfile copies it; absent with --no-install). */
  lockfile?: string;
  /** The project's own unit-test command, run in the function folder. */
  test: string;
  /** Commands a developer runs once before the tests, shown in the project's README. */
  testSetup?: string[];
  /** Powertools for AWS Lambda exists for this language (--powertools). */
  powertools?: boolean;
  /** The toolchain CI sets up for the unit tests (an id of src/registry/ci/github.ts's TOOLCHAINS). */
  toolchain: string;
  /** A file only this language's function folders have (CI tells functions apart by it with their base image). */
  marker: string;
}

export interface Runtime {
  /** Lambda runtime identifier, the value of --runtime. */
  id: string;
  label: string;
  /** Final-stage base image: the one place its tag is written. */
  baseImage: string;
  /** Other --runtime values that mean this runtime with a given language: `go` -> provided.al2023 + go. */
  aliases?: Record<string, string>;
  /** The date AWS ends support (ISO, from AWS's runtime deprecation schedule). */
  deprecation: string;
  /** Language variants; the first is the default. */
  languages: Language[];
  /** Values the templates use (interpreter version and the like). */
  vars: Record<string, string>;
}

/** A runtime no longer offered: refused without --allow-deprecated, with the one to move to. */
export interface RetiredRuntime {
  id: string;
  /** The runtime whose templates generate it with --allow-deprecated. */
  like: string;
  baseImage: string;
  deprecation: string;
  /** Why, when not just the date: e.g. its operating system reached end of life. */
  reason?: string;
  replacement: string;
  vars: Record<string, string>;
}

const families = [python, nodejs, java, dotnet, ruby, provided];

export const RUNTIMES: Runtime[] = families.flatMap((f) => f.runtimes);
/** What --yes chooses. */
export const DEFAULT_RUNTIME = 'python3.13';
export const RETIRED: RetiredRuntime[] = families.flatMap((f) => f.retired);

export function findRuntime(id: string): Runtime | undefined {
  return RUNTIMES.find((r) => r.id === id) ?? retiredAsRuntime(id);
}

/** A retired runtime generated like its successor family (only reached with --allow-deprecated). */
function retiredAsRuntime(id: string): Runtime | undefined {
  const retired = RETIRED.find((r) => r.id === id);
  const like = retired && RUNTIMES.find((r) => r.id === retired.like);
  if (!retired || !like) return undefined;
  return { ...like, id: retired.id, label: like.label.replace(/[\d.]+$/, retired.vars.version ?? ''), baseImage: retired.baseImage, deprecation: retired.deprecation, aliases: undefined, vars: { ...like.vars, ...retired.vars } };
}

/** The runtime and language the answers name (the runtime's first language when none is named). */
export function runtimeAndLanguage(runtimeId: string, languageId?: string): { runtime: Runtime; language: Language } {
  const runtime = findRuntime(runtimeId);
  const language = runtime?.languages.find((l) => l.id === languageId) ?? runtime?.languages[0];
  if (!runtime || !language) throw new Error(`No runtime ${runtimeId}/${languageId} in the registry`);
  return { runtime, language };
}

export function templatesFolder(language: Language, buildTool?: string): string {
  return buildTool ? `${language.templates}-${buildTool}` : language.templates;
}

/** Today as an ISO date; SOURCE_DATE_EPOCH (seconds) fixes it for reproducible output. */
export function today(): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  return new Date(epoch ? Number(epoch) * 1000 : Date.now()).toISOString().slice(0, 10);
}

function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

export type Support =
  | { status: 'supported' }
  | { status: 'ending'; message: string }
  | { status: 'retired'; message: string; replacement: string };

/** Whether a runtime may be generated on `date`: supported, ending within 6 months, or retired. */
export function support(id: string, date = today()): Support {
  const retired = RETIRED.find((r) => r.id === id);
  const runtime = RUNTIMES.find((r) => r.id === id);
  if (retired || (runtime && date >= runtime.deprecation)) {
    const deprecation = retired?.deprecation ?? runtime!.deprecation;
    const replacement = retired?.replacement ?? newest(id);
    const why = retired?.reason ?? (deprecation <= date ? `AWS deprecated it on ${deprecation}` : `AWS deprecates it on ${deprecation}`);
    return { status: 'retired', replacement, message: `${id} is no longer offered: ${why}` };
  }
  if (runtime && date >= addMonths(runtime.deprecation, -6)) {
    return { status: 'ending', message: `${id} reaches end of support on ${runtime.deprecation}: plan a move to ${newest(id)}` };
  }
  return { status: 'supported' };
}

/** The longest-supported runtime of the same family: python3.10 -> python3.14. */
function newest(id: string): string {
  const family = id.replace(/[\d.]+(x|al2\d*)?$/, '');
  const same = RUNTIMES.filter((r) => r.id.startsWith(family) && r.id !== id);
  const best = same.reduce<Runtime | undefined>((a, r) => (!a || r.deprecation > a.deprecation ? r : a), undefined);
  return best?.id ?? DEFAULT_RUNTIME;
}

export interface Family {
  runtimes: Runtime[];
  retired: RetiredRuntime[];
}
