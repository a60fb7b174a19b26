// Reading a template in part (what add does with a long template) gives the same result as reading
// it whole: the same keys, defaults and inserted text, for every template of the corpus read as if
// it were long, and for generated long templates; the outline scan refuses the shapes it cannot read.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { projectFacts } from '../src/project/defaults.ts';
import { cfnTags, toLongForm } from '../src/sam/cfn-tags.ts';
import { insertFragment } from '../src/sam/edit-template.ts';
import { functionFragment } from '../src/sam/function-resources.ts';
import { readTemplate, WHOLE_PARSE_LINES } from '../src/sam/read-template.ts';
import { outline } from '../src/sam/template-outline.ts';
import { REPO } from './helpers/cli.ts';
import { samTemplate } from './helpers/long-template.ts';

const t = suite('read-template');
const CORPUS = join(REPO, 'test/fixtures/sam');
const templates = readdirSync(CORPUS)
  .filter((f) => /^\d/.test(f))
  .sort()
  .map((name) => ['template.yaml', 'template.yml', 'template.json'].map((n) => join(CORPUS, name, n)).find((p) => existsSync(p))!);

const fragment = functionFragment({
  id: 'LedgerFunction',
  context: './functions/ledger',
  runtime: 'python3.13',
  arch: 'arm64',
  events: ['sqs', 'api'],
  route: '/ledger',
  effectiveTimeout: 30,
  namePrefix: 'shop',
  traced: false,
  logRetention: 30,
});

/** The outcome of add's reading and insertion: the new text, or the error it refuses with. */
function outcome(text: string, path: string, wholeLines: number): string {
  try {
    const reading = readTemplate(text, 'template.yaml', wholeLines);
    const facts = projectFacts(path, reading.doc);
    const ids = `${reading.resourceIds.join(',')} / ${reading.outputIds?.join(',') ?? '-'}`;
    return `${JSON.stringify(facts)}\n${ids}\n${insertFragment(text, fragment, 'template.yaml', reading)}`;
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

t('every corpus template read in part gives what reading it whole gives', () => {
  let partial = 0;
  for (const path of templates) {
    const text = readFileSync(path, 'utf8');
    if (!readTemplate(text, 'template.yaml', 0).whole) partial += 1;
    assert.fixture(outcome(text, path, 0), outcome(text, path, Infinity), path);
  }
  // Most of the corpus has the plain block layout the outline reads.
  assert.ok(partial >= 40, `${partial} of ${templates.length} read in part`);
});

t('a long template is read in part, with the same result as read whole', () => {
  const json = (n: number) => JSON.stringify(toLongForm(parseDocument(samTemplate(n), { customTags: cfnTags })), null, 2);
  for (const [n, text] of [30, 300].flatMap((n) => [[n, samTemplate(n)], [n, json(n)]] as const)) {
    const reading = readTemplate(text, 'template.yaml');
    assert.is(reading.whole, false);
    assert.is(reading.resourceIds.length, n);
    assert.ok(reading.doc.toString().length < text.length / 5, 'most of it is not parsed');
    assert.fixture(outcome(text, 'template.yaml', WHOLE_PARSE_LINES), outcome(text, 'template.yaml', Infinity), text.slice(0, 1));
  }
});

t('a syntax error in a part that is read is reported at its line and column in the template', () => {
  const text = samTemplate(300).replace('Fn299Function:\n    Type', 'Fn299Function:\n   Type');
  const error = (wholeLines: number) => {
    try {
      readTemplate(text, 'template.yaml', wholeLines);
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };
  assert.match(error(WHOLE_PARSE_LINES), /^template\.yaml:4493:10: /);
  assert.is(error(WHOLE_PARSE_LINES), error(Infinity));
});

t('Resources and Outputs must be mappings', () => {
  const base = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  A:\n    Type: X\n';
  assert.throws(() => readTemplate(`${base}Outputs: [1]\n`, 'template.yaml'), /Outputs is not a mapping/);
  assert.throws(() => readTemplate(`${base}Outputs:\n`, 'template.yaml'), /Outputs is not a mapping/);
  assert.throws(() => readTemplate('Transform: AWS::Serverless-2016-10-31\nResources: [1]\n', 'template.yaml'), /Resources is not a mapping/);
  assert.ok(readTemplate(base, 'template.yaml').outputIds === undefined);
});

t('a name taken by an entry that is not parsed is still refused', () => {
  const text = samTemplate(300);
  const reading = readTemplate(text, 'template.yaml');
  const clash = { ...fragment, resources: { FN150FUNCTION: {} } };
  assert.throws(() => insertFragment(text, clash, 'template.yaml', reading), /already has a resource named Fn150Function/);
});

t('the outline leaves JSON, flow sections, aliases, tabs and several documents to the parser', () => {
  const base = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  A:\n    Type: X\n';
  assert.ok(outline(base));
  for (const text of [
    '{"Resources": {}}',
    '{"Resources": {"A": {"Type": "X"}}',
    'Transform: x\nResources: {A: {Type: X}}\n',
    `${base}  B: *a\n`,
    `${base}  B:\n\tType: X\n`,
    `${base}---\nOther: 1\n`,
    `${base}- item\n`,
    'Transform: x\nResources:\n    A:\n      Type: X\n  B:\n    Type: Y\n',
    `${base}  ? [complex]\n  : key\n`,
  ]) {
    assert.is(outline(text), undefined, JSON.stringify(text));
  }
  // A document start marker, an end marker and a `*` inside a plain scalar are read.
  assert.ok(outline(`--- # doc\n${base}...\n`));
  assert.equal(outline(`\uFEFF${base}`)?.map((s) => s.key), ['Transform', 'Resources']);
  const json = outline('{"Transform": "x", "Resources": {"A": {"Type": "X", "P": ["}", {"q": "\\""}]}, "B": {}}, "Outputs": {"O": {"Value": 1}}}');
  assert.equal(json?.map((s) => `${s.key}:${s.entries?.map((e) => e.key).join(',') ?? ''}`), ['Transform:', 'Resources:A,B', 'Outputs:O']);
  assert.ok(outline(`${base}    Properties:\n      Schedule: cron(0 9 ? * MON *)\n`));
});

t.run();
