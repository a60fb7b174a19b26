// Validation helpers for generated projects. Four independent checks:
//   cfn-lint          CloudFormation values and references (after the SAM transform)
//   SAM JSON schema   SAM structure: resource/event types, unknown or missing properties
//   image rules       what neither of those catches for container-image functions
//   shellcheck        the project's scripts/*.sh
// External tools run ONCE per batch (cfn-lint costs ~1.7 s per process), so prefer
// `validateProject(dirs)` over calling it per project.
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { cfnTags, toLongForm } from '../../src/sam/cfn-tags.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

type Json = { [key: string]: unknown };
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asObject = (v: unknown): Json => (isObject(v) ? v : {});

// ---------------------------------------------------------------- external tools

const INSTALL_HINTS: Record<string, string> = {
  'cfn-lint': 'pip install cfn-lint',
  shellcheck: 'apt-get install shellcheck (macOS: brew install shellcheck)',
};
const toolCache = new Map<string, boolean>();

const inCI = (): boolean => !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

function onPath(name: string): boolean {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD').split(';') : [''];
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const ext of exts) {
      try {
        accessSync(join(dir, name + ext), constants.X_OK);
        return true;
      } catch {
        // not in this folder
      }
    }
  }
  return false;
}

/**
 * Whether `name` is on PATH. When it is missing: in CI (env `CI` set) throws an error naming the
 * tool and how to install it; elsewhere prints one warning line to stderr and returns false, and the
 * caller skips that check. Looks at PATH only (running `cfn-lint --version` alone costs 1.5 s).
 */
export async function requireTool(name: string): Promise<boolean> {
  const cached = toolCache.get(name);
  if (cached !== undefined) return cached;
  const found = onPath(name);
  if (!found) {
    const hint = INSTALL_HINTS[name] ?? `install ${name}`;
    if (inCI()) throw new Error(`${name} is required in CI but is not on PATH; install it: ${hint}`);
    process.stderr.write(`warning: ${name} not found, skipping its checks (install: ${hint})\n`);
  }
  toolCache.set(name, found);
  return found;
}

interface RunResult { code: number; stdout: string; stderr: string }

/** Runs a command; resolves with its exit code, rejects only when it could not run at all. */
function run(cmd: string, args: string[]): Promise<RunResult> {
  return new Promise((done, fail) => {
    execFile(cmd, args, { maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        fail(new Error(`${cmd} could not run (${error.code ?? error.signal}): ${stderr || error.message}`));
      } else {
        done({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      }
    });
  });
}

/** Results keyed by the caller's spellings; tools get absolute paths, mapped back here. */
function batch(paths: string[]): { results: Map<string, string[]>; byAbs: Map<string, string[]> } {
  const results = new Map(paths.map((p) => [p, [] as string[]]));
  const byAbs = new Map<string, string[]>();
  for (const p of results.keys()) {
    if (!existsSync(p)) throw new Error(`no such file: ${p}`);
    byAbs.set(resolve(p), [...(byAbs.get(resolve(p)) ?? []), p]);
  }
  return { results, byAbs };
}

// ---------------------------------------------------------------- cfn-lint

// One line of `--format parseable` after the file name: line:col:endLine:endCol:RULE:message
const LINT_LINE = /^(\d+):(\d+):\d+:\d+:([EWI]\d+):(.*)$/;

/**
 * Lints all templates in ONE cfn-lint run. Findings per path as `line:col RULE message`; errors,
 * warnings and informational findings all count. Throws when cfn-lint crashes or prints output it
 * cannot attribute to a template. Skips (all empty) when cfn-lint is missing outside CI.
 */
export async function lintTemplates(paths: string[]): Promise<Map<string, string[]>> {
  const { results, byAbs } = batch(paths);
  if (byAbs.size === 0 || !(await requireTool('cfn-lint'))) return results;
  // cfn-lint expands its arguments with glob.glob, so a literal `*?[` would be misread.
  const globby = [...byAbs.keys()].find((p) => /[*?[]/.test(p));
  if (globby) throw new Error(`cfn-lint would read this path as a glob: ${globby}`);

  const args = ['--format', 'parseable', '--non-zero-exit-code', 'informational', '--', ...byAbs.keys()];
  const { code, stdout, stderr } = await run('cfn-lint', args);
  // Longest path first, so /a/t.yaml never claims the lines of /a/t.yaml.d/x.yaml.
  const prefixes = [...byAbs.keys()].sort((a, b) => b.length - a.length);
  let last: { owners: string[]; index: number } | undefined;
  let count = 0;
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const file = prefixes.find((p) => line.startsWith(`${p}:`));
    const m = file === undefined ? null : LINT_LINE.exec(line.slice(file.length + 1));
    if (file !== undefined && m) {
      const owners = byAbs.get(file) ?? [];
      const finding = `${m[1]}:${m[2]} ${m[3]} ${m[4]}`;
      for (const owner of owners) results.get(owner)?.push(finding);
      last = { owners, index: (results.get(owners[0] ?? '')?.length ?? 1) - 1 };
      count++;
    } else if (last) {
      // A message that spans lines: glue the continuation onto the previous finding.
      for (const owner of last.owners) {
        const list = results.get(owner);
        if (list) list[last.index] += ` ${line.trim()}`;
      }
    } else {
      throw new Error(`cfn-lint printed a line for no given template (exit ${code}): ${line}\n${stderr}`);
    }
  }
  // Exit code bits: 2 error, 4 warning, 8 informational; anything else means cfn-lint itself failed.
  if ((code & ~14) !== 0 || (code !== 0 && count === 0)) {
    throw new Error(`cfn-lint failed (exit ${code}): ${stderr.trim() || stdout.trim()}`);
  }
  return results;
}

// ---------------------------------------------------------------- shellcheck

interface ShellcheckComment { file: string; line: number; column: number; level: string; code: number; message: string }

/** Checks all scripts in ONE shellcheck run. Findings per path as `line:col SCcode level: message`. */
export async function shellcheck(paths: string[]): Promise<Map<string, string[]>> {
  const { results, byAbs } = batch(paths);
  if (byAbs.size === 0 || !(await requireTool('shellcheck'))) return results;
  const args = ['--format=json1', '--external-sources', '--source-path=SCRIPTDIR', '--', ...byAbs.keys()];
  const { code, stdout, stderr } = await run('shellcheck', args);
  let comments: ShellcheckComment[];
  try {
    comments = (JSON.parse(stdout) as { comments: ShellcheckComment[] }).comments;
  } catch {
    throw new Error(`shellcheck output is not JSON (exit ${code}): ${stderr.trim() || stdout.slice(0, 500)}`);
  }
  if (code > 1 || !Array.isArray(comments)) throw new Error(`shellcheck failed (exit ${code}): ${stderr.trim()}`);
  for (const c of comments) {
    const finding = `${c.line}:${c.column} SC${c.code} ${c.level}: ${c.message}`;
    // A finding in a sourced file is reported under that file's own path.
    const owners = byAbs.get(resolve(c.file)) ?? [c.file];
    for (const owner of owners) results.set(owner, [...(results.get(owner) ?? []), finding]);
  }
  return results;
}

// ---------------------------------------------------------------- templates

/** Parses a YAML or JSON template into its long (JSON) form; YAML errors and warnings are problems. */
function loadTemplate(path: string): { data: Json; problems: string[] } {
  const doc = parseDocument(readFileSync(path, 'utf8'), { customTags: cfnTags });
  const problems = [...doc.errors, ...doc.warnings].map((e) => `YAML: ${(e.message.split('\n')[0] ?? '').replace(/:$/, '')}`);
  return { data: problems.length > 0 ? {} : asObject(toLongForm(doc)), problems };
}

// ---------------------------------------------------------------- SAM JSON schema

interface SchemaError { instancePath: string; keyword: string; message?: string; params: Json }
type Check = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };
interface AjvLike { addSchema(schema: object, key: string): unknown; getSchema(ref: string): Check | undefined }
type AjvClass = new (options: { strict: boolean; allErrors: boolean }) => AjvLike;

const KEY = 'sam';
let sam: { path: string; schema: Json; ajv: AjvLike; checks: Map<string, Check> } | undefined;

/** The schema and an ajv holding it, loaded once; validators are compiled lazily, once per pointer. */
function loadSam(): NonNullable<typeof sam> {
  const path = resolve(process.env.SAM_SCHEMA ?? join(repoRoot, '../shared/schemas/sam.schema.json'));
  if (sam?.path === path) return sam;
  let Ajv: AjvClass;
  try {
    // Loaded on first use so that a missing schema toolchain fails only the schema check.
    Ajv = createRequire(import.meta.url)('ajv-draft-04') as AjvClass;
  } catch (e) {
    const why = String((e as Error).message).split('\n')[0];
    throw new Error(`cannot load ajv-draft-04 (${why}); it needs its peer dependency: add "ajv": "^8" to devDependencies`);
  }
  if (!existsSync(path)) throw new Error(`SAM schema not found at ${path} (set SAM_SCHEMA to its path)`);
  const schema = asObject(JSON.parse(readFileSync(path, 'utf8')));
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema(schema, KEY);
  sam = { path, schema, ajv, checks: new Map() };
  return sam;
}

function checkAt(ptr: string): Check {
  const s = loadSam();
  let check = s.checks.get(ptr);
  if (!check) {
    check = s.ajv.getSchema(ptr === '' ? KEY : `${KEY}#${ptr}`);
    if (!check) throw new Error(`SAM schema has nothing at #${ptr}`);
    s.checks.set(ptr, check);
  }
  return check;
}

const escapePtr = (key: string): string => encodeURIComponent(key.replace(/~/g, '~0').replace(/\//g, '~1'));

function nodeAt(ptr: string): Json {
  let node: unknown = loadSam().schema;
  for (const part of ptr.split('/').slice(1)) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    node = Array.isArray(node) ? node[Number(key)] : asObject(node)[key];
  }
  return asObject(node);
}

/** Follows `$ref`s from a pointer to the pointer of the schema that does the work. */
function deref(ptr: string): string {
  for (let ref = nodeAt(ptr).$ref; typeof ref === 'string'; ref = nodeAt(ptr).$ref) ptr = ref.replace(/^#/, '');
  return ptr;
}

/** Does a union branch accept this `Type`? 'enum' for SAM types, 'pattern' for any CloudFormation type. */
function typeMatch(branchPtr: string, type: string): 'enum' | 'pattern' | undefined {
  const typeSchema = nodeAt(deref(`${branchPtr}/properties/Type`));
  if (Array.isArray(typeSchema.enum)) return typeSchema.enum.includes(type) ? 'enum' : undefined;
  if (typeof typeSchema.pattern === 'string') return new RegExp(typeSchema.pattern, 'u').test(type) ? 'pattern' : undefined;
  return undefined;
}

/**
 * One message per defect. Walks the value and the schema together, descending only where ajv says
 * the value fails; a union (`anyOf`) of objects is narrowed to the branch its `Type` names, so a bad
 * event property is reported once rather than once per event type.
 */
function explain(at: string, value: unknown, path: string): string[] {
  const ptr = deref(at);
  const check = checkAt(ptr);
  if (check(value)) return [];
  const errors = check.errors ?? [];
  const node = nodeAt(ptr);
  const where = path || '(template)';
  const out: string[] = [];
  if (Array.isArray(node.allOf)) node.allOf.forEach((_, i) => out.push(...explain(`${ptr}/allOf/${i}`, value, path)));
  if (Array.isArray(node.anyOf) && isObject(value)) {
    const branches = node.anyOf.map((_, i) => deref(`${ptr}/anyOf/${i}`));
    const typed = branches.filter((b) => isObject(nodeAt(b).properties) && 'Type' in asObject(nodeAt(b).properties));
    if (typed.length === branches.length && 'Type' in value) {
      const type = value.Type;
      const how = (b: string): string | undefined => (typeof type === 'string' ? typeMatch(b, type) : undefined);
      const pick = typed.find((b) => how(b) === 'enum') ?? typed.find((b) => how(b) === 'pattern');
      if (pick) return explain(pick, value, path);
      const known = typed.flatMap((b) => nodeAt(deref(`${b}/properties/Type`)).enum ?? []) as string[];
      return [`${where}.Type: ${JSON.stringify(type)} is not one of ${known.join(', ')}`];
    }
    if (typed.length === branches.length) return [`${where}: missing required property "Type"`];
  }
  if (isObject(value)) {
    const props = asObject(node.properties);
    for (const [key, child] of Object.entries(value)) {
      const inner = path ? `${path}.${key}` : key;
      if (Object.hasOwn(props, key)) out.push(...explain(`${ptr}/properties/${escapePtr(key)}`, child, inner));
      else if (node.additionalProperties === false) out.push(`${where}: unknown property "${key}"`);
      else if (isObject(node.additionalProperties)) out.push(...explain(`${ptr}/additionalProperties`, child, inner));
    }
    const required = Array.isArray(node.required) ? (node.required as string[]) : [];
    for (const key of required) if (!(key in value)) out.push(`${where}: missing required property "${key}"`);
  }
  if (Array.isArray(value) && isObject(node.items)) {
    value.forEach((item, i) => out.push(...explain(`${ptr}/items`, item, `${path}[${i}]`)));
  }
  return [...new Set(out.length > 0 ? out : leafMessages(errors, where))];
}

/** ajv's own words, for a value that fails a schema with nothing left to descend into. */
function leafMessages(errors: SchemaError[], where: string): string[] {
  const messages = new Map<string, string[]>();
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'allOf') continue;
    const at = where + e.instancePath.split('/').slice(1).map((k) => `.${k}`).join('');
    const allowed = Array.isArray(e.params.allowedValues) ? `: ${e.params.allowedValues.join(', ')}` : '';
    messages.set(at, [...(messages.get(at) ?? []), `${e.message ?? e.keyword}${allowed}`]);
  }
  // Several messages for one value come from the alternatives of an anyOf.
  const out = [...messages].map(([at, list]) => `${at}: ${[...new Set(list)].join(' or ')}`);
  return out.length > 0 ? out : [`${where}: does not match the SAM schema`];
}

/**
 * Validates a template against the official SAM schema (`SAM_SCHEMA` overrides its path).
 * Returns one message per defect, such as `Resources.Fn.Properties.Events.Hello.Properties:
 * unknown property "Foo"`; [] when valid.
 */
export function validateSamSchema(templatePath: string): string[] {
  const { data, problems } = loadTemplate(templatePath);
  if (problems.length > 0) return problems;
  return explain('', data, '');
}

// ---------------------------------------------------------------- container-image rules

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

// ---------------------------------------------------------------- whole projects

/**
 * Validates generated projects (each with `template.yaml` and optional `scripts/*.sh`), with ONE
 * cfn-lint and ONE shellcheck run for the whole batch. Problems per dir, each prefixed by its file:
 * `template.yaml:28:5 E6101 ...`, `template.yaml: [sam-schema] ...`, `template.yaml: [image] ...`,
 * `scripts/build.sh:2:6 SC2086 ...`. An empty list means the project is clean.
 */
export async function validateProject(dirs: string[]): Promise<Map<string, string[]>> {
  const projects = [...new Set(dirs)].map((dir) => {
    const scriptDir = join(dir, 'scripts');
    const scripts = isDir(scriptDir) ? readdirSync(scriptDir).filter((f) => f.endsWith('.sh')).sort() : [];
    return { dir, template: join(dir, 'template.yaml'), scripts };
  });
  const withTemplate = projects.filter((p) => isFile(p.template));
  const [lint, shell] = await Promise.all([
    lintTemplates(withTemplate.map((p) => p.template)),
    shellcheck(projects.flatMap((p) => p.scripts.map((s) => join(p.dir, 'scripts', s)))),
  ]);
  const results = new Map<string, string[]>();
  for (const p of projects) {
    const out: string[] = [];
    if (!isFile(p.template)) out.push('template.yaml: missing');
    else {
      for (const f of lint.get(p.template) ?? []) out.push(`template.yaml:${f}`);
      for (const m of validateSamSchema(p.template)) out.push(`template.yaml: [sam-schema] ${m}`);
      for (const m of checkImageRules(p.template)) out.push(`template.yaml: [image] ${m}`);
    }
    for (const s of p.scripts) {
      const path = join(p.dir, 'scripts', s);
      // A file without `#!` is a library the scripts source (project.sh): its variables are theirs to use.
      const library = !readFileSync(path, 'utf8').startsWith('#!');
      for (const f of shell.get(path) ?? []) if (!(library && / SC2034 /.test(f))) out.push(`scripts/${s}:${f}`);
    }
    results.set(p.dir, out);
  }
  return results;
}
