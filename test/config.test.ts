// What a project records for later commands (.create-container-lambda.json, src/project/config.ts):
// every function new and add make, by logical ID, with the tool version and its answers; add into a
// repository this tool did not make writes the file with that alone and touches nothing else.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE, type FunctionRecord } from '../src/project/config.ts';
import { TOOL } from '../src/version.ts';
import { runCli, scratch } from './helpers/cli.ts';

const t = suite('config');
const work = scratch('config');
process.on('exit', () => work.remove());

const read = (dir: string) => JSON.parse(readFileSync(join(dir, CONFIG_FILE), 'utf8')) as { answers?: Record<string, unknown>; functions: Record<string, FunctionRecord> };

t('new records its function; add records each one it adds, beside the others', () => {
  const dir = join(work.dir, 'demo');
  assert.is(runCli(['demo', '--yes', '--no-git', '--no-install', '--runtime', 'nodejs22.x', '--event', 'sqs'], work.dir).status, 0);
  const first = read(dir);
  assert.equal(Object.keys(first.functions), ['HelloFunction']);
  assert.equal(first.functions.HelloFunction!.tool, { name: TOOL.name, version: TOOL.version });
  assert.equal(first.functions.HelloFunction!.answers.events, ['sqs']);
  assert.is(first.functions.HelloFunction!.answers.appTemplate, 'hello');
  assert.is(first.functions.HelloFunction!.answers.memory, 512);

  const r = runCli(['add', 'Orders', '--runtime', 'python3.13', '--event', 'api', '--app-template', 'hello', '--yes', '--no-install'], dir);
  assert.is(r.status, 0, r.stderr);
  const after = read(dir);
  assert.equal(Object.keys(after.functions), ['HelloFunction', 'Orders']);
  assert.equal(after.functions.HelloFunction, first.functions.HelloFunction);
  assert.equal(after.answers, first.answers, 'the answers of new stay as they were');
  const orders = after.functions.Orders!.answers;
  assert.is(orders.runtime, 'python3.13');
  assert.equal(orders.events, ['api']);
  // Not given: it inherits the template's Globals, so nothing is recorded for it.
  assert.is(orders.memory, undefined);
});

t('add in a repository this tool did not make records the function in a new file, and changes no other file', () => {
  const dir = join(work.dir, 'theirs');
  mkdirSync(dir);
  const template = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Existing:\n    Type: AWS::SNS::Topic\n';
  writeFileSync(join(dir, 'template.yaml'), template);
  const r = runCli(['add', 'Worker', '--runtime', 'python3.13', '--event', 'sqs', '--yes', '--no-install'], dir);
  assert.is(r.status, 0, r.stderr);
  const config = read(dir);
  assert.equal(Object.keys(config), ['functions']);
  assert.equal(Object.keys(config.functions), ['Worker']);
  assert.ok(readFileSync(join(dir, 'template.yaml'), 'utf8').startsWith(template), 'the template lost its own text');
  assert.match(r.stdout, new RegExp(`created ${CONFIG_FILE.replace('.', '\\.')}`));
});

t('--dry-run shows the configuration change and writes nothing', () => {
  const dir = join(work.dir, 'demo');
  const before = readFileSync(join(dir, CONFIG_FILE), 'utf8');
  const r = runCli(['add', 'Dry', '--event', 'sqs', '--yes', '--no-install', '--dry-run'], dir);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /\+\+\+ b\/\.create-container-lambda\.json/);
  assert.match(r.stdout, /\+ {4}"Dry": \{/);
  assert.is(readFileSync(join(dir, CONFIG_FILE), 'utf8'), before);
});

t.run();
