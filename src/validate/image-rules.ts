// What neither cfn-lint nor the SAM schema catches for container-image functions: Docker metadata
// present and pointing at real files, and no zip-only properties (none inherited from Globals either).
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { asObject, loadTemplate, type Json } from './template.ts';

const NOT_ON_IMAGES = ['Handler', 'Runtime', 'CodeUri', 'InlineCode', 'Layers', 'SnapStart', 'RuntimeManagementConfig'];

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();
const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile();

/** The Globals.Function properties a function inherits, minus those it lists in `IgnoreGlobals`. */
function inherited(globals: Json, ignore: unknown): Json {
  if (ignore === '*') return {};
  const skip = new Set(Array.isArray(ignore) ? ignore : [ignore]);
  return Object.fromEntries(Object.entries(globals).filter(([k]) => !skip.has(k)));
}

/** `sam build` needs Metadata.DockerContext (a folder, relative to the template) and Dockerfile (in it). */
function checkDockerMetadata(where: string, metadata: Json, templateDir: string, hasImageUri: boolean): string[] {
  const { Dockerfile: file, DockerContext: context } = metadata;
  if (file === undefined && context === undefined) {
    return hasImageUri ? [] : [`${where}: an image function needs Metadata.Dockerfile and Metadata.DockerContext (or ImageUri)`];
  }
  if (typeof context !== 'string') return [`${where}: Metadata.DockerContext must be a folder path`];
  const contextDir = resolve(templateDir, context);
  if (!isDir(contextDir)) return [`${where}: Metadata.DockerContext "${context}" is not a folder next to the template`];
  if (typeof file !== 'string') return [`${where}: Metadata.Dockerfile must be a file path`];
  if (!isFile(resolve(contextDir, file))) return [`${where}: Metadata.Dockerfile "${file}" not found in "${context}"`];
  return [];
}

/**
 * Rules for container-image functions that cfn-lint and the schema miss: Docker metadata present and
 * pointing at real files, and no zip-only properties (also none inherited from Globals.Function).
 */
export function checkImageRules(templatePath: string): string[] {
  const { data, problems } = loadTemplate(templatePath);
  if (problems.length > 0) return problems;
  const globals = asObject(asObject(data.Globals).Function);
  const out: string[] = [];
  for (const [name, value] of Object.entries(asObject(data.Resources))) {
    const resource = asObject(value);
    const serverless = resource.Type === 'AWS::Serverless::Function';
    if (!serverless && resource.Type !== 'AWS::Lambda::Function') continue;
    const where = `Resources.${name}`;
    const own = asObject(resource.Properties);
    const fromGlobals = serverless ? inherited(globals, resource.IgnoreGlobals) : {};
    const props = { ...fromGlobals, ...own };
    const metadata = asObject(resource.Metadata);
    if (props.PackageType !== 'Image') {
      if ('Dockerfile' in metadata || 'DockerContext' in metadata) {
        out.push(`${where}: has Metadata.Dockerfile/DockerContext but PackageType is not Image`);
      }
      continue;
    }
    for (const key of NOT_ON_IMAGES) {
      if (key in own) out.push(`${where}: ${key} is not allowed with PackageType Image`);
      else if (key in props) out.push(`${where}: ${key} is not allowed with PackageType Image (inherited from Globals.Function)`);
    }
    const code = asObject(own.Code); // AWS::Lambda::Function only
    for (const key of Object.keys(code)) if (key !== 'ImageUri') out.push(`${where}: Code.${key} is not allowed with PackageType Image`);
    const imageUri = serverless ? own.ImageUri : code.ImageUri;
    out.push(...checkDockerMetadata(where, metadata, dirname(resolve(templatePath)), imageUri !== undefined));
  }
  return out;
}
