// The generated delivery scripts (scripts/build-and-push.sh, scripts/local-invoke.sh) with recording
// stubs of docker, finch, podman, aws and curl on PATH (helpers/engine-stubs.ts): the exact build, login
// and push commands each engine gets, the ECR login through standard input only, tags from the commit,
// existing tags left alone, and one clear line with a non-zero exit for each missing tool. The same
// scripts run for real with podman and a local registry in `npm run test:delivery` (test/delivery/).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratch } from './helpers/cli.ts';
import { ACCOUNT, DIGEST, makeStubs, REGION, TOKEN } from './helpers/engine-stubs.ts';
import { validateProject } from './helpers/validate.ts';

const t = suite('delivery scripts');
const work = scratch('delivery-scripts');
const project = join(work.dir, 'demo');
const stubs = makeStubs(work.dir);
const REGISTRY = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
const REPO = `${REGISTRY}/demo/hello-function`;
let commit = '';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  calls: string[];
}

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}, path?: string): Run {
  stubs.reset();
  const e = stubs.env(env);
  if (path !== undefined) e.PATH = path;
  const r = spawnSync(join(project, 'scripts', script), args, { cwd: project, env: e, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, calls: stubs.calls() };
}

const git = (...args: string[]) => spawnSync('git', ['-C', project, ...args], { encoding: 'utf8' });

/** One line on stderr, starting with "error:", and a non-zero exit. */
function refused(r: Run, pattern: RegExp): void {
  const lines = r.stderr.trim().split('\n');
  assert.ok(r.code !== 0, `exit ${r.code}`);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^error: /);
  assert.match(lines[0]!, pattern);
}

t.before(() => {
  const r = runCli(['demo', '--runtime', 'python3.13', '--event', 'api,sqs', '--yes', '--no-install'], work.dir);
  assert.is(r.status, 0, r.stderr);
  commit = git('rev-parse', '--short=12', 'HEAD').stdout.trim();
  assert.match(commit, /^[0-9a-f]{12}$/);
});
t.after(() => work.remove());

t('the scripts are shellcheck clean (project.sh, engine.sh, build-and-push.sh, local-invoke.sh)', async () => {
  const problems = (await validateProject([project])).get(project)!.filter((p) => p.startsWith('scripts/'));
  assert.equal(problems, []);
  assert.equal(readFileSync(join(project, 'scripts/project.sh'), 'utf8').match(/"HelloFunction:hello-function:x86_64"/)?.length, 1);
});

t('--help', () => {
  const r = run('build-and-push.sh', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /^Usage: scripts\/build-and-push.sh/);
  assert.equal(r.calls, []);
  const l = run('local-invoke.sh', ['--help']);
  assert.is(l.code, 0);
  assert.match(l.stdout, /^Usage: scripts\/local-invoke.sh <Function>/);
});

t('docker: buildx for one platform without attestations, ECR login on stdin, push, digest printed', () => {
  const r = run('build-and-push.sh', []);
  assert.is(r.code, 0, r.stderr);
  const image = `${REPO}:sha-${commit}`;
  assert.equal(r.stdout, `HelloFunction ${REPO}@${DIGEST}\n`);
  const engine = r.calls.filter((c) => c.startsWith('docker ') && !/^docker (--version|buildx version|info)$/.test(c));
  assert.equal(engine, [
    `docker buildx build --platform linux/amd64 --provenance=false --sbom=false --load --tag ${image} ${project}/functions/hello-function`,
    `docker login --username AWS --password-stdin ${REGISTRY}`,
    `docker push ${image}`,
  ]);
  assert.ok(r.calls.includes(`stdin:${TOKEN}`), 'the password goes to login on standard input');
  assert.ok(r.calls.some((c) => c.startsWith('aws ecr get-login-password --region eu-west-1')));
  assert.ok(!r.calls.some((c) => c.includes(TOKEN) && !c.startsWith('stdin:')), 'the password is in no command line');
  assert.not.match(r.stdout + r.stderr, TOKEN);
  assert.ok(r.calls.some((c) => c === `aws ecr describe-images --repository-name demo/hello-function --image-ids imageTag=sha-${commit} --output text --query imageDetails[0].[imageDigest,imageManifestMediaType] --region eu-west-1`), r.calls.join('\n'));
});

t('finch: build with --provenance=false --sbom=false, then push', () => {
  const r = run('build-and-push.sh', ['--region', 'us-west-2'], { CONTAINER_ENGINE: 'finch' });
  assert.is(r.code, 0, r.stderr);
  const registry = `${ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com`;
  const image = `${registry}/demo/hello-function:sha-${commit}`;
  assert.equal(r.calls.filter((c) => c.startsWith('finch ')), [
    `finch build --platform linux/amd64 --provenance=false --sbom=false --tag ${image} ${project}/functions/hello-function`,
    `finch login --username AWS --password-stdin ${registry}`,
    `finch push ${image}`,
  ]);
});

t('podman: no attestation flags, gzip layers, plain HTTP for a local --registry and no ECR login', () => {
  const r = run('build-and-push.sh', ['--registry', '127.0.0.1:5000'], { CONTAINER_ENGINE: 'podman' });
  assert.is(r.code, 0, r.stderr);
  const image = `127.0.0.1:5000/demo/hello-function:sha-${commit}`;
  assert.equal(r.stdout, `HelloFunction 127.0.0.1:5000/demo/hello-function@${DIGEST}\n`);
  assert.equal(r.calls.filter((c) => c.startsWith('podman ')), [
    `podman build --platform linux/amd64 --tag ${image} ${project}/functions/hello-function`,
    `podman push --compression-format gzip --tls-verify=false ${image}`,
  ]);
  const heads = r.calls.filter((c) => c.startsWith('curl '));
  assert.is(heads.length, 2, 'asked before and after the push');
  assert.ok(heads.every((c) => c.endsWith(`http://127.0.0.1:5000/v2/demo/hello-function/manifests/sha-${commit}`) && c.includes('-I ')), heads.join('\n'));
  assert.ok(!r.calls.some((c) => c.startsWith('aws ')), 'no AWS CLI with --registry');
  // REGISTRY= does the same; another host is asked over HTTPS
  const again = run('build-and-push.sh', [], { CONTAINER_ENGINE: 'podman', REGISTRY: 'registry.example.com' });
  assert.is(again.code, 0, again.stderr);
  assert.ok(again.calls.some((c) => c.startsWith('curl ') && c.includes('https://registry.example.com/v2/')));
  assert.ok(again.calls.includes(`podman push --compression-format gzip registry.example.com/demo/hello-function:sha-${commit}`), again.calls.join('\n'));
});

t('arm64 functions build for linux/arm64', () => {
  const path = join(project, 'scripts/project.sh');
  const before = readFileSync(path, 'utf8');
  writeFileSync(path, before.replace(':x86_64"', ':arm64"'));
  git('commit', '--quiet', '-am', 'arm64');
  try {
    const r = run('build-and-push.sh', ['HelloFunction']);
    assert.is(r.code, 0, r.stderr);
    assert.ok(r.calls.some((c) => c.startsWith('docker buildx build --platform linux/arm64 --provenance=false --sbom=false --load ')), r.calls.join('\n'));
  } finally {
    writeFileSync(path, before);
    git('commit', '--quiet', '-am', 'x86_64 again');
    commit = git('rev-parse', '--short=12', 'HEAD').stdout.trim();
  }
});

t('a tag ECR has already is neither built, logged in for nor pushed', () => {
  const r = run('build-and-push.sh', [], { STUB_EXISTING: '1' });
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.stdout, `HelloFunction ${REPO}@${DIGEST}\n`);
  assert.ok(!r.calls.some((c) => /^docker (buildx build|login|push)/.test(c)), r.calls.join('\n'));
  assert.ok(!r.calls.some((c) => c.startsWith('aws ecr get-login-password')));
});

t('an image index in the repository is refused', () => {
  const index = 'application/vnd.oci.image.index.v1+json';
  for (const env of [{ STUB_EXISTING: '1', STUB_MEDIA_TYPE: index }, { STUB_MEDIA_TYPE: index }]) {
    const r = run('build-and-push.sh', [], env);
    assert.is(r.code, 1);
    assert.match(r.stderr.trim().split('\n').at(-1)!, /^error: .* is an image index .*Lambda rejects/);
    assert.is(r.stdout, '');
  }
});

t('a dirty tree is refused; --allow-dirty marks the tag', () => {
  appendFileSync(join(project, 'functions/hello-function/app.py'), '\n# changed\n');
  try {
    const r = run('build-and-push.sh', []);
    refused(r, /uncommitted changes.*--allow-dirty/);
    assert.ok(!r.calls.some((c) => c.startsWith('docker buildx build')));
    const allowed = run('build-and-push.sh', ['--allow-dirty']);
    assert.is(allowed.code, 0, allowed.stderr);
    assert.ok(allowed.calls.some((c) => new RegExp(`^docker push ${REPO}:sha-${commit}-dirty-\\d{8}T\\d{6}Z$`).test(c)), allowed.calls.join('\n'));
  } finally {
    git('checkout', '--', '.');
  }
});

t('missing tools, credentials and repositories: one line, non-zero exit', () => {
  const box = stubs.toolbox();
  refused(run('build-and-push.sh', [], {}, `${stubs.only(['aws'])}:${box}`), /no container engine: install Docker, Finch or podman/);
  refused(run('build-and-push.sh', [], { CONTAINER_ENGINE: 'podman' }, box), /podman is not installed or not on PATH/);
  refused(run('build-and-push.sh', [], { CONTAINER_ENGINE: 'docker' }, box), /docker is not installed or not on PATH/);
  refused(run('build-and-push.sh', [], {}, `${stubs.only(['docker'])}:${box}`), /aws is not installed or not on PATH/);
  refused(run('build-and-push.sh', [], {}, `${stubs.bin}:${stubs.toolbox(['git'])}`), /git is not installed or not on PATH/);
  refused(run('build-and-push.sh', [], { STUB_NO_CREDENTIALS: '1' }), /no usable AWS credentials .*Unable to locate credentials/);
  refused(run('build-and-push.sh', [], { STUB_NO_REPOSITORY: '1' }), /no ECR repository demo\/hello-function .*scripts\/ecr-setup.sh/);
  refused(run('build-and-push.sh', ['NoSuchFunction']), /no function NoSuchFunction .*HelloFunction/);
  refused(run('local-invoke.sh', ['HelloFunction'], {}, box), /no container engine/);
});

t('local-invoke.sh: builds, publishes 8080 on 127.0.0.1 only, posts each event, removes the container', () => {
  const r = run('local-invoke.sh', ['HelloFunction', 'events/api.json'], { LOCAL_INVOKE_PORT: '39123' });
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.stdout, '{"ok": true}\n');
  const docker = r.calls.filter((c) => c.startsWith('docker ') && !/^docker (--version|buildx version|info)$/.test(c));
  assert.equal(docker, [
    `docker buildx build --platform linux/amd64 --provenance=false --sbom=false --load --tag demo/hello-function:local ${project}/functions/hello-function`,
    'docker image inspect --format {{range .Config.Entrypoint}}{{println .}}{{end}} demo/hello-function:local',
    'docker run --detach --platform linux/amd64 --publish 127.0.0.1:39123:8080 --env AWS_LAMBDA_FUNCTION_NAME=HelloFunction demo/hello-function:local',
    'docker rm --force 0123456789ab',
  ]);
  // An image with an ENTRYPOINT of its own (a web app behind the Lambda Web Adapter) runs under the emulator.
  const own = run('local-invoke.sh', ['HelloFunction', 'events/api.json'], { LOCAL_INVOKE_PORT: '39123', STUB_ENTRYPOINT: 'python3 app.py' });
  assert.is(own.code, 0, own.stderr);
  assert.ok(
    own.calls.includes('docker run --detach --platform linux/amd64 --publish 127.0.0.1:39123:8080 --env AWS_LAMBDA_FUNCTION_NAME=HelloFunction --env PORT=8000 --entrypoint /usr/local/bin/aws-lambda-rie demo/hello-function:local python3 app.py'),
    own.calls.join('\n'),
  );
  assert.ok(r.calls.some((c) => c === 'curl -sS -X POST --data-binary @events/api.json -H Content-Type: application/json http://127.0.0.1:39123/2015-03-31/functions/function/invocations'), r.calls.join('\n'));
  // no event named: the project's one function gets every sample event
  const all = run('local-invoke.sh', ['HelloFunction']);
  assert.is(all.code, 0, all.stderr);
  assert.equal(all.calls.filter((c) => c.includes(' -X POST ')).length, 2);
  // a function error fails the run, and the container is removed all the same
  const failed = run('local-invoke.sh', ['HelloFunction', 'events/sqs.json'], { STUB_RESPONSE: '{"errorType": "Runtime.ImportModuleError", "errorMessage": "x"}' });
  assert.is(failed.code, 1);
  assert.match(failed.stderr, /error: HelloFunction: 1 of 1 invocation\(s\) returned a function error/);
  assert.ok(failed.calls.includes('docker rm --force 0123456789ab'));
});

t.run();
