// The kit rules engine (src/kit/rules.ts): exact violations (file, line, rule) on corpus templates of
// every shape, each line checked against the fixture's text; the whole corpus through every rule
// without throwing; a compliant project clean, and each kind of defect put into a copy of it found
// at the line where it is written (a template's line, a Dockerfile's FROM or ARG).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KitManifest } from '../src/kit/manifest.ts';
import { checkProject, formatViolation, resolveRules, type ResolvedRules, type Violation } from '../src/kit/rules.ts';
import { REPO } from './helpers/cli.ts';

const t = suite('kit-rules');
const CORPUS = join(REPO, 'test/fixtures/sam');
const COMPLIANT = join(REPO, 'test/fixtures/check/compliant');
const MIRROR = '123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-public/lambda/';
const BASE_IMAGES = { 'public.ecr.aws/lambda/': MIRROR };

const templateOf = (dir: string) => ['template.yaml', 'template.yml', 'template.json'].map((n) => join(dir, n)).find((p) => existsSync(p))!;

const KIT: KitManifest = {
  name: '@acme/lambda-kit',
  version: '1.0.0',
  tags: { team: 'payments', 'cost-center': '1234' },
  allow: { runtimes: ['python3.13'], architectures: ['arm64'] },
  baseImages: BASE_IMAGES,
  rules: { requiredTags: true, permissionsBoundary: true, runtimes: true, architectures: true, baseImages: true, functionUrlAuth: true, tracing: true },
};
const ALL = resolveRules(KIT);

/** [file, line, rule, text that line holds]: the violations must be exactly these, in this order. */
type Expected = [string, number, string, string];

function expectViolations(dir: string, rules: ResolvedRules, expected: Expected[], baseImages: Record<string, string> = {}): Violation[] {
  const got = checkProject(templateOf(dir), rules, baseImages);
  assert.equal(got.map((v) => [v.file, v.line, v.rule]), expected.map(([f, l, r]) => [f, l, r]), got.map(formatViolation).join('\n'));
  for (const [file, line, , text] of expected) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    assert.ok(lines[line - 1]?.includes(text), `${file}:${line} is ${JSON.stringify(lines[line - 1])}, expected it to hold ${text}`);
  }
  for (const v of got) assert.not.match(v.message, /\n/);
  return got;
}

/** A copy of the compliant project with some text replaced, checked with every rule; removed after. */
function inCopy(edits: Record<string, [string, string][]>, expected: Expected[]): Violation[] {
  const dir = mkdtempSync(join(tmpdir(), 'kit-rules-'));
  try {
    cpSync(COMPLIANT, dir, { recursive: true });
    for (const [file, replacements] of Object.entries(edits)) {
      let text = readFileSync(join(dir, file), 'utf8');
      for (const [from, to] of replacements) {
        assert.ok(text.includes(from), `${file} holds ${from}`);
        text = text.replace(from, to);
      }
      writeFileSync(join(dir, file), text);
    }
    return expectViolations(dir, ALL, expected, BASE_IMAGES);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

t('resolveRules takes the lists of `true` rules from the kit, digests off', () => {
  const resolved = resolveRules({ ...KIT, baseImages: { 'public.ecr.aws/lambda/python:3.13': `${MIRROR}python:3.13@sha256:${'a'.repeat(64)}` } });
  assert.equal(resolved, {
    requiredTags: ['team', 'cost-center'],
    permissionsBoundary: true,
    runtimes: ['python3.13'],
    architectures: ['arm64'],
    baseImages: [`${MIRROR}python:3.13`],
    functionUrlAuth: true,
    tracing: true,
  });
  // A listed rule keeps its list; a `true` with nothing in the kit to take, and a rule left out, are off.
  assert.equal(resolveRules({ name: 'k', version: '1.0.0', rules: { requiredTags: ['owner'], runtimes: true, tracing: false } }), { requiredTags: ['owner'], tracing: false });
});

t('formatViolation is file:line: rule: message', () => {
  assert.is(formatViolation({ file: 'template.yaml', line: 12, rule: 'required-tags', message: 'Fn: add the tag team to its Tags' }), 'template.yaml:12: required-tags: Fn: add the tag team to its Tags');
});

t('YAML with Globals: Globals.Function gives Tags, Tracing and Architectures; own Tags merge with them', () => {
  expectViolations(join(CORPUS, '17-globals-function-only'), { requiredTags: ['service', 'team'], permissionsBoundary: true, tracing: true, architectures: ['arm64'] }, [
    ['template.yaml', 24, 'required-tags', 'UsersTable:'],
    ['template.yaml', 39, 'required-tags', 'UsersFunction:'],
    ['template.yaml', 39, 'permissions-boundary', 'UsersFunction:'],
  ]);
  const [function_] = checkProject(templateOf(join(CORPUS, '17-globals-function-only')), { requiredTags: ['service', 'team'] }).filter((v) => v.line === 39);
  assert.is(function_?.message, 'UsersFunction: add the tag team to its Tags or Globals.Function.Tags'); // service comes from Globals
  // Globals' Architectures is not allowed: reported where Globals write it.
  expectViolations(join(CORPUS, '17-globals-function-only'), { architectures: ['x86_64'] }, [['template.yaml', 10, 'architectures', '- arm64']]);
});

t('JSON: zip Runtime at its line, an image function at its Dockerfile FROM', () => {
  expectViolations(join(CORPUS, '29-json-2space'), { requiredTags: ['team'], runtimes: ['python3.13'], tracing: true }, [
    ['containers/render/Dockerfile', 1, 'runtimes', 'FROM public.ecr.aws/lambda/nodejs:24'],
    ['template.json', 22, 'required-tags', '"RenderQueue"'],
    ['template.json', 28, 'required-tags', '"ApiFunction"'],
    ['template.json', 33, 'runtimes', '"Runtime": "nodejs24.x"'],
    ['template.json', 50, 'required-tags', '"RenderFunction"'],
  ]);
  expectViolations(join(CORPUS, '29-json-2space'), { runtimes: ['nodejs24.x'], tracing: true }, []);
});

t('CRLF YAML and CRLF JSON: lines count the same', () => {
  expectViolations(join(CORPUS, '25-crlf-yaml'), { functionUrlAuth: true, architectures: ['arm64'], tracing: true }, [
    ['template.yaml', 9, 'architectures', 'Architectures: [x86_64]'],
    ['template.yaml', 9, 'architectures', 'Architectures: [x86_64]'],
    ['template.yaml', 12, 'tracing', 'WebhookFunction:'],
    ['template.yaml', 17, 'function-url-auth', 'AuthType: NONE'],
    ['template.yaml', 28, 'tracing', 'RetryFunction:'],
  ]);
  expectViolations(join(CORPUS, '26-crlf-json'), { requiredTags: ['team'], permissionsBoundary: true }, [
    ['template.json', 12, 'required-tags', '"ExportBucket"'],
    ['template.json', 19, 'required-tags', '"ExporterFunction"'],
    ['template.json', 19, 'permissions-boundary', '"ExporterFunction"'],
  ]);
});

t('a BOM does not move the lines', () => {
  expectViolations(join(CORPUS, '28-utf8-bom'), { tracing: true }, [['template.yaml', 7, 'tracing', 'TranslateFunction:']]);
});

t('01-minimal-image: the runtime and source of its Dockerfile\'s base image', () => {
  const dir = join(CORPUS, '01-minimal-image');
  expectViolations(dir, { runtimes: ['python3.13'], baseImages: ['public.ecr.aws/lambda/'], architectures: ['arm64'] }, []);
  const [runtime, source] = expectViolations(dir, { runtimes: ['python3.14', 'go'], baseImages: [MIRROR] }, [
    ['hello/Dockerfile', 1, 'runtimes', 'FROM public.ecr.aws/lambda/python:3.13'],
    ['hello/Dockerfile', 1, 'base-images', 'FROM public.ecr.aws/lambda/python:3.13'],
  ]);
  // The message names the images to use (go runs on provided.al2023); with the kit's mapping, its mirrors.
  const use = 'use public.ecr.aws/lambda/python:3.14 (python3.14), public.ecr.aws/lambda/provided:al2023 (go)';
  assert.is(runtime?.message, `HelloFunction: base image public.ecr.aws/lambda/python:3.13 is the python3.13 runtime's, which is not allowed; ${use}`);
  const [mirrored] = checkProject(templateOf(dir), { runtimes: ['python3.14', 'go'] }, BASE_IMAGES);
  assert.match(mirrored!.message, use.replaceAll('public.ecr.aws/lambda/', MIRROR));
  assert.match(source!.message, `HelloFunction: base image public.ecr.aws/lambda/python:3.13 is not from an allowed source; use an image starting with ${MIRROR}`);
});

t('33-mixed-zip-image-layers: zip and image functions, layers untagged', () => {
  expectViolations(join(CORPUS, '33-mixed-zip-image-layers'), { requiredTags: ['team'], runtimes: ['python3.13'], architectures: ['arm64'] }, [
    ['template.yaml', 34, 'required-tags', 'PythonFunction:'],
    ['template.yaml', 45, 'required-tags', 'NodeFunction:'],
    ['template.yaml', 45, 'architectures', 'NodeFunction:'],
    ['template.yaml', 50, 'runtimes', 'Runtime: nodejs24.x'],
    ['template.yaml', 60, 'required-tags', 'ModelFunction:'],
    ['template.yaml', 68, 'architectures', 'Architectures: [x86_64]'],
  ]);
});

t('list-form Tags, a Cognito pool\'s UserPoolTags, IAM roles and a plain Lambda function', () => {
  expectViolations(join(CORPUS, '07-mixed-sequence-indent'), { requiredTags: ['team', 'cost-center'] }, [['template.yaml', 38, 'required-tags', 'Tags:']]);
  expectViolations(join(CORPUS, '18-globals-function-api'), { requiredTags: ['team'] }, [
    ['template.yaml', 25, 'required-tags', 'CatalogApi:'],
    ['template.yaml', 36, 'required-tags', 'UserPool:'],
    ['template.yaml', 42, 'required-tags', 'CatalogFunction:'],
    ['template.yaml', 64, 'required-tags', 'SearchFunction:'],
  ]);
  expectViolations(join(CORPUS, '39-plain-cfn-resources'), { permissionsBoundary: true, tracing: true }, [
    ['template.yaml', 79, 'permissions-boundary', 'ProcessorRole:'],
    ['template.yaml', 106, 'tracing', 'ProcessorFunction:'],
    ['template.yaml', 127, 'permissions-boundary', 'JanitorRole:'],
    ['template.yaml', 139, 'tracing', 'JanitorFunction:'],
  ]);
});

t('merge keys and aliases are followed: the merged PackageType and Architectures count', () => {
  expectViolations(join(CORPUS, '24-anchors-aliases'), { runtimes: ['python3.13'], architectures: ['arm64'] }, []);
  expectViolations(join(CORPUS, '24-anchors-aliases'), { architectures: ['x86_64'] }, [
    ['template.yaml', 12, 'architectures', '[arm64]'],
    ['template.yaml', 12, 'architectures', '[arm64]'],
    ['template.yaml', 12, 'architectures', '[arm64]'],
  ]);
});

t('every corpus template goes through every rule without throwing; a broken one is one template violation', () => {
  const rules: ResolvedRules = { ...ALL, runtimes: ['python3.13', 'nodejs24.x'], baseImages: ['public.ecr.aws/lambda/'] };
  const started = performance.now();
  let violations = 0;
  for (const name of readdirSync(CORPUS, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    const found = checkProject(templateOf(join(CORPUS, name)), rules, BASE_IMAGES);
    violations += found.length;
    const sorted = [...found].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
    assert.equal(found.map((v) => `${v.file}:${v.line}`), sorted.map((v) => `${v.file}:${v.line}`), `${name} is sorted`);
  }
  assert.ok(violations > 300, `${violations} violations in the corpus`);
  assert.ok(performance.now() - started < 5000, 'the corpus is checked in under 5 s');
  expectViolations(join(CORPUS, 'invalid-syntax'), ALL, [['template.yaml', 19, 'template', 'Timeout: 10']]);
  expectViolations(join(CORPUS, 'invalid-resources-list'), ALL, [['template.yaml', 5, 'template', 'Resources:']]);
});

t('the compliant project has no violations', () => {
  expectViolations(COMPLIANT, ALL, [], BASE_IMAGES);
});

t('a tag taken off the compliant project is one required-tags violation at its Tags', () => {
  const [v] = inCopy({ 'template.yaml': [['        - Key: cost-center\n          Value: \'1234\'\n\n  WorkerFunction', '\n  WorkerFunction']] }, [['template.yaml', 44, 'required-tags', 'Tags:']]);
  assert.is(v?.message, 'WorkerRole: add the tag cost-center to its Tags');
});

t('each other defect in a copy of the compliant project, at the line to change', () => {
  inCopy({ 'template.yaml': [['    Tracing: Active\n', ''], ['AuthType: AWS_IAM', 'AuthType: NONE'], ['      PermissionsBoundary: !Ref BoundaryArn\n      Tags:', '      Tags:'], ['[arm64]', '[x86_64]']] }, [
    ['template.yaml', 12, 'architectures', 'Architectures: [x86_64]'],
    ['template.yaml', 12, 'architectures', 'Architectures: [x86_64]'],
    ['template.yaml', 19, 'tracing', 'HelloFunction:'],
    ['template.yaml', 25, 'function-url-auth', 'AuthType: NONE'],
    ['template.yaml', 31, 'permissions-boundary', 'WorkerRole:'],
    ['template.yaml', 48, 'tracing', 'WorkerFunction:'],
  ]);
  // The official image where the kit wants its mirror: the runtime is still known, the source is not allowed.
  inCopy({ 'hello/Dockerfile': [[MIRROR, 'public.ecr.aws/lambda/']] }, [['hello/Dockerfile', 1, 'base-images', 'FROM public.ecr.aws/lambda/python:3.13']]);
  // An ARG-written image is reported at the ARG; a digest and an architecture tag still name the runtime.
  inCopy({ 'worker/Dockerfile': [['python:3.13', 'nodejs:24-arm64@sha256:0123abcd']] }, [['worker/Dockerfile', 3, 'runtimes', 'ARG BASE_IMAGE=']]);
  inCopy({ 'worker/Dockerfile': [[MIRROR, 'docker.io/library/']] }, [
    ['worker/Dockerfile', 3, 'runtimes', 'ARG BASE_IMAGE='],
    ['worker/Dockerfile', 3, 'base-images', 'ARG BASE_IMAGE='],
  ]);
  // DockerBuildArgs win over the ARG's default: reported where the template passes the value.
  inCopy({ 'template.yaml': [['      Dockerfile: Dockerfile\n      DockerContext: ./worker', '      Dockerfile: Dockerfile\n      DockerBuildArgs:\n        BASE_IMAGE: public.ecr.aws/lambda/python:3.9\n      DockerContext: ./worker']] }, [
    ['template.yaml', 65, 'runtimes', 'BASE_IMAGE: public.ecr.aws/lambda/python:3.9'],
    ['template.yaml', 65, 'base-images', 'BASE_IMAGE: public.ecr.aws/lambda/python:3.9'],
  ]);
  // A variable with no value, and a missing Dockerfile.
  inCopy({ 'worker/Dockerfile': [['ARG BASE_IMAGE=', 'ARG OTHER=']] }, [
    ['worker/Dockerfile', 4, 'runtimes', 'FROM ${BASE_IMAGE}'],
    ['worker/Dockerfile', 4, 'base-images', 'FROM ${BASE_IMAGE}'],
  ]);
  inCopy({ 'template.yaml': [['DockerContext: ./hello', 'DockerContext: ./nowhere']] }, [
    ['template.yaml', 29, 'runtimes', 'DockerContext: ./nowhere'],
    ['template.yaml', 29, 'base-images', 'DockerContext: ./nowhere'],
  ]);
});

t('intrinsics are present but unknown: never reported, never a crash', () => {
  const v = inCopy({
    'template.yaml': [
      ['    Tags:\n      team: payments\n      cost-center: \'1234\'\n', '    Tags: !If [IsProd, {team: payments}, !Ref AWS::NoValue]\n'],
      ['AuthType: AWS_IAM', 'AuthType: !Ref UrlAuth'],
      ['    Tracing: Active', '    Tracing: !If [IsProd, Active, PassThrough]'],
      ['    Architectures: [arm64]', '    Architectures: !Ref Arch'],
      ['        - Key: team\n          Value: payments\n        - Key: cost-center\n          Value: \'1234\'\n\nOutputs', '        - !If [IsProd, {Key: team, Value: x}, !Ref AWS::NoValue]\n\nOutputs'],
    ],
  }, []);
  assert.equal(v, []);
});

t.run();
