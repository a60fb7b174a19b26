// The registry's facts: deprecation dates agree with AWS's schedule as recorded in
// ../shared/AWS-FACTS.md, and the support rules (warn within 6 months, refuse after) hold.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RETIRED, RUNTIMES, findRuntime, support } from '../src/registry/runtimes.ts';
import { EVENTS } from '../src/registry/events.ts';
import { REPO, runCli, scratch } from './helpers/cli.ts';

const t = suite('registry');
const FACTS = join(REPO, '..', 'shared', 'AWS-FACTS.md');

/** Runtime id -> [deprecation, block-updates date?] from the base-image table of AWS-FACTS.md. */
function schedule(): Map<string, [string, string | undefined]> {
  const dates = new Map<string, [string, string | undefined]>();
  for (const line of readFileSync(FACTS, 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 6 || !/^\d{4}-/.test(cells[4] ?? '')) continue;
    const names = cells[1]!.split(' / ');
    const family = names[0]!.replace(/[\d.]+(x|al2\d*)?$/, '');
    const ids = names.map((n, i) => (i === 0 ? n : `${family}${n}`));
    const parts = cells[4]!.split(' / ');
    ids.forEach((id, i) => {
      const part = parts[Math.min(i, parts.length - 1)]!;
      const [, deprecation, blocked] = /(\d{4}-\d\d-\d\d)(?: \((\d{4}-\d\d-\d\d)\))?/.exec(part) ?? [];
      if (deprecation) dates.set(id, [deprecation, blocked]);
    });
  }
  return dates;
}

t('deprecation dates agree with the AWS schedule in shared/AWS-FACTS.md', () => {
  if (!existsSync(FACTS)) {
    if (process.env.CI) throw new Error(`${FACTS} is missing`);
    console.warn('warning: shared/AWS-FACTS.md not found, skipping the deprecation date check');
    return;
  }
  const facts = schedule();
  assert.ok(facts.size > 10, `parsed ${facts.size} runtimes from AWS-FACTS.md`);
  for (const r of [...RUNTIMES, ...RETIRED]) {
    const known = facts.get(r.id);
    if (!known) continue; // deprecated long ago (python3.9, dotnet6, ruby3.2): dates kept in the entry
    assert.is(r.deprecation, known[0], `${r.id} deprecation`);
  }
  for (const r of RUNTIMES) assert.ok(facts.has(r.id) || RETIRED.some((x) => x.id === r.id), `${r.id} is in AWS-FACTS.md`);
});

t('support: supported, ending within 6 months, retired', () => {
  const [first] = RUNTIMES;
  assert.ok(first);
  assert.is(support(first.id, '2026-01-01').status, 'supported');
  const sixMonthsBefore = new Date(`${first.deprecation}T00:00:00Z`);
  sixMonthsBefore.setUTCMonth(sixMonthsBefore.getUTCMonth() - 6);
  assert.is(support(first.id, sixMonthsBefore.toISOString().slice(0, 10)).status, 'ending');
  assert.is(support(first.id, first.deprecation).status, 'retired');
  for (const r of RETIRED) {
    const s = support(r.id, '2026-11-23');
    assert.is(s.status, 'retired', r.id);
    assert.ok(findRuntime(r.replacement), `${r.id} -> ${r.replacement} is offered`);
    assert.ok(findRuntime(r.like), `${r.id} generates like ${r.like}`);
  }
});

t('--runtime python3.10 is refused naming its replacement; --allow-deprecated generates it', () => {
  const { dir: root, remove } = scratch('deprecated');
  const dir = join(root, 'app');
  try {
    const refused = runCli(['app', '--yes', '--runtime', 'python3.10', '--no-git', '--no-install'], root);
    assert.is(refused.status, 1);
    assert.match(refused.stderr, /python3\.10 is no longer offered.*--runtime python3\.1[3-9]/);
    const allowed = runCli(['app', '--yes', '--runtime', 'python3.10', '--allow-deprecated', '--no-git', '--no-install'], root);
    assert.is(allowed.status, 0, allowed.stderr);
    assert.match(allowed.stderr, /warning: python3\.10 is no longer offered/);
    assert.match(readFileSync(join(dir, 'functions/hello-function/Dockerfile'), 'utf8'), 'public.ecr.aws/lambda/python:3.10');
  } finally {
    remove();
  }
});

t('every event kind has a sample event and a one-line description', () => {
  for (const e of EVENTS) {
    assert.ok(existsSync(join(REPO, 'templates/events', `${e.id}.json`)), `templates/events/${e.id}.json`);
    assert.ok(e.description.length > 10 && !e.description.includes('\n'));
  }
});

t.run();
