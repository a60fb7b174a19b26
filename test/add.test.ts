// add: a function goes into an existing SAM project without disturbing a byte of it, for a corpus of
// hand-written templates (test/fixtures/sam/), three times in a row; bad templates change nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, fingerprint, runCli, scratch } from './helpers/cli.ts';
import { lintTemplates, validateSamSchema } from './helpers/validate.ts';
import { translate } from './helpers/translate.ts';
import { EVENT_KINDS } from './helpers/matrix.ts';

const t = suite('add');
const CORPUS = join(REPO, 'test/fixtures/sam');
const fixtures = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => /^\d/.test(f)).sort() : [];
const invalid = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f.startsWith('invalid-')).sort() : [];
const templateOf = (dir: string) => ['template.yaml', 'template.yml', 'template.json'].map((n) => join(dir, n)).find((p) => existsSync(p))!;

/** The three functions added in a row to every template of the corpus. */
const ADDS = [
  ['add', 'LedgerFunction', '--runtime', 'nodejs22.x', '--event', 'sqs', '--yes', '--no-install'],
  ['add', 'AvatarsFunction', '--runtime', 'python3.13', '--event', 's3', '--event', 'api', '--yes', '--no-install'],
  ['add', 'SweeperFunction', '--runtime', 'python3.12', '--event', 'schedule', '--memory', '1024', '--timeout', '60', '--yes', '--no-install'],
];

/** Lines of `before` missing from `after` when read in order (an addition-only edit has none). */
function removedLines(before: string, after: string): string[] {
  // A line terminator added to a last line that had none does not change that line.
  const next = after.split('\n').map((l) => l.replace(/\r$/, ''));
  let at = 0;
  const missing: string[] = [];
  for (const line of before.split('\n').map((l) => l.replace(/\r$/, ''))) {
    const found = next.indexOf(line, at);
    if (found === -1) missing.push(line);
    else at = found + 1;
  }
  return missing;
}

/**
 * The one kind of change an insertion may need: the line where a new entry must attach to a flow
 * collection or a JSON member list (`}` -> `},`, `{a: 1}` -> `{a: 1, b: 2}`), or an empty `{}` that
 * becomes a block. The original text must survive in the new line up to that point.
 */
function extended(line: string, after: string): boolean {
  const text = line.replace(/\r$/, '');
  if (/:\s*\{\s*\}\s*$/.test(text)) return after.includes(text.replace(/\s*\{\s*\}\s*$/, ''));
  const open = text.replace(/[}\]]\s*$/, '');
  return after.split('\n').some((l) => l !== line && (l.startsWith(`${text},`) || (open !== text && l.startsWith(open) && l.length > text.length)));
}

/** cfn-lint rule codes per template, e.g. ["W3011"]. */
const codes = (findings: string[] | undefined) => [...new Set((findings ?? []).map((f) => /\b([EWI]\d{4})\b/.exec(f)?.[1] ?? f))].sort();

t('the corpus has at least 40 templates', () => {
  assert.ok(fixtures.length >= 40, `${fixtures.length} fixtures`);
});

t('on every template of the corpus, three adds in a row keep every original line and pass the validators', async () => {
  const { dir, remove } = scratch('corpus');
  try {
    const results: { name: string; original: string; step: string; path: string; before: string }[] = [];
    for (const name of fixtures) {
      const project = join(dir, name);
      cpSync(join(CORPUS, name), project, { recursive: true });
      const path = templateOf(project);
      const original = readFileSync(path, 'utf8');
      const originalCopy = join(dir, `${name}.original${path.slice(path.lastIndexOf('.'))}`);
      cpSync(path, originalCopy);
      let before = original;
      for (const args of ADDS) {
        const r = runCli(args, project);
        assert.is(r.status, 0, `${name}: ${args[1]}: ${r.stderr}`);
        const after = readFileSync(path, 'utf8');
        const missing = removedLines(before, after);
        const oneLine = !before.trim().includes('\n'); // minified JSON: its one line has to change
        const unexplained = missing.filter((line) => !oneLine && !extended(line, after));
        assert.equal(unexplained, [], `${name}: ${args[1]} changed original lines`);
        assert.ok(missing.length <= 2, `${name}: ${args[1]} changed ${missing.length} lines:\n${missing.join('\n')}`);
        if (original.includes('\r\n')) assert.not.match(after.replace(/\r\n/g, ''), /\n/, `${name}: LF line in a CRLF file`);
        const copy = join(dir, `${name}.${args[1]}${path.slice(path.lastIndexOf('.'))}`);
        cpSync(path, copy);
        results.push({ name, original: originalCopy, step: args[1]!, path: copy, before });
        before = after;
      }
    }
    const lint = await lintTemplates([...new Set(results.flatMap((r) => [r.original, r.path]))]);
    const problems: string[] = [];
    for (const r of results) {
      const baseline = codes(lint.get(r.original));
      const added = codes(lint.get(r.path)).filter((c) => !baseline.includes(c));
      if (added.length) problems.push(`${r.name} after ${r.step}: new cfn-lint findings ${(lint.get(r.path) ?? []).join('; ')}`);
      const schemaBefore = validateSamSchema(r.original);
      const schema = validateSamSchema(r.path).filter((m) => !schemaBefore.includes(m));
      if (schema.length) problems.push(`${r.name} after ${r.step}: SAM schema: ${schema.join('; ')}`);
    }
    assert.equal(problems, []);
  } finally {
    remove();
  }
});

for (const name of invalid) {
  t(`${name}: refused with one line, nothing changed`, () => {
    const { dir, remove } = scratch('invalid');
    try {
      cpSync(join(CORPUS, name), join(dir, name), { recursive: true });
      const before = fingerprint(dir);
      const r = runCli(ADDS[0]!, join(dir, name));
      assert.is(r.status, 1, r.stdout);
      assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
      if (name.includes('syntax')) assert.match(r.stderr, /template\.ya?ml:\d+:\d+: /);
      if (name.includes('transform')) assert.match(r.stderr, /AWS::Serverless-2016-10-31/);
      if (name.includes('resources')) assert.match(r.stderr, /Resources is not a mapping/);
      assert.is(fingerprint(dir), before);
    } finally {
      remove();
    }
  });
}

t('in a project made by new: additions only, cfn-lint clean, the new function\'s tests pass', async () => {
  const { dir, remove } = scratch('add-new');
  try {
    const env = { GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' };
    assert.is(runCli(['app', '--yes', '--runtime', 'python3.13', '--no-install'], dir, env).status, 0);
    const project = join(dir, 'app');
    const r = runCli(['add', 'OrdersFunction', '--runtime', 'nodejs22.x', '--event', 'sqs', '--yes'], project);
    assert.is(r.status, 0, r.stderr);
    const diff = spawnSync('git', ['diff', '--numstat', '--', 'template.yaml', 'scripts/project.sh', 'samconfig.toml'], { cwd: project, encoding: 'utf8' }).stdout;
    for (const line of diff.trim().split('\n')) assert.match(line, /^\d+\t0\t/, `additions only: ${line}`);
    const lint = await lintTemplates([join(project, 'template.yaml')]);
    assert.equal(lint.get(join(project, 'template.yaml')), []);
    const recorded = JSON.parse(readFileSync(join(project, '.create-container-lambda.json'), 'utf8'));
    assert.is(recorded.answers.runtime, 'python3.13', 'the recorded project answers are left alone');
    const test = spawnSync('npm', ['test'], { cwd: join(project, 'functions/orders-function'), encoding: 'utf8' });
    assert.is(test.status, 0, test.stdout + test.stderr);
  } finally {
    remove();
  }
});

t('defaults come from the project: the recorded runtime and architecture', () => {
  const { dir, remove } = scratch('add-defaults');
  try {
    assert.is(runCli(['app', '--yes', '--runtime', 'nodejs22.x', '--language', 'javascript', '--arch', 'arm64', '--no-git', '--no-install'], dir).status, 0);
    const r = runCli(['add', 'Second', '--yes', '--no-install'], join(dir, 'app'));
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /nodejs22\.x, arm64/);
    assert.ok(existsSync(join(dir, 'app/functions/second/src/app.js')), 'JavaScript, as recorded');
  } finally {
    remove();
  }
});

t('a function ID without "Function", every event kind, Globals that trace and set a boundary: its own role gets both', async () => {
  const { dir, remove } = scratch('add-boundary');
  try {
    const template = join(dir, 'template.yaml');
    writeFileSync(
      template,
      [
        'AWSTemplateFormatVersion: "2010-09-09"',
        'Transform: AWS::Serverless-2016-10-31',
        'Globals:',
        '  Function:',
        '    Tracing: Active',
        '    PermissionsBoundary: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/org-boundary"',
        'Resources:',
        '  Existing:',
        '    Type: AWS::Serverless::Function',
        '    Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: s3://artifacts/existing.zip}',
        '',
      ].join('\n'),
    );
    const kinds = EVENT_KINDS.filter((k) => k !== 'none').join(',');
    const r = runCli(['add', 'Orders', '--runtime', 'python3.13', '--event', kinds, '--yes', '--no-install'], dir);
    assert.is(r.status, 0, r.stderr);
    assert.equal([...(await lintTemplates([template])).values()].flat(), []);
    const out = translate([template]).get(template)!;
    assert.is(out.error, undefined);
    const role = out.Resources.OrdersRole!.Properties!;
    assert.equal(role.PermissionsBoundary, { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/org-boundary' });
    assert.ok(JSON.stringify(role.Policies).includes('xray:PutTraceSegments'));
    // The function written by hand keeps the role SAM makes for it, with the boundary SAM gives it.
    assert.ok(out.Resources.ExistingRole);
  } finally {
    remove();
  }
});

t('refuses, changing nothing: an existing resource, a folder of that name in another case, an invalid ID', () => {
  const { dir, remove } = scratch('add-clash');
  try {
    assert.is(runCli(['app', '--yes', '--no-git', '--no-install'], dir).status, 0);
    const project = join(dir, 'app');
    mkdirSync(join(project, 'functions/Orders-Function'));
    const before = fingerprint(dir);
    for (const [args, says] of [
      [['add', 'HelloFunction'], /already has a resource named HelloFunction/],
      [['add', 'hellofunction'], /already has a resource named HelloFunction \(hellofunction differs only in case\)/],
      [['add', 'OrdersFunction'], /functions\/Orders-Function already exists/],
      [['add', 'Orders-Fn'], /Invalid function name "Orders-Fn"/],
      [['add', 'X', '--template', 'nope.yaml'], /No template at nope\.yaml/],
    ] as const) {
      const r = runCli([...args, '--yes', '--no-install'], project);
      assert.is(r.status, 1, `${args.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, says);
      assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    assert.is(fingerprint(dir), before);
  } finally {
    remove();
  }
});

t('--dry-run prints the diff and the new files, and changes nothing', () => {
  const { dir, remove } = scratch('add-dry');
  try {
    assert.is(runCli(['app', '--yes', '--no-git', '--no-install'], dir).status, 0);
    const before = fingerprint(dir);
    const r = runCli(['add', 'OrdersFunction', '--event', 'sqs', '--yes', '--dry-run'], join(dir, 'app'));
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /^--- a\/template\.yaml$/m);
    assert.match(r.stdout, /^\+  OrdersFunction:$/m);
    assert.match(r.stdout, /\+ functions\/orders-function\/Dockerfile/);
    assert.is(fingerprint(dir), before);
  } finally {
    remove();
  }
});

t.run();
