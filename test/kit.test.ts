// Org starter kits through the real CLI: the example kit's defaults, mirrors, tags, boundary, VPC,
// prompts and templates in new and add; refusals that write nothing; the same kit from a folder, a
// tarball and a git repository; extends; generators only when trusted; check.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { REPO, fingerprint, readTree, runCli, scratch } from './helpers/cli.ts';
import { compareSnapshot, renderTree } from './helpers/snapshot.ts';
import { validateProject } from './helpers/validate.ts';
import { cfnTags } from '../src/sam/cfn-tags.ts';

const t = suite('kit');
const ACME = join(REPO, 'examples/kits/acme');
const PAYMENTS = join(REPO, 'test/fixtures/kits/acme-payments');
const quiet = ['--no-git', '--no-install'];
const MIRROR = '123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-public/';
const TAG_KEYS = ['acme:cost-center', 'acme:team', 'acme:managed-by'];

type Json = Record<string, any>;
const template = (dir: string): Json => parseDocument(readFileSync(join(dir, 'template.yaml'), 'utf8'), { customTags: cfnTags }).toJSON();

/** Each run gets its own kit cache, so no test depends on another's. */
function withCache(dir: string): NodeJS.ProcessEnv {
  return { CREATE_CONTAINER_LAMBDA_CACHE: join(dir, 'cache') };
}

/** Every resource's tag keys (Tags as a list or map, plus Globals' for functions). */
function tagKeys(doc: Json): Map<string, string[]> {
  const globalTags = Object.keys(doc.Globals?.Function?.Tags ?? {});
  const out = new Map<string, string[]>();
  for (const [id, r] of Object.entries<Json>(doc.Resources)) {
    const tags = r.Properties?.Tags;
    const own = Array.isArray(tags) ? tags.map((x: Json) => x.Key) : Object.keys(tags ?? {});
    out.set(id, r.Type === 'AWS::Serverless::Function' ? [...own, ...globalTags] : own);
  }
  return out;
}

t('new --kit acme: mirrors, tags, boundary, VPC, prompt answers and the override; cfn-lint and the SAM schema clean; check passes', async () => {
  const { dir, remove } = scratch('kit-new');
  try {
    const env = withCache(dir);
    const r = runCli(['app', '--yes', '--kit', ACME, '--cost-center', 'CC-1234', '--event', 'sqs,s3', ...quiet], dir, env);
    assert.is(r.status, 0, r.stderr);
    const app = join(dir, 'app');
    const doc = template(app);
    // Defaults: arm64, tracing, 1024 MB, 90 days.
    assert.equal(doc.Resources.HelloFunction.Properties.Architectures, ['arm64']);
    assert.is(doc.Globals.Function.Tracing, 'Active');
    assert.is(doc.Globals.Function.MemorySize, 1024);
    assert.is(doc.Resources.HelloFunctionLogGroup.Properties.RetentionInDays, 90);
    // Every taggable resource has every tag; the prompts' answers are in them.
    const taggable = ['AWS::Serverless::Function', 'AWS::IAM::Role', 'AWS::Logs::LogGroup', 'AWS::SQS::Queue', 'AWS::S3::Bucket', 'AWS::CloudWatch::Alarm'];
    for (const [id, keys] of tagKeys(doc)) {
      if (taggable.includes(doc.Resources[id].Type)) assert.equal(keys.sort(), [...TAG_KEYS].sort(), id);
    }
    assert.is(doc.Globals.Function.Tags['acme:cost-center'], 'CC-1234');
    assert.is(doc.Globals.Function.Tags['acme:team'], 'platform');
    // Boundary on the role and in Globals, VPC from the parameters.
    assert.equal(doc.Resources.HelloFunctionRole.Properties.PermissionsBoundary, doc.Globals.Function.PermissionsBoundary);
    assert.match(JSON.stringify(doc.Globals.Function.PermissionsBoundary), 'acme-workload-boundary');
    assert.equal(doc.Globals.Function.VpcConfig, { SecurityGroupIds: 'FunctionSecurityGroupIds', SubnetIds: 'PrivateSubnetIds' });
    assert.ok(doc.Parameters.PrivateSubnetIds && doc.Parameters.FunctionSecurityGroupIds);
    assert.ok(doc.Resources.HelloFunctionRole.Properties.Policies.some((p: Json) => p.PolicyName === 'ManageVpcNetworkInterfaces'));
    // Every Dockerfile stage builds from the mirror.
    const dockerfile = readFileSync(join(app, 'functions/hello-function/Dockerfile'), 'utf8');
    assert.match(dockerfile, `ARG BASE_IMAGE=${MIRROR}lambda/python:3.13`);
    assert.not.match(dockerfile, 'public.ecr.aws');
    // templates/: one file replaced, one added (with a prompt's answer).
    assert.match(readFileSync(join(app, '.gitignore'), 'utf8'), '# Acme: credentials');
    assert.match(readFileSync(join(app, 'CODEOWNERS'), 'utf8'), '* @acme/platform');
    // Recorded: the kit and the answers.
    const config = JSON.parse(readFileSync(join(app, '.create-container-lambda.json'), 'utf8'));
    assert.is(config.kit.name, '@acme/lambda-kit');
    assert.is(config.kit.version, '1.2.0');
    assert.match(config.kit.integrity, /^sha512-/);
    assert.equal(config.kitAnswers, { 'cost-center': 'CC-1234', team: 'platform' });
    assert.equal((await validateProject([app])).get(app), []);
    const check = runCli(['check'], app, env);
    assert.is(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, "follows kit @acme/lambda-kit 1.2.0's 7 rules");
  } finally {
    remove();
  }
});

t('add in a kit project applies the recorded kit without --kit; check fails after a tag is deleted by hand', async () => {
  const { dir, remove } = scratch('kit-add');
  try {
    const env = withCache(dir);
    assert.is(runCli(['app', '--yes', '--kit', ACME, ...quiet], dir, env).status, 0);
    const app = join(dir, 'app');
    const r = runCli(['add', 'Second', '--yes', '--event', 's3', '--no-install'], app, env);
    assert.is(r.status, 0, r.stderr);
    const doc = template(app);
    assert.equal(doc.Resources.Second.Properties.Architectures, ['arm64']);
    assert.equal(tagKeys(doc).get('SecondBucket')?.sort(), [...TAG_KEYS].sort());
    assert.match(JSON.stringify(doc.Resources.SecondRole.Properties.PermissionsBoundary), 'acme-workload-boundary');
    assert.match(readFileSync(join(app, 'functions/second/Dockerfile'), 'utf8'), `${MIRROR}lambda/python:3.13`);
    assert.equal((await validateProject([app])).get(app), []);
    assert.is(runCli(['check'], app, env).status, 0);
    // A tag deleted by hand: one violation, at its line.
    const path = join(app, 'template.yaml');
    const text = readFileSync(path, 'utf8');
    const edited = text.replace(/(  SecondBucket:[\s\S]*?)\n\s+- Key: acme:team\n\s+Value: platform(?=\n)/, '$1');
    assert.ok(edited !== text);
    writeFileSync(path, edited);
    const check = runCli(['check'], app, env);
    assert.is(check.status, 1);
    const lines = check.stdout.trim().split('\n');
    assert.is(lines.length, 1, check.stdout);
    const [, line] = /^template\.yaml:(\d+): required-tags: .*SecondBucket.*acme:team/.exec(lines[0]!) ?? [];
    assert.ok(line, lines[0]);
    assert.match(edited.split('\n')[Number(line) - 1]!, /SecondBucket:|Tags:/);
  } finally {
    remove();
  }
});

t('a runtime, architecture or event the kit does not allow fails with one line naming the kit, and writes nothing', () => {
  const { dir, remove } = scratch('kit-refuse');
  try {
    const env = withCache(dir);
    const before = fingerprint(dir);
    for (const [flag, value, allowed] of [
      ['--runtime', 'java21', 'python3.13, nodejs22.x, provided.al2023'],
      ['--arch', 'x86_64', 'arm64'],
      ['--event', 'kinesis', 'api'],
      ['--cost-center', 'twelve', '^CC-[0-9]{4}$'],
    ]) {
      const r = runCli(['app', '--yes', '--kit', ACME, flag!, value!, ...quiet], dir, env);
      assert.is(r.status, 1, `${flag} ${value}`);
      const lines = r.stderr.trim().split('\n');
      assert.is(lines.length, 1, r.stderr);
      assert.match(lines[0]!, value!);
      assert.match(lines[0]!, allowed!);
      assert.not.ok(existsSync(join(dir, 'app')));
    }
    assert.is(fingerprint(dir).replace(/^cache.*\n?/gm, ''), before);
    // add inside a kit project refuses the same way, leaving the project as it was.
    assert.is(runCli(['app', '--yes', '--kit', ACME, ...quiet], dir, env).status, 0);
    const app = join(dir, 'app');
    const project = fingerprint(app);
    const r = runCli(['add', 'Other', '--yes', '--runtime', 'ruby3.4', '--no-install'], app, env);
    assert.is(r.status, 1);
    assert.match(r.stderr, /^error: Kit @acme\/lambda-kit does not allow runtime ruby3\.4\. Pass --runtime one of python3\.13, nodejs22\.x, provided\.al2023\n$/);
    assert.is(fingerprint(app), project);
  } finally {
    remove();
  }
});

t('add reuses the kit from the cache when its source is gone; a changed or missing source is one line, never a fallback', () => {
  const { dir, remove } = scratch('kit-recorded');
  try {
    const env = withCache(dir);
    const kit = join(dir, 'kit');
    cpSync(ACME, kit, { recursive: true });
    assert.is(runCli(['app', '--yes', '--kit', 'kit', ...quiet], dir, env).status, 0);
    const app = join(dir, 'app');
    assert.is(JSON.parse(readFileSync(join(app, '.create-container-lambda.json'), 'utf8')).kit.source, '../kit');
    // Offline from the cache: the source folder may go away.
    rmSync(kit, { recursive: true });
    assert.is(runCli(['add', 'Second', '--yes', '--no-install'], app, env).status, 0);
    // Without the cache, a missing source is an error.
    rmSync(join(dir, 'cache'), { recursive: true });
    const project = fingerprint(app);
    const missing = runCli(['add', 'Third', '--yes', '--no-install'], app, env);
    assert.is(missing.status, 1);
    assert.match(missing.stderr, /^error: Kit source \.\.\/kit not found, and kit sha512-.{12} is not in the cache\. .*\n$/);
    // A source that changed since: an error naming both integrities.
    cpSync(ACME, kit, { recursive: true });
    writeFileSync(join(kit, 'templates/project/CODEOWNERS.hbs'), '* @acme/everyone\n');
    const changed = runCli(['add', 'Third', '--yes', '--no-install'], app, env);
    assert.is(changed.status, 1);
    assert.match(changed.stderr, /^error: Kit source \.\.\/kit changed: the project recorded sha512-.{12}, it is now sha512-.{12}\. .*\n$/);
    assert.is(fingerprint(app), project);
  } finally {
    remove();
  }
});

t('--help inside a kit project shows what the kit allows and its prompts', () => {
  const { dir, remove } = scratch('kit-help');
  try {
    const env = withCache(dir);
    assert.is(runCli(['app', '--yes', '--kit', ACME, ...quiet], dir, env).status, 0);
    const r = runCli(['add', '--help'], join(dir, 'app'), env);
    assert.is(r.status, 0);
    assert.match(r.stdout, /Kit @acme\/lambda-kit 1\.2\.0 .*allows:/);
    assert.match(r.stdout, /--runtime\s+python3\.13, nodejs22\.x, provided\.al2023/);
    assert.match(r.stdout, /--arch\s+arm64/);
    assert.match(r.stdout, /--cost-center <value>\s+Cost center/);
  } finally {
    remove();
  }
});

/** A project's tree, the kit's source and integrity in its configuration left out (they name where it came from). */
function treeWithoutSource(dir: string): string {
  const tree = readTree(dir);
  const config = tree.get('.create-container-lambda.json')!;
  const parsed = JSON.parse(config.content);
  parsed.kit.source = '<source>';
  parsed.kit.integrity = '<integrity>';
  tree.set('.create-container-lambda.json', { ...config, content: `${JSON.stringify(parsed, null, 2)}\n` });
  return renderTree('new --kit acme --yes (folder, tarball or git)', tree);
}

t('the same kit from a folder, an npm-packed tarball and a local git repository gives the same tree (snapshot)', () => {
  const { dir, remove } = scratch('kit-sources');
  try {
    const env = withCache(dir);
    const git = (args: string[], cwd: string) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, stdio: 'pipe' });
    // The tarball npm would publish.
    const packed = JSON.parse(execFileSync('npm', ['pack', ACME, '--json', '--ignore-scripts', '--pack-destination', dir], { encoding: 'utf8', cwd: dir }))[0];
    // A bare repository holding the kit at tag v1.2.0.
    const work = join(dir, 'kit-work');
    cpSync(ACME, work, { recursive: true });
    git(['init', '-q', '-b', 'main'], work);
    git(['add', '.'], work);
    git(['commit', '-qm', 'kit'], work);
    git(['tag', 'v1.2.0'], work);
    git(['clone', '-q', '--bare', work, join(dir, 'kit.git')], dir);
    const specs = [ACME, join(dir, packed.filename), `git+file://${join(dir, 'kit.git')}#v1.2.0`];
    const trees = specs.map((spec, i) => {
      const name = `app${i}`;
      const r = runCli([name, '--yes', '--kit', spec, '--name', 'app', ...quiet], dir, env);
      assert.is(r.status, 0, `${spec}: ${r.stderr}`);
      return treeWithoutSource(join(dir, name));
    });
    assert.is(trees[1], trees[0], 'tarball');
    assert.is(trees[2], trees[0], 'git');
    const failure = compareSnapshot('kit-acme-python3.13-arm64', trees[0]!);
    assert.not.ok(failure, failure);
    // What each recorded: a relative folder, the tarball's sha512 (npm's own integrity), the commit.
    const record = (i: number) => JSON.parse(readFileSync(join(dir, `app${i}`, '.create-container-lambda.json'), 'utf8')).kit;
    assert.is(record(1).integrity, packed.integrity);
    assert.is(record(2).integrity, git(['rev-parse', 'v1.2.0'], work).toString().trim());
    assert.is(record(2).source, specs[2]);
  } finally {
    remove();
  }
});

t('a kit that extends another gets both; its generators run only with --trust-kit, which is recorded for add', async () => {
  const { dir, remove } = scratch('kit-extends');
  try {
    const env = withCache(dir);
    const untrusted = runCli(['app', '--yes', '--kit', PAYMENTS, ...quiet], dir, env);
    assert.is(untrusted.status, 1);
    assert.match(untrusted.stderr, /^error: Kit @acme\/payments-kit has generators\/ .*--trust-kit/);
    assert.not.ok(existsSync(join(dir, 'app')));
    const r = runCli(['app', '--yes', '--kit', PAYMENTS, '--trust-kit', ...quiet], dir, env);
    assert.is(r.status, 0, r.stderr);
    const app = join(dir, 'app');
    const doc = template(app);
    // Its own tag and prompt, and everything of acme's.
    assert.equal(Object.keys(doc.Globals.Function.Tags).sort(), [...TAG_KEYS, 'acme:pci-scope'].sort());
    assert.is(doc.Globals.Function.Tags['acme:team'], 'payments');
    assert.ok(doc.Resources.HelloFunction.Properties.Events.Api, 'its default event (api)');
    assert.match(readFileSync(join(app, 'functions/hello-function/Dockerfile'), 'utf8'), MIRROR);
    assert.match(readFileSync(join(app, 'CODEOWNERS'), 'utf8'), '@acme/payments');
    assert.match(readFileSync(join(app, 'catalog-info.yaml'), 'utf8'), /name: app\n[\s\S]*owner: payments/);
    const config = JSON.parse(readFileSync(join(app, '.create-container-lambda.json'), 'utf8'));
    assert.is(config.kit.extends[0].name, '@acme/lambda-kit');
    assert.is(config.kit.trusted, true);
    assert.equal((await validateProject([app])).get(app), []);
    const add = runCli(['add', 'Second', '--yes', '--no-install'], app, env);
    assert.is(add.status, 0, add.stderr);
  } finally {
    remove();
  }
});

t('add --kit in a repository this tool did not generate applies the kit to what it adds', async () => {
  const { dir, remove } = scratch('kit-foreign');
  try {
    const env = withCache(dir);
    const project = join(dir, 'project');
    cpSync(join(REPO, 'test/fixtures/sam/03-sam-init-hello-world'), project, { recursive: true });
    const before = readFileSync(join(project, 'template.yaml'), 'utf8');
    const r = runCli(['add', 'Orders', '--yes', '--kit', ACME, '--event', 'sqs', '--no-install'], project, env);
    assert.is(r.status, 0, r.stderr);
    const after = readFileSync(join(project, 'template.yaml'), 'utf8');
    // Text added only: every byte of the template as it was is still there, in order.
    let at = 0;
    for (const line of before.split('\n')) {
      at = after.indexOf(line, at);
      assert.ok(at >= 0, `lost: ${line}`);
    }
    const doc = template(project);
    const fn = doc.Resources.Orders.Properties;
    assert.equal(Object.keys(fn.Tags).sort(), [...TAG_KEYS].sort());
    assert.is(fn.PropagateTags, true);
    assert.equal(fn.VpcConfig, { SecurityGroupIds: 'FunctionSecurityGroupIds', SubnetIds: 'PrivateSubnetIds' });
    assert.equal(fn.EphemeralStorage, { Size: 1024 });
    assert.ok(doc.Parameters.PrivateSubnetIds);
    assert.match(JSON.stringify(doc.Resources.OrdersRole.Properties.PermissionsBoundary), 'acme-workload-boundary');
    assert.match(readFileSync(join(project, 'functions/orders/Dockerfile'), 'utf8'), MIRROR);
    assert.equal((await validateProject([project])).get(project)?.filter((p) => !p.includes('HelloWorld')), []);
  } finally {
    remove();
  }
});

t('kit new writes a kit that kit check and kit test pass', () => {
  const { dir, remove } = scratch('kit-author');
  try {
    const env = withCache(dir);
    const made = runCli(['kit', 'new', 'platform-kit'], dir, env);
    assert.is(made.status, 0, made.stderr);
    const kit = join(dir, 'platform-kit');
    for (const file of ['container-lambda-kit.json', 'package.json', 'README.md', 'templates/project/CODEOWNERS.hbs', 'templates/project/dot_gitignore', 'generators/plopfile.js']) {
      assert.ok(existsSync(join(kit, file)), file);
    }
    assert.match(JSON.parse(readFileSync(join(kit, 'package.json'), 'utf8')).scripts.test, 'kit test');
    const check = runCli(['kit', 'check', 'platform-kit'], dir, env);
    assert.is(check.status, 0, check.stdout + check.stderr);
    const tested = runCli(['kit', 'test', 'platform-kit'], dir, env);
    assert.is(tested.status, 0, tested.stdout + tested.stderr);
    assert.match(tested.stdout, /kit test: 12 projects \(3 runtime variants x 4 event kinds, arm64\)/);
    assert.match(tested.stdout, 'every project is clean');
    // kit test fails on what it finds: a rule the kit's own output breaks.
    const manifest = JSON.parse(readFileSync(join(kit, 'container-lambda-kit.json'), 'utf8'));
    manifest.rules.requiredTags = ['team', 'data-class'];
    writeFileSync(join(kit, 'container-lambda-kit.json'), JSON.stringify(manifest, null, 2));
    const failing = runCli(['kit', 'test', 'platform-kit'], dir, env);
    assert.is(failing.status, 1);
    assert.match(failing.stdout, /\[rules\] template\.yaml:\d+: required-tags: .*data-class/);
    assert.is(runCli(['kit', 'new', 'platform-kit'], dir, env).status, 1, 'a folder that is not empty');
  } finally {
    remove();
  }
});

t('kit check: each malformed manifest gets one line naming the file and the field', () => {
  const { dir, remove } = scratch('kit-check');
  try {
    const base = { name: 'k', version: '1.0.0' };
    const cases: [object, string, RegExp][] = [
      [{ ...base, colour: 'red' }, 'colour', /unknown field/],
      [{ ...base, version: 'one' }, 'version', /does not match/],
      [{ ...base, tags: { team: 7 } }, 'tags.team', /must be string/],
      [{ ...base, allow: { runtimes: ['python3.13', 'pyhton3.12'] } }, 'allow.runtimes[1]', /not a runtime; did you mean python3\.12/],
      [{ ...base, allow: { architectures: ['x86'] } }, 'allow.architectures[0]', /must be one of "x86_64", "arm64"/],
      [{ ...base, defaults: { event: ['sqs', 'sqq'] } }, 'defaults.event[1]', /not an event kind; did you mean sqs/],
      [{ ...base, prompts: [{ name: 'runtime', type: 'input', message: 'x' }] }, 'prompts[0].name', /built-in flag/],
      [{ ...base, vpc: { subnetIds: 'subnet-1', securityGroupIds: ['sg-1'] } }, 'vpc.subnetIds', /must be array or object/],
    ];
    for (const [i, [manifest, field, message]] of cases.entries()) {
      const kit = join(dir, `k${i}`);
      cpSync(join(REPO, 'test/fixtures/kits/empty'), kit, { recursive: true });
      writeFileSync(join(kit, 'container-lambda-kit.json'), JSON.stringify(manifest));
      const r = runCli(['kit', 'check', `k${i}`], dir);
      assert.is(r.status, 1, field);
      const lines = r.stdout.trim().split('\n');
      assert.is(lines.length, 1, r.stdout);
      assert.ok(lines[0]!.startsWith(`k${i}/container-lambda-kit.json: ${field}: `), lines[0]);
      assert.match(lines[0]!, message);
    }
    // A template override that matches no built-in folder names the file.
    const kit = join(dir, 'typo');
    cpSync(join(REPO, 'test/fixtures/kits/empty'), kit, { recursive: true });
    mkdirSync(join(kit, 'templates/functions/pyton'), { recursive: true });
    writeFileSync(join(kit, 'templates/functions/pyton/Dockerfile.hbs'), 'FROM scratch\n');
    const r = runCli(['kit', 'check', 'typo'], dir);
    assert.is(r.status, 1);
    assert.match(r.stdout, /^typo\/templates\/functions\/pyton\/Dockerfile\.hbs: matches no built-in template folder; did you mean templates\/functions\/python\//);
    // new with a malformed kit: one line, pointing at kit check.
    const bad = runCli(['app', '--yes', '--kit', join(dir, 'k0'), ...quiet], dir, withCache(dir));
    assert.is(bad.status, 1);
    assert.match(bad.stderr, /^error: Kit .*colour: unknown field\. .*kit check/);
  } finally {
    remove();
  }
});

t.run();
