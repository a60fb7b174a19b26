// Generator for one container-image function: the files of its folder (the Docker context) and its
// template fragment. `new` uses it for the first function; `add` for every later one.
import { posix } from 'node:path';
import { renderFolder, type Layer, type RenderedFile } from '../src/templates/layers.ts';
import { functionFragment, type Fragment } from '../src/sam/function-resources.ts';
import { findEvent, resourceBase } from '../src/registry/events.ts';
import { findApp, HELLO, type AppTemplate } from '../src/registry/apps.ts';
import { runtimeAndLanguage, templatesFolder, type Language } from '../src/registry/runtimes.ts';
import type { Answers } from '../src/options.ts';
import { baseName, kebabCase } from '../src/names.ts';
import { comparePaths } from '../src/plan.ts';
import { mapDockerfile } from '../src/kit/base-images.ts';
import type { KitSettings } from '../src/kit/settings.ts';
import { addBuildSecret, configureFiles, privateIndexFor, type PrivateIndexContext } from '../src/private-index/apply.ts';

/** What the function's generation needs beyond the answers: where it lives and what it inherits. */
export interface FunctionSetting {
  /** Service name for logs and metrics (the project name). */
  service: string;
  /** The timeout the function runs with, its own or the template's Globals. */
  effectiveTimeout: number;
  /** X-Ray tracing on the function itself (add); `new` turns it on in Globals. */
  tracing: boolean;
  /** Traced at all, by its own Tracing or by Globals': its role may write traces. */
  traced: boolean;
  /** The execution role's permissions boundary, from the project's Globals or its kit. */
  permissionsBoundary?: unknown;
  /** Set on the function itself (add) rather than inherited from Globals (new). */
  memory?: number;
  timeout?: number;
  /** add: the template's Globals set Architectures / zip-only properties (see ProjectFacts). */
  inheritArchitectures?: boolean;
  ignoreGlobals?: string[];
  /** The project's org kit: template context, image mapping, tags. */
  kit?: KitSettings;
  /**
   * add: what the kit sets that the template's Globals do not, put on the function itself (tags,
   * VpcConfig, Globals properties) with the parameters they need. `new` puts them in Globals.
   */
  onFunction?: { tags?: Record<string, string>; properties?: Record<string, unknown>; parameters?: Record<string, unknown> };
  /** In a VPC (the kit's or Globals' VpcConfig). */
  inVpc?: boolean;
}

type FunctionAnswers = Pick<Answers, 'functionId' | 'runtime' | 'language' | 'buildTool' | 'arch' | 'events' | 'powertools' | 'logRetention'> & Partial<Pick<Answers, 'appTemplate' | 'privateIndex'>>;

export interface FunctionPlan {
  /** Folder of the function relative to the template, e.g. functions/hello-function. */
  dir: string;
  files: RenderedFile[];
  /** Sample events, relative to the template's folder: events/api.json. */
  eventFiles: RenderedFile[];
  fragment: Fragment;
  context: FunctionContext;
}

export interface FunctionContext {
  id: string;
  dir: string;
  folder: string;
  route: string;
  handler: string;
  arch: string;
  /** Docker's name for the architecture: linux/amd64 or linux/arm64. */
  platform: string;
  dockerTag: string;
  events: { kind: string; file: string; fromFunction: string }[];
  eventKinds: string[];
  /** The runtime's id, label, base image and template values (pythonVersion, nodeMajor, ...). */
  runtime: Record<string, string>;
  language: Language;
  buildTool: string;
  /** The project's unit-test command (the build tool's, or the language's). */
  test: string;
  /** The command that installs dependencies and writes the lockfile, if the language has one. */
  installCommand: string;
  /** X-Ray traces it (its own Tracing or Globals'): Powertools' tracer is wired in only then. */
  tracing: boolean;
  powertools: boolean;
  service: string;
  /** True when the function handles several event kinds and dispatches on the event's shape. */
  dispatch: boolean;
  /** Where events that keep failing end up, one sentence per path (the registry's `failure`). */
  failures: string[];
  /** Days its log group keeps logs. */
  logRetention: number;
  /** Its app template (src/registry/apps.ts): `hello`, or a use case with files of its own. */
  app: string;
  /** The app template's one line ('' for hello). */
  appDescription: string;
  /** The private package index it installs from (--private-index), if any. */
  privateIndex?: PrivateIndexContext;
}

function failurePaths(functionId: string, route: string, kinds: string[]): string[] {
  const ctx = { functionId, base: resourceBase(functionId), route, timeout: 0, namePrefix: '' };
  return [...new Set(kinds.flatMap((k) => findEvent(k)?.failure?.(ctx) ?? []))];
}

export function functionDir(functionId: string): string {
  return `functions/${kebabCase(functionId)}`;
}

export async function planFunction(layers: Layer[], answers: FunctionAnswers, setting: FunctionSetting): Promise<FunctionPlan> {
  const { runtime, language } = runtimeAndLanguage(answers.runtime, answers.language);
  // Memory and timeout come from the setting only: `new` leaves them to Globals.
  const a = { ...answers, ...setting, memory: setting.memory, timeout: setting.timeout, runtime, language };
  const dir = functionDir(a.functionId);
  const route = `/${baseName(a.functionId)}`;
  const kinds = a.events.filter((k) => findEvent(k));
  const app = findApp(a.appTemplate) ?? findApp(HELLO)!;
  const appFolder = app.id === HELLO ? undefined : `apps/${app.id}`;
  // An app template's sample events are its own (a CSV upload), beside the built-in ones.
  const index = privateIndexFor(a.privateIndex, a.language.templates);
  const appEvents = new Set(appFolder ? layers.flatMap((l) => l.list(`${appFolder}/events`)) : []);
  const eventFile = (kind: string) =>
    appEvents.has(`${appFolder}/events/${kind}.json`) || appEvents.has(`${appFolder}/events/${kind}.json.hbs`) ? `events/${app.id}-${kind}.json` : `events/${kind}.json`;
  const context: FunctionContext = {
    id: a.functionId,
    dir,
    folder: posix.basename(dir),
    route,
    handler: a.language.handler,
    arch: a.arch,
    platform: a.arch === 'arm64' ? 'linux/arm64' : 'linux/amd64',
    dockerTag: `${a.runtime.id}-v1`,
    events: kinds.map((kind) => ({ kind, file: eventFile(kind), fromFunction: posix.relative(dir, eventFile(kind)) })),
    eventKinds: kinds,
    runtime: { id: a.runtime.id, label: a.runtime.label, baseImage: a.runtime.baseImage, ...a.runtime.vars },
    language: a.language,
    buildTool: a.buildTool,
    test: a.language.buildTools?.find((t) => t.id === a.buildTool)?.test ?? a.language.test,
    installCommand: a.language.install?.join(' ') ?? '',
    tracing: a.traced,
    powertools: a.powertools,
    service: a.service,
    dispatch: kinds.length > 1,
    failures: failurePaths(a.functionId, route, kinds),
    logRetention: a.logRetention,
    app: app.id,
    appDescription: app.id === HELLO ? '' : app.description,
    privateIndex: index?.context,
  };
  // With a build tool, the files common to every tool come from the language's folder and the
  // tool's own (build file, Dockerfile) from `<language>-<tool>`, which wins where both have a file.
  // An app template's files (its own, then its language's) win over the language's.
  const folders = [
    ...(a.buildTool ? [a.language.templates, templatesFolder(a.language, a.buildTool)] : [a.language.templates]),
    ...(appFolder ? [`${appFolder}/common`, `${appFolder}/${a.language.templates}`] : []),
  ];
  const rendered = new Map<string, RenderedFile>();
  for (const folder of folders) {
    const prefix = folder.startsWith('apps/') ? folder : `functions/${folder}`;
    for (const file of await renderFolder(layers, prefix, { fn: context, kit: a.kit?.context })) rendered.set(file.path, file);
  }
  // The kit's mirrors replace the images every Dockerfile builds from.
  const mapping = a.kit?.baseImages;
  const mapped = [...rendered.values()].map((f) => (mapping && /(^|\/)Dockerfile[^/]*$/.test(f.path) ? { ...f, content: mapDockerfile(f.content, mapping) } : f));
  // --private-index: the index named where the package manager reads it, its credentials a build secret.
  const files = (index ? configureFiles(mapped, index) : mapped).sort((x, y) => comparePaths(x.path, y.path));
  const eventFiles: RenderedFile[] = [];
  const samples = await renderFolder(layers, 'events', { fn: context, kit: a.kit?.context });
  const appSamples = appFolder ? await renderFolder(layers, `${appFolder}/events`, { fn: context, kit: a.kit?.context }) : [];
  for (const kind of kinds) {
    const own = appSamples.find((f) => f.path === `${kind}.json`);
    const sample = own ?? samples.find((f) => f.path === `${kind}.json`);
    if (sample) eventFiles.push({ ...sample, path: eventFile(kind) });
  }
  // The files its sample events point at (a CSV to upload); the samples of kinds not chosen stay out.
  for (const file of appSamples) if (!findEvent(file.path.replace(/\.json$/, ''))) eventFiles.push({ ...file, path: `events/${file.path}` });
  const fragment = functionFragment({
    id: a.functionId,
    context: `./${dir}`,
    runtime: a.runtime.id,
    arch: a.arch,
    events: kinds,
    route,
    effectiveTimeout: a.effectiveTimeout,
    namePrefix: a.service.toLowerCase(),
    memory: a.memory,
    timeout: a.timeout,
    tracing: a.tracing,
    traced: a.traced,
    logRetention: a.logRetention,
    permissionsBoundary: a.permissionsBoundary,
    inheritArchitectures: a.inheritArchitectures,
    ignoreGlobals: a.ignoreGlobals,
    tags: a.kit?.tags,
    functionTags: a.onFunction?.tags,
    extraProperties: a.onFunction?.properties,
    parameters: a.onFunction?.parameters,
    inVpc: a.inVpc,
    app: app.id === HELLO ? undefined : app,
    environment: a.powertools
      ? // Powertools accepts letters, digits and . _ # / in a metrics namespace.
        { POWERTOOLS_SERVICE_NAME: a.service, POWERTOOLS_METRICS_NAMESPACE: a.service.replace(/[^A-Za-z0-9._#/]/g, '_') }
      : undefined,
  });
  if (index) addBuildSecret(fragment, a.functionId, index);
  return { dir, files, eventFiles, fragment, context };
}
