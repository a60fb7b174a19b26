// What an existing project already uses, as defaults for `add`: the answers this tool recorded when
// it generated the project, or else what its template and Dockerfiles say.
import { disk, type ProjectFiles } from './files.ts';
import { basename, dirname, join } from 'node:path';
import type { Document } from 'yaml';
import type { Answers } from '../options.ts';
import { RUNTIMES } from '../registry/runtimes.ts';
import { FIRST_FUNCTIONS } from '../sam/read-template.ts';
import { CONFIG_FILE } from './config.ts';

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

export interface ProjectFacts {
  defaults: Partial<Answers>;
  /** Timeout functions inherit from Globals (Lambda's default is 3 seconds). */
  globalTimeout: number;
  /** Lowercase prefix for names such as S3 buckets. */
  name: string;
  /** Architecture set in Globals: SAM appends a function's own list to it, so the function sets none. */
  globalArch?: string;
  /** Zip-only properties in Globals.Function that an image function must not inherit (IgnoreGlobals). */
  zipGlobals: string[];
  /** Globals trace every function: a new function's role must allow writing traces. */
  globalTracing: boolean;
  /**
   * Globals' permissions boundary, which SAM puts only on the roles it makes: the new function's own
   * role gets it too. The template's node, written back as it is (an ARN or an intrinsic).
   */
  permissionsBoundary?: unknown;
  /** Properties Globals.Function sets (a kit's globals fill in the others on the function). */
  globalKeys: string[];
  /** Globals.Function.Tags, when a map of strings. */
  globalTags: Record<string, string>;
}

/** Function properties that only zip functions may carry. */
const ZIP_ONLY = ['Runtime', 'Handler', 'CodeUri', 'InlineCode', 'Layers', 'SnapStart', 'RuntimeManagementConfig'];

/** The runtime whose base image a Dockerfile builds on. */
function runtimeOfDockerfile(fs: ProjectFiles, file: string): string | undefined {
  if (!fs.exists(file)) return undefined;
  const text = fs.read(file);
  return RUNTIMES.find((r) => text.includes(`${r.baseImage}\n`) || text.includes(`${r.baseImage} `))?.id;
}

export function projectFacts(templatePath: string, doc: Document, fs: ProjectFiles = disk): ProjectFacts {
  const dir = dirname(templatePath);
  // Only the parts read here are converted: a large template's other resources are not.
  const part = (path: unknown[]) => asObject((doc.getIn(path, true) as { toJSON?(): unknown } | undefined)?.toJSON?.());
  const globals = asObject(part(['Globals']).Function);
  const defaults: Partial<Answers> = {};
  let name = basename(dir);

  const recorded = join(dir, CONFIG_FILE);
  if (fs.exists(recorded)) {
    const answers = asObject(asObject(JSON.parse(fs.read(recorded))).answers);
    for (const key of ['runtime', 'language', 'buildTool', 'arch', 'privateIndex'] as const) {
      if (typeof answers[key] === 'string') (defaults as Json)[key] = answers[key];
    }
    if (typeof answers.name === 'string') name = answers.name;
  } else {
    const resources = doc.get('Resources', true) as { items?: { key: unknown }[] } | undefined;
    let looked = 0;
    for (const item of resources?.items ?? []) {
      // The first functions that tell are enough; a large template is not read to its end for this.
      if ((defaults.runtime && defaults.arch) || looked >= FIRST_FUNCTIONS) break;
      const id = (item.key as { value?: unknown })?.value ?? item.key;
      if (doc.getIn(['Resources', id, 'Type']) !== 'AWS::Serverless::Function') continue;
      looked += 1;
      const resource = part(['Resources', id]);
      const props = asObject(resource.Properties);
      const meta = asObject(resource.Metadata);
      const runtime =
        props.PackageType === 'Image' && typeof meta.DockerContext === 'string'
          ? runtimeOfDockerfile(fs, join(dir, meta.DockerContext, typeof meta.Dockerfile === 'string' ? meta.Dockerfile : 'Dockerfile'))
          : RUNTIMES.find((r) => r.id === (props.Runtime ?? globals.Runtime))?.id;
      defaults.runtime ??= runtime;
      const arch = [props.Architectures ?? globals.Architectures].flat()[0];
      if (arch === 'arm64' || arch === 'x86_64') defaults.arch ??= arch;
    }
  }
  // Scalars are strings here (the template is read with the failsafe schema).
  const timeout = Number(globals.Timeout) > 0 ? Number(globals.Timeout) : 3;
  const globalArch = [globals.Architectures].flat()[0];
  if (globalArch === 'arm64' || globalArch === 'x86_64') defaults.arch = globalArch;
  return {
    defaults,
    globalTimeout: timeout,
    globalArch: typeof globalArch === 'string' ? globalArch : undefined,
    zipGlobals: ZIP_ONLY.filter((p) => p in globals),
    globalTracing: globals.Tracing === 'Active',
    globalKeys: Object.keys(globals),
    globalTags: Object.fromEntries(Object.entries(asObject(globals.Tags)).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
    permissionsBoundary: (doc.getIn(['Globals', 'Function', 'PermissionsBoundary'], true) as { clone?(): unknown } | undefined)?.clone?.(),
    name: name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'app',
  };
}
