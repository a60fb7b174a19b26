// The app-template table (--app-template): what a function is for, beyond the event that triggers
// it. `hello` is the language's own handler for any event; every other entry is a use case that is
// the reason to ship a container image (a web app, pandas, a native library, a model, a durable
// workflow), with its files under templates/apps/<id>/ (templates/apps/README.md) and what it adds to
// the template here: resources, grants, environment, function properties, sizing.
import type { EventContext } from './events.ts';
import type { Grant } from '../sam/execution-role.ts';
import { csvProcessor } from './apps/csv-processor.ts';
import { mlInference } from './apps/ml-inference.ts';
import { durableWorkflow } from './apps/durable-workflow.ts';
import { webApp } from './apps/web-app.ts';
import { imageResize } from './apps/image-resize.ts';

type Properties = Record<string, unknown>;

export interface AppTemplate {
  /** Value of --app-template; its files are under templates/apps/<id>/. */
  id: string;
  /** One line for prompts and --help. */
  description: string;
  /** Language template folders (runtimes/*.ts `Language.templates`) it has files for. */
  languages: string[];
  /** Why the other languages have none, for the error that refuses them. */
  otherLanguages?: string;
  /** The event kinds it serves, the first its default: --event outside them is refused. */
  events: string[];
  /** Memory (MB) and timeout (s) it needs, unless --memory / --timeout say otherwise. */
  memory?: number;
  timeout?: number;
  /** Resources the function needs beyond its events' (an output bucket), by logical ID. */
  resources?(ctx: EventContext): Record<string, { Type: string; Properties?: Properties; [key: string]: unknown }>;
  /** What its role must allow beyond its events' needs. */
  grants?(ctx: EventContext): Grant[];
  /** Environment variables of the function (values may be intrinsics). */
  environment?(ctx: EventContext): Record<string, unknown>;
  /** More properties of its events, by event kind (an S3 key filter), or a function of the context. */
  eventProperties?: Record<string, Properties | ((ctx: EventContext) => Properties)>;
  /**
   * Fields merged over its events' own outputs of the same name, by event kind: the description of
   * a URL whose method eventProperties changed (POST, not GET).
   */
  eventOutputs?: Record<string, (ctx: EventContext) => Record<string, { Description?: string; Value?: unknown }>>;
  /** Properties set on the function itself (DurableConfig, AutoPublishAlias). */
  functionProperties?(ctx: EventContext): Properties;
  outputs?(ctx: EventContext): Record<string, { Description: string; Value: unknown }>;
}

/** The language's own handler: what every runtime generates without --app-template. */
export const HELLO = 'hello';

const hello: AppTemplate = {
  id: HELLO,
  description: "The language's handler for each event kind, with its unit tests",
  languages: [],
  events: [],
};

export const APP_TEMPLATES: AppTemplate[] = [hello, webApp, csvProcessor, imageResize, mlInference, durableWorkflow];

export const findApp = (id: string | undefined): AppTemplate | undefined => APP_TEMPLATES.find((a) => a.id === (id ?? HELLO));

/** Whether `app` has files for a language folder (`hello` has every language's). */
export const appHasLanguage = (app: AppTemplate, templatesFolder: string) => app.id === HELLO || app.languages.includes(templatesFolder);
