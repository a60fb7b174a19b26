// Fetching kits into the cache: every kind of source gives the same file tree and a stable integrity, the
// kit's own scripts never run, a recorded kit opens offline, and failures are one line that leave no entry.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { UserError } from '../src/errors.ts';
import { commitEntry } from '../src/kit/cache.ts';
import { cacheRoot, fetchKit, openRecordedKit } from '../src/kit/source.ts';

const t = suite('kit-source');

let tmp = '';
let kit = '';
let tgz = '';
let packed = { integrity: '', name: '', version: '' };
const saved = { ...process.env };

function makeKit(dir: string): void {
  mkdirSync(join(dir, 'templates', 'project'), { recursive: true });
  writeFileSync(join(dir, 'container-lambda-kit.json'), JSON.stringify({ name: 'acme', version: '1.0.0' }));
  writeFileSync(join(dir, 'templates', 'project', 'EXTRA.md'), '# Acme extra\n');
  // Would leave PREPACK_RAN behind if npm ran the kit's scripts.
  const prepack = `node -e "require('fs').writeFileSync('PREPACK_RAN', 'x')"`;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'acme-kit', version: '1.2.3', scripts: { prepack } }, null, 2));
}

/** {path: content} of a folder, written independently of the code under test. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out[relative(dir, join(d, e.name)).split('\\').join('/')] = readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir);
  return out;
}

const sha512 = (bytes: Buffer) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8', stdio: 'pipe' }).trim();
const kitsEntries = () => (existsSync(join(cacheRoot(), 'kits')) ? readdirSync(join(cacheRoot(), 'kits')).sort() : []);

/** Awaits a UserError whose one line matches `says`. */
async function rejects(promise: Promise<unknown>, says: RegExp): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, UserError, String(error));
    const line = (error as UserError).line();
    assert.not.match(line, /\n/, 'one line');
    assert.match(line, says);
    assert.ok((error as UserError).hint, 'has a hint');
    return error as UserError;
  }
  assert.unreachable(`expected a UserError matching ${says}`);
  throw new Error('unreachable'); // for the type checker: uvu's unreachable() returns void
}

t.before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'kit-source-'));
  process.env.CREATE_CONTAINER_LAMBDA_CACHE = join(tmp, 'cache');
  kit = join(tmp, 'kit');
  makeKit(kit);
  const out = execFileSync('npm', ['pack', kit, '--json', '--ignore-scripts', '--pack-destination', tmp], { cwd: tmp, encoding: 'utf8' });
  const [info] = JSON.parse(out) as { filename: string; integrity: string; name: string; version: string }[];
  tgz = join(tmp, info!.filename);
  packed = info!;
});

t.after(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  rmSync(tmp, { recursive: true, force: true });
});

t('cacheRoot: the env override, then XDG_CACHE_HOME, then ~/.cache', () => {
  assert.is(cacheRoot(), join(tmp, 'cache'));
  const override = process.env.CREATE_CONTAINER_LAMBDA_CACHE;
  try {
    delete process.env.CREATE_CONTAINER_LAMBDA_CACHE;
    process.env.XDG_CACHE_HOME = '/x/cache';
    assert.is(cacheRoot(), join('/x/cache', 'create-container-lambda'));
    delete process.env.XDG_CACHE_HOME;
    if (process.platform !== 'win32') assert.match(cacheRoot(), /\.cache[\\/]create-container-lambda$/);
  } finally {
    process.env.CREATE_CONTAINER_LAMBDA_CACHE = override;
    if (saved.XDG_CACHE_HOME === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved.XDG_CACHE_HOME;
  }
});

t('folder kit: copied into the cache without .git and node_modules; integrity is the tree hash, stable, and follows edits', async () => {
  const dir = join(tmp, 'folder-kit');
  makeKit(dir);
  mkdirSync(join(dir, 'node_modules', 'x'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'x', 'index.js'), '');
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  const want = tree(kit);

  const first = await fetchKit('./folder-kit', tmp);
  assert.is(first.kind, 'folder');
  assert.is(first.source, dir);
  assert.ok(first.dir.startsWith(join(tmp, 'cache', 'kits')), first.dir);
  assert.equal(tree(first.dir), want);
  // The formula other tools can recompute: sorted paths, each path NUL bytes NUL.
  const hash = createHash('sha512');
  for (const path of Object.keys(want).sort()) hash.update(`${path}\0`).update(readFileSync(join(dir, path))).update('\0');
  assert.is(first.integrity, `sha512-${hash.digest('base64')}`);

  const second = await fetchKit(dir, '/');
  assert.equal([second.integrity, second.dir], [first.integrity, first.dir]);

  writeFileSync(join(dir, 'templates', 'project', 'EXTRA.md'), '# Acme extra, edited\n');
  const edited = await fetchKit(dir, tmp);
  assert.is.not(edited.integrity, first.integrity);
  assert.is.not(edited.dir, first.dir);
  assert.is(readFileSync(join(edited.dir, 'templates', 'project', 'EXTRA.md'), 'utf8'), '# Acme extra, edited\n');
  assert.ok(existsSync(join(first.dir, 'container-lambda-kit.json')), 'the earlier entry stays');
});

t('tarball kit: the tree under package/, integrity the sha512 of the .tgz, prepack not run', async () => {
  const got = await fetchKit(relative(tmp, tgz), tmp);
  assert.is(got.kind, 'tarball');
  assert.is(got.source, tgz);
  assert.is(got.integrity, sha512(readFileSync(tgz)));
  assert.is(got.integrity, packed.integrity);
  assert.equal(tree(got.dir), tree(kit));
  assert.not.ok(existsSync(join(kit, 'PREPACK_RAN')), 'npm pack --ignore-scripts ran prepack');
});

t('tarball without a top folder: the kit is its root', async () => {
  const flat = join(tmp, 'flat.tar.gz');
  execFileSync('tar', ['-czf', flat, '-C', kit, '.']);
  const got = await fetchKit(flat, tmp);
  assert.equal(tree(got.dir), tree(kit));
});

t('git kit: a tag from a local bare repository; the commit is the integrity; .git is not kept', async () => {
  const work = join(tmp, 'git-work');
  const bare = join(tmp, 'kit.git');
  makeKit(work);
  git(work, 'init', '--quiet');
  git(work, 'add', '--all');
  git(work, 'commit', '--quiet', '-m', 'kit');
  git(work, 'tag', 'v1.0.0');
  const commit = git(work, 'rev-parse', 'HEAD');
  git(tmp, 'init', '--quiet', '--bare', bare);
  git(work, 'push', '--quiet', bare, 'main', '--tags');

  const spec = `git+file://${bare}#v1.0.0`;
  const got = await fetchKit(spec, tmp);
  assert.equal([got.kind, got.source, got.integrity], ['git', spec, commit]);
  assert.equal(tree(got.dir), tree(kit));
  assert.not.ok(existsSync(join(got.dir, '.git')));

  const byCommit = await fetchKit(`git+file://${bare}#${commit}`, tmp);
  assert.equal([byCommit.integrity, byCommit.dir], [commit, got.dir]);
  const noRef = await fetchKit(`git+file://${bare}`, tmp);
  assert.is(noRef.source, `git+file://${bare}#${commit}`, 'no ref records the commit');

  const before = kitsEntries();
  await rejects(fetchKit(`git+file://${bare}#v9.9.9`, tmp), /^git could not fetch kit git\+file:.*#v9\.9\.9: Remote branch v9\.9\.9 not found/);
  await rejects(fetchKit(`git+file://${tmp}/nothing.git`, tmp), /git could not fetch kit .*nothing\.git/);
  assert.equal(kitsEntries(), before);
});

t('npm kit: a file: spec goes through npm pack, recorded as name@version, scripts not run', async () => {
  const got = await fetchKit(`file:${kit}`, tmp);
  assert.equal([got.kind, got.source, got.integrity], ['npm', 'acme-kit@1.2.3', packed.integrity]);
  assert.equal(tree(got.dir), tree(kit));
  assert.not.ok(existsSync(join(kit, 'PREPACK_RAN')), 'npm ran prepack');

  const relativeTgz = await fetchKit(`file:${relative(tmp, tgz)}`, tmp);
  assert.equal([relativeTgz.kind, relativeTgz.integrity, relativeTgz.dir], ['npm', packed.integrity, got.dir]);

  const before = kitsEntries();
  await rejects(fetchKit(`file:${join(tmp, 'no-such-kit')}`, tmp), /^npm could not fetch kit file:.*no-such-kit: Could not read package\.json/);
  assert.equal(kitsEntries(), before);
});

t('recorded kit opens offline from the cache; with neither source nor entry it is not found', async () => {
  const dir = join(tmp, 'gone-kit');
  makeKit(dir);
  const fetched = await fetchKit(dir, tmp);
  rmSync(dir, { recursive: true });
  const recorded = { source: './gone-kit', integrity: fetched.integrity };
  const opened = await openRecordedKit(recorded, tmp);
  assert.equal([opened.dir, opened.kind, opened.source, opened.integrity], [fetched.dir, 'folder', './gone-kit', fetched.integrity]);
  assert.equal(tree(opened.dir), tree(kit));

  rmSync(fetched.dir, { recursive: true });
  await rejects(openRecordedKit(recorded, tmp), /^Kit source \.\/gone-kit not found/);
});

t('recorded kit whose source changed is an error naming both integrities; an unchanged one is fetched again', async () => {
  const dir = join(tmp, 'changing-kit');
  makeKit(dir);
  const fetched = await fetchKit(dir, tmp);
  rmSync(fetched.dir, { recursive: true });
  const again = await openRecordedKit({ source: './changing-kit', integrity: fetched.integrity }, tmp);
  assert.equal([again.dir, again.source], [fetched.dir, './changing-kit']);
  assert.ok(existsSync(join(again.dir, 'container-lambda-kit.json')));

  writeFileSync(join(dir, 'templates', 'project', 'EXTRA.md'), 'changed\n');
  const now = await fetchKit(dir, tmp);
  rmSync(fetched.dir, { recursive: true });
  const error = await rejects(openRecordedKit({ source: dir, integrity: fetched.integrity }, tmp), /Kit source .*changing-kit changed/);
  assert.ok(error.message.includes(fetched.integrity.slice(0, 12)) && error.message.includes(now.integrity.slice(0, 12)), error.message);
  assert.is(error.message.split(fetched.integrity.slice(0, 19)).length, 2, 'shows the recorded digest');
  assert.not.ok(existsSync(fetched.dir), 'no entry under the recorded integrity');
});

t('concurrent fetches of one kit share one entry; staging folders of killed runs are swept after a day', async () => {
  const kits = join(cacheRoot(), 'kits');
  const stale = join(kits, '.tmp-killed');
  const young = join(kits, '.tmp-running');
  mkdirSync(join(stale, 'tree'), { recursive: true });
  mkdirSync(young);
  utimesSync(stale, new Date(Date.now() - 2 * 86_400_000), new Date(Date.now() - 2 * 86_400_000));
  const dir = join(tmp, 'race-kit');
  makeKit(dir);
  writeFileSync(join(dir, 'RACE'), 'x');
  const raceTgz = join(tmp, 'race.tgz');
  execFileSync('tar', ['-czf', raceTgz, '-C', dir, '.']);
  const [a, b] = await Promise.all([fetchKit(raceTgz, tmp), fetchKit(raceTgz, tmp)]);
  assert.is(a.dir, b.dir);
  assert.equal(tree(a.dir), tree(dir));
  // Another process made the entry between this one's check and its rename: its copy is kept, no error.
  const late = join(kits, '.tmp-late');
  cpSync(dir, late, { recursive: true });
  writeFileSync(join(late, 'LATE'), 'x');
  assert.is(commitEntry(late, a.integrity), a.dir);
  assert.not.ok(existsSync(join(a.dir, 'LATE')), 'the first entry is kept');
  rmSync(late, { recursive: true });
  assert.not.ok(existsSync(stale), 'stale staging folder swept');
  assert.ok(existsSync(young), 'a running one is left alone');
  rmSync(young, { recursive: true });
});

t('recorded integrity that is not sha512 or a commit is refused before it becomes a path', async () => {
  await rejects(openRecordedKit({ source: kit, integrity: '../../../etc' }, tmp), /Kit integrity "\.\.\/\.\.\/\.\.\/etc" is neither/);
});

t('not a kit, missing sources, links out of the kit: one line each, and no entry left behind', async () => {
  const before = kitsEntries();
  const plain = join(tmp, 'plain');
  mkdirSync(plain);
  writeFileSync(join(plain, 'README.md'), 'hi\n');
  await rejects(fetchKit('plain', tmp), /^plain is not a kit: no container-lambda-kit\.json\. /);
  const plainTgz = join(tmp, 'plain.tgz');
  execFileSync('tar', ['-czf', plainTgz, '-C', plain, '.']);
  await rejects(fetchKit(plainTgz, tmp), /plain\.tgz is not a kit: no container-lambda-kit\.json/);
  // A sibling of the scratch folder that nothing else makes.
  const gone = `../${basename(tmp)}-gone`;
  await rejects(fetchKit(gone, tmp), new RegExp(`^Kit source \\.\\./${basename(tmp)}-gone not found\\. Pass a kit folder`));
  await rejects(fetchKit('missing.tgz', tmp), /^Kit source missing\.tgz not found/);
  await rejects(fetchKit(join(plain, 'README.md'), tmp), /is neither a folder nor a \.tgz file/);

  const broken = join(tmp, 'broken-kit');
  makeKit(broken);
  symlinkSync(join(tmp, 'nowhere'), join(broken, 'templates', 'project', 'dangling.md'));
  await rejects(fetchKit(broken, tmp), /^Cannot fetch kit .*broken-kit: ENOENT on .*dangling\.md\. Check that the kit can be read/);

  const evil = join(tmp, 'evil');
  cpSync(kit, evil, { recursive: true });
  symlinkSync('/etc/passwd', join(evil, 'templates', 'project', 'leak.txt'));
  const evilTgz = join(tmp, 'evil.tgz');
  execFileSync('tar', ['-czf', evilTgz, '-C', evil, '.']);
  await rejects(fetchKit(evilTgz, tmp), /has links that lead outside it \(templates\/project\/leak\.txt\)/);

  assert.equal(kitsEntries(), before);
  assert.not.ok(kitsEntries().some((name) => name.startsWith('.tmp-')), 'no staging folder left');
});

t.run();
