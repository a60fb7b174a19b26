// scripts/ecr-setup.sh against moto_server with the real AWS CLI: it creates the repositories with
// their settings, reconciles one made by hand, merges its scanning rule into the registry's, writes
// image_repositories into samconfig.toml, changes nothing on a second run or with --dry-run, and
// fails with one line without aws, without credentials, or without an endpoint. ecr.yaml passes
// cfn-lint, the scripts shellcheck. In CI a missing moto_server or aws fails the suite.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync, readdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { parse } from 'smol-toml';
import { fingerprint, runCli, scratch } from './helpers/cli.ts';
import { lintTemplates, requireTool, shellcheck } from './helpers/validate.ts';

const t = suite('ecr');
const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

interface Run { code: number; stdout: string; stderr: string }

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<Run> {
  return new Promise((done) => {
    execFile(cmd, args, { env, cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1', () => (socket.end(), done(true)));
      socket.once('error', () => done(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not listen on ${port} within ${ms} ms`);
}

/** The environment every AWS CLI call runs with: dummy credentials, no user configuration. */
function awsEnv(dir: string, endpoint: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('AWS_')) delete env[key];
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_DEFAULT_REGION: REGION,
    AWS_ENDPOINT_URL: endpoint,
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
  };
}

/** PATH without any folder that holds an `aws` executable. */
function pathWithoutAws(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => {
      try {
        accessSync(join(dir, 'aws'), constants.X_OK);
        return false;
      } catch {
        return true;
      }
    })
    .join(delimiter);
}

/** moto_server on a free port, the AWS CLI's environment for it, and `aws` returning parsed JSON (asserting success). */
async function startMoto(dir: string) {
  const port = await freePort();
  const moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  await waitForPort(port, 15_000);
  const env = awsEnv(dir, `http://127.0.0.1:${port}`);
  const aws = async (...args: string[]) => {
    const r = await run('aws', [...args, '--endpoint-url', env.AWS_ENDPOINT_URL!, '--output', 'json'], env);
    assert.is(r.code, 0, `aws ${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout || '{}') as Record<string, any>;
  };
  return { moto, env, aws };
}

const LIFECYCLE = (keep: number) => ({
  rules: [
    { rulePriority: 1, description: 'Expire untagged images after 1 day', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } },
    { rulePriority: 2, description: `Keep the last ${keep} tagged images`, selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: keep }, action: { type: 'expire' } },
  ],
});

t('ecr-setup.sh against moto: creates, reconciles, merges the scanning rule, writes samconfig.toml; a second run and --dry-run change nothing; failures are one line', async () => {
  const generated = scratch('ecr');
  let moto: ChildProcess | undefined;
  try {
    // The project first: ecr.yaml and the scripts are checked even where moto is missing.
    const dir = generated.dir;
    assert.is(runCli(['app', '--yes', '--no-git', '--no-install', '--ecr', 'cloudformation'], dir).status, 0);
    const project = join(dir, 'app');
    const added = runCli(['add', 'OrdersFunction', '--runtime', 'python3.13', '--arch', 'arm64', '--yes', '--no-install'], project);
    assert.is(added.status, 0, added.stderr);
    const scripts = readdirSync(join(project, 'scripts')).filter((f) => f.endsWith('.sh')).map((f) => join(project, 'scripts', f));
    assert.equal([...(await shellcheck(scripts)).values()].flat(), []);
    assert.equal((await lintTemplates([join(project, 'ecr.yaml')])).get(join(project, 'ecr.yaml')), []);

    if (!(await requireTool('moto_server')) || !(await requireTool('aws'))) return;
    const started = await startMoto(dir);
    moto = started.moto;
    const { env, aws } = started;
    const setup = (args: string[], extra: NodeJS.ProcessEnv = {}) => run(join(project, 'scripts/ecr-setup.sh'), args, { ...env, ...extra }, project);

    // Another project's scanning rule, and a repository made by hand with other settings.
    await Promise.all([
      aws('ecr', 'put-registry-scanning-configuration', '--scan-type', 'BASIC', '--rules', JSON.stringify([{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'other/*', filterType: 'WILDCARD' }] }])),
      aws('ecr', 'create-repository', '--repository-name', 'app/orders-function', '--image-tag-mutability', 'MUTABLE', '--encryption-configuration', 'encryptionType=KMS'),
    ]);
    const samconfig = join(project, 'samconfig.toml');
    const original = readFileSync(samconfig, 'utf8');

    // --dry-run: the calls it would make, and nothing changes.
    const before = fingerprint(project);
    const dry = await setup(['--dry-run']);
    assert.is(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^would run: aws ecr create-repository --repository-name app\/hello-function /m);
    assert.match(dry.stdout, /^would run: aws ecr put-image-tag-mutability --repository-name app\/orders-function /m);
    assert.is(fingerprint(project), before);
    assert.equal((await aws('ecr', 'describe-repositories')).repositories.map((r: any) => r.repositoryName), ['app/orders-function']);

    // The first run.
    const first = await setup([]);
    assert.is(first.code, 0, first.stderr);
    assert.match(first.stdout, /^created: \S+\/app\/hello-function$/m);
    assert.match(first.stdout, /^updated: \S+\/app\/orders-function \(tag mutability was MUTABLE, scan on push, lifecycle policy\)$/m);
    assert.match(first.stderr, /^warning: app\/orders-function is encrypted with KMS \(arn:aws:kms:[^)]+\), not AES256: .*creation only/m);
    const uri = (folder: string) => `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/app/${folder}`;
    const [described, scanned, ...policies] = await Promise.all([
      aws('ecr', 'describe-repositories', '--repository-names', 'app/hello-function', 'app/orders-function'),
      aws('ecr', 'get-registry-scanning-configuration'),
      aws('ecr', 'get-lifecycle-policy', '--repository-name', 'app/hello-function'),
      aws('ecr', 'get-lifecycle-policy', '--repository-name', 'app/orders-function'),
    ]);
    for (const [i, [id, folder]] of [['HelloFunction', 'hello-function'], ['OrdersFunction', 'orders-function']].entries()) {
      const repo = described.repositories.find((r: any) => r.repositoryName === `app/${folder}`);
      assert.is(repo.repositoryUri, uri(folder!));
      assert.is(repo.imageTagMutability, 'IMMUTABLE_WITH_EXCLUSION');
      assert.equal(repo.imageTagMutabilityExclusionFilters, [{ filterType: 'WILDCARD', filter: `${id!.toLowerCase()}-*` }]);
      assert.is(repo.imageScanningConfiguration.scanOnPush, true);
      assert.is(repo.encryptionConfiguration.encryptionType, folder === 'hello-function' ? 'AES256' : 'KMS');
      assert.equal(JSON.parse(policies[i]!.lifecyclePolicyText), LIFECYCLE(20));
    }
    const scanning = scanned.scanningConfiguration;
    assert.equal(scanning, { scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'other/*', filterType: 'WILDCARD' }, { filter: 'app/*', filterType: 'WILDCARD' }] }] });

    // samconfig.toml: the one line replaced, valid TOML.
    const written = readFileSync(samconfig, 'utf8');
    const line = `image_repositories = ["HelloFunction=${uri('hello-function')}", "OrdersFunction=${uri('orders-function')}"]`;
    const deploySection = original.indexOf('[default.deploy.parameters]');
    const at = original.indexOf('resolve_image_repos = true\n', deploySection);
    assert.is(written, original.slice(0, at) + line + original.slice(at + 'resolve_image_repos = true'.length));
    const toml = parse(written) as any;
    assert.equal(toml.default.deploy.parameters.image_repositories, [`HelloFunction=${uri('hello-function')}`, `OrdersFunction=${uri('orders-function')}`]);
    assert.is(toml.default.deploy.parameters.resolve_image_repos, undefined);

    // The second run changes nothing.
    const settled = fingerprint(project);
    const second = await setup([]);
    assert.is(second.code, 0, second.stderr);
    assert.not.match(second.stdout, /updated|created|would/);
    assert.is((second.stdout.match(/^unchanged: /gm) ?? []).length, 4, second.stdout);
    assert.is(fingerprint(project), settled);

    // Failures: one line, non-zero, nothing written.
    const closed = await freePort();
    const [noAws, noCredentials, unreachable] = await Promise.all([
      setup([], { PATH: pathWithoutAws() }),
      setup([], { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }),
      setup([], { AWS_ENDPOINT_URL: `http://127.0.0.1:${closed}` }),
    ]);
    for (const [r, says] of [
      [noAws, /^ecr-setup: error: the AWS CLI \(aws\) is not on PATH/],
      [noCredentials, /^ecr-setup: error: no usable AWS credentials/],
      [unreachable, /^ecr-setup: error: cannot reach http:\/\/127\.0\.0\.1:\d+ /],
    ] as const) {
      assert.is.not(r.code, 0, r.stdout);
      assert.match(r.stderr, says);
      assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    assert.is(fingerprint(project), settled);
  } finally {
    moto?.kill();
    generated.remove();
  }
});

t('ecr-setup.sh in a kit project: the kit\'s tags on the repositories it creates, added to one made by hand, then nothing to change', async () => {
  const generated = scratch('ecr-kit');
  let moto: ChildProcess | undefined;
  try {
    const dir = generated.dir;
    const kit = join(import.meta.dirname, 'fixtures/update/kit');
    assert.is(runCli(['app', '--yes', '--no-git', '--no-install', '--kit', kit], dir).status, 0);
    const project = join(dir, 'app');
    assert.is(runCli(['add', 'OrdersFunction', '--runtime', 'python3.13', '--yes', '--no-install'], project).status, 0);
    assert.equal([...(await shellcheck([join(project, 'scripts/ecr-setup.sh')])).values()].flat(), []);

    if (!(await requireTool('moto_server')) || !(await requireTool('aws'))) return;
    const started = await startMoto(dir);
    moto = started.moto;
    const { env, aws } = started;
    const setup = (args: string[]) => run(join(project, 'scripts/ecr-setup.sh'), args, env, project);
    // A repository made by hand, with a tag of its own and without the kit's.
    await aws('ecr', 'create-repository', '--repository-name', 'app/orders-function', '--tags', 'Key=owner,Value=me');

    const dry = await setup(['--dry-run']);
    assert.is(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^would run: aws ecr create-repository --repository-name app\/hello-function .* --tags '\[\{"Key":"example:team","Value":"platform"\}\]' /m);
    assert.match(dry.stdout, /^would run: aws ecr tag-resource --resource-arn arn:aws:ecr:us-east-1:123456789012:repository\/app\/orders-function --tags /m);

    const first = await setup([]);
    assert.is(first.code, 0, first.stderr);
    assert.match(first.stdout, /^created: \S+\/app\/hello-function$/m);
    assert.match(first.stdout, /^updated: \S+\/app\/orders-function \(.*\btags\)$/m);
    const tagsOf = async (name: string) => {
      const arn = (await aws('ecr', 'describe-repositories', '--repository-names', name)).repositories[0].repositoryArn;
      return ((await aws('ecr', 'list-tags-for-resource', '--resource-arn', arn)).tags as { Key: string; Value: string }[]).sort((a, b) => a.Key.localeCompare(b.Key));
    };
    assert.equal(await tagsOf('app/hello-function'), [{ Key: 'example:team', Value: 'platform' }]);
    assert.equal(await tagsOf('app/orders-function'), [{ Key: 'example:team', Value: 'platform' }, { Key: 'owner', Value: 'me' }]);

    const second = await setup([]);
    assert.is(second.code, 0, second.stderr);
    assert.not.match(second.stdout, /updated|created|would/);
  } finally {
    moto?.kill();
    generated.remove();
  }
});

t.run();
