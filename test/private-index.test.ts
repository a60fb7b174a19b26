// --private-index <url>: the flag's checks (a URL without credentials, Python and Node.js only), the
// generated Dockerfiles (each install step mounts the secret, no ARG or ENV carries it), the index
// named in requirements.txt / .npmrc, Metadata.DockerBuildExtraParams, cfn-lint and the SAM schema
// clean, snapshots of a Python and a Node.js project, the flag recorded and reused by `add`, and the
// delivery scripts passing the secret (or refusing to build without it). The real build, with buildah
// against an authenticated index, is test/images/private-index.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTree, runCli, scratch } from './helpers/cli.ts';
import { compareProject } from './helpers/snapshot.ts';
import { projectProblems } from './helpers/validate.ts';
import { makeStubs } from './helpers/engine-stubs.ts';
import { readTemplate } from '../src/sam/read-template.ts';
import { parsePrivateIndex } from '../src/private-index/flag.ts';
import { mountSecret } from '../src/private-index/dockerfile.ts';
import { INDEX_TOOLS } from '../src/registry/private-index.ts';
import { runtimeAndLanguage } from '../src/registry/runtimes.ts';

const t = suite('private index');
const work = scratch('private-index');
process.on('exit', () => work.remove());

const PYPI = 'https://pypi.corp.example.com/simple/';
const NPM = 'https://npm.corp.example.com/npm/';

interface Case {
  name: string;
  args: string[];
  fn: string;
}
const CASES: Case[] = [
  { name: 'private-index-python3.13-csv-processor-x86_64', args: ['--runtime', 'python3.13', '--app-template', 'csv-processor', '--private-index', PYPI], fn: 'csv-processor-function' },
  { name: 'private-index-nodejs22.x-typescript-x86_64', args: ['--runtime', 'nodejs22.x', '--language', 'typescript', '--private-index', NPM], fn: 'hello-function' },
  { name: 'private-index-nodejs24.x-javascript-x86_64', args: ['--runtime', 'nodejs24.x', '--language', 'javascript', '--private-index', NPM], fn: 'hello-function' },
];
const SNAPSHOTTED = CASES.slice(0, 2);

const made = new Map<string, string>();
function project(c: Case): string {
  let dir = made.get(c.name);
  if (!dir) {
    const r = runCli([c.name, '--yes', '--no-git', '--no-install', ...c.args], work.dir);
    assert.is(r.status, 0, r.stderr);
    dir = join(work.dir, c.name);
    made.set(c.name, dir);
  }
  return dir;
}
const read = (c: Case, path: string) => readFileSync(join(project(c), path), 'utf8');

/** One line on stderr, `error: ...`, exit 1, and no project folder. */
function refused(args: string[], pattern: RegExp, cwd = work.dir): void {
  const r = runCli(args, cwd);
  assert.is(r.status, 1, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^error: /);
  assert.match(lines[0]!, pattern);
}

t('bad --private-index values are one line each, and nothing is written', () => {
  refused(['bad-go', '--yes', '--no-git', '--runtime', 'go', '--private-index', PYPI], /--private-index supports Python, Node\.js TypeScript, Node\.js JavaScript, not Go\. Leave out/);
  refused(['bad-java', '--yes', '--no-git', '--runtime', 'java21', '--private-index', PYPI], /not Java/);
  refused(['bad-creds', '--yes', '--no-git', '--private-index', 'https://me:s3cret@pypi.corp.example.com/simple/'], /must not carry credentials/);
  refused(['bad-http', '--yes', '--no-git', '--private-index', 'http://pypi.corp.example.com/simple/'], /is not https/);
  refused(['bad-url', '--yes', '--no-git', '--private-index', 'pypi.corp.example.com'], /is not a URL/);
  refused(['bad-query', '--yes', '--no-git', '--private-index', `${PYPI}?token=x`], /query or fragment/);
  for (const name of ['bad-go', 'bad-java', 'bad-creds', 'bad-http', 'bad-url', 'bad-query']) assert.not.ok(existsSync(join(work.dir, name)), `${name} was written`);
});

t('parsePrivateIndex: https, or http on this machine; none is the public index', () => {
  const python = runtimeAndLanguage('python3.13').language;
  assert.is(parsePrivateIndex('https://pypi.corp.example.com/simple', python), 'https://pypi.corp.example.com/simple');
  assert.is(parsePrivateIndex('http://127.0.0.1:8080/simple/', python), 'http://127.0.0.1:8080/simple/');
  assert.is(parsePrivateIndex('http://localhost:4873/', python), 'http://localhost:4873/');
  assert.is(parsePrivateIndex('none', python), '');
  assert.is(parsePrivateIndex('none', runtimeAndLanguage('java21').language), '');
});

for (const c of SNAPSHOTTED) {
  t(`${c.name}: the generated tree matches snapshots/${c.name}.snap`, () => {
    const problem = compareProject(c.name, `create-container-lambda ${c.name} --yes --no-git --no-install ${c.args.join(' ')}`, project(c));
    assert.not.ok(problem, problem);
  });
}

t('the projects pass cfn-lint, the SAM schema, the Dockerfile rules and shellcheck', async () => {
  assert.equal(await projectProblems(CASES.map(project)), []);
});

t('every install step mounts the secret; no ARG, ENV or other step names it; the syntax line is first', () => {
  for (const c of CASES) {
    const dockerfile = read(c, `functions/${c.fn}/Dockerfile`);
    const tool = INDEX_TOOLS.find((x) => x.name === (c.args.includes(PYPI) ? 'pip' : 'npm'))!;
    assert.ok(dockerfile.startsWith('# syntax=docker/dockerfile:1\n'), `${c.name}: no syntax line first`);
    const runs = dockerfile.replace(/\\\n/g, ' ').split('\n').filter((l) => /^RUN /.test(l));
    const installs = runs.filter((l) => tool.installs.test(l));
    assert.ok(installs.length >= 1, `${c.name}: no install step`);
    for (const run of installs) assert.ok(run.startsWith(`RUN --mount=type=secret,id=${tool.secretId},target=${tool.target},required=true `), `${c.name}: ${run}`);
    for (const run of runs.filter((l) => !tool.installs.test(l))) assert.not.match(run, /--mount=type=secret/, `${c.name}: a step that installs nothing sees the secret: ${run}`);
    assert.not.match(dockerfile, /^\s*(ARG|ENV)\s+.*(NETRC|NPMRC|TOKEN|PASSWORD|_auth)/im, `${c.name}: an ARG or ENV names the credentials`);
    assert.not.match(dockerfile, new RegExp(tool.env), `${c.name}: the Dockerfile names the environment variable`);
  }
});

t('the index is named where pip and npm read it, without credentials', () => {
  const [py, ts, js] = CASES as [Case, Case, Case];
  const requirements = read(py, `functions/${py.fn}/requirements.txt`);
  assert.match(requirements, new RegExp(`^--index-url ${PYPI.replace(/[.]/g, '\\.')}$`, 'm'));
  assert.match(requirements, /^pandas~=/m, 'the app template\'s requirements are kept');
  assert.not.match(requirements, /extra-index-url/);
  for (const c of [ts, js]) {
    const npmrc = read(c, `functions/${c.fn}/.npmrc`);
    assert.match(npmrc, new RegExp(`^registry=${NPM}$`, 'm'));
    assert.not.match(npmrc, /_auth|token=/i);
    // the build context keeps it: both stages' installs read it
    assert.not.match(read(c, `functions/${c.fn}/.dockerignore`), /^\.npmrc$/m);
  }
  for (const c of CASES) {
    const all = [...readTree(project(c)).entries()].map(([path, f]) => `${path}\n${f.content}`).join('\n');
    assert.not.match(all, /_authToken=[^<'\s]|login \S+ password [^<]/, `${c.name}: credentials in the project`);
  }
});

t('sam build --use-buildkit gets the secret from the environment (DockerBuildExtraParams), set in samconfig.toml', () => {
  for (const c of CASES) {
    const doc = readTemplate(read(c, 'template.yaml'), 'template.yaml').doc.toJSON() as { Resources: Record<string, { Type: string; Metadata?: Record<string, unknown> }> };
    const fns = Object.values(doc.Resources).filter((r) => r.Type === 'AWS::Serverless::Function');
    const tool = c.args.includes(PYPI) ? INDEX_TOOLS[0]! : INDEX_TOOLS[1]!;
    for (const fn of fns) assert.equal(fn.Metadata?.DockerBuildExtraParams, ['--secret', `id=${tool.secretId},env=${tool.env}`]);
    assert.match(read(c, 'samconfig.toml'), /^\[default\.build\.parameters\]\n(?:.*\n)*?use_buildkit = true$/m);
    const readme = read(c, 'README.md');
    assert.match(readme, /^## Private package index$/m);
    assert.ok(readme.includes(`export ${tool.env}=`), `${c.name}: README does not say how to pass the secret locally`);
    assert.ok(readme.includes(`${tool.env}: \${{ secrets.${tool.env} }}`), `${c.name}: README does not say how to pass the secret in CI`);
  }
});

t('mountSecret: any Dockerfile, continued RUN lines, an existing syntax line, npm copying .npmrc first', () => {
  const [pip, npm] = INDEX_TOOLS as [typeof INDEX_TOOLS[0], typeof INDEX_TOOLS[0]];
  const own = '# syntax=docker/dockerfile:1.7\nFROM x\nRUN dnf install -y vips \\\n && pip install -r requirements.txt \\\n && dnf clean all\nRUN python -c "print(1)"\n';
  const out = mountSecret(own, pip);
  assert.is(out.split('\n')[0], '# syntax=docker/dockerfile:1.7');
  assert.match(out, /RUN --mount=type=secret,id=netrc,target=\/root\/\.netrc,required=true \\\n    dnf install -y vips \\\n && pip install -r requirements.txt \\\n && dnf clean all\nRUN python -c "print\(1\)"\n$/);
  const node = mountSecret('FROM x\nCOPY package*.json ./\n# why\nRUN npm ci --omit=dev\n', npm);
  assert.match(node, /COPY package\*\.json \.\/\n# The registry npm installs from \(\.npmrc holds no token\)\.\nCOPY \.npmrc \.\/\n# why\n# The index's credentials: .*\nRUN --mount=type=secret,id=npmrc,target=\/root\/\.npmrc,required=true \\\n    npm ci --omit=dev\n$/);
  assert.is(mountSecret(out, pip).split('--mount=type=secret').length, 2, 'applied twice, the step has one mount');
});

t('the flag is recorded; add reuses it, takes another or none, and leaves other languages alone', () => {
  const [py] = CASES as [Case];
  const dir = project(py);
  const config = JSON.parse(read(py, '.create-container-lambda.json')) as { answers: { privateIndex: string } };
  assert.is(config.answers.privateIndex, PYPI);
  const add = (args: string[]) => runCli(['add', ...args, '--yes', '--no-install'], dir);
  let r = add(['Second', '--runtime', 'python3.13']);
  assert.is(r.status, 0, r.stderr);
  assert.match(read(py, 'functions/second/requirements.txt'), new RegExp(`^--index-url ${PYPI}$`, 'm'));
  assert.match(read(py, 'functions/second/Dockerfile'), /--mount=type=secret,id=netrc/);
  r = add(['Public', '--runtime', 'python3.13', '--private-index', 'none']);
  assert.is(r.status, 0, r.stderr);
  assert.not.match(read(py, 'functions/public/Dockerfile'), /--mount=type=secret|syntax=/);
  assert.not.match(read(py, 'functions/public/requirements.txt'), /index-url/);
  r = add(['Gopher', '--runtime', 'go']);
  assert.is(r.status, 0, r.stderr);
  assert.not.match(read(py, 'functions/gopher/Dockerfile'), /--mount=type=secret/);
  r = add(['Web', '--runtime', 'nodejs24.x', '--private-index', NPM]);
  assert.is(r.status, 0, r.stderr);
  assert.match(read(py, 'functions/web/.npmrc'), new RegExp(`^registry=${NPM}$`, 'm'));
  const before = read(py, 'template.yaml');
  refused(['add', 'Javan', '--runtime', 'java21', '--private-index', PYPI, '--yes', '--no-install'], /not Java/, dir);
  assert.is(read(py, 'template.yaml'), before);
  const doc = readTemplate(read(py, 'template.yaml'), 'template.yaml').doc.toJSON() as { Resources: Record<string, { Metadata?: Record<string, unknown> }> };
  assert.equal(doc.Resources.Second?.Metadata?.DockerBuildExtraParams, ['--secret', 'id=netrc,env=PRIVATE_INDEX_NETRC']);
  assert.equal(doc.Resources.Web?.Metadata?.DockerBuildExtraParams, ['--secret', 'id=npmrc,env=PRIVATE_INDEX_NPMRC']);
  assert.is(doc.Resources.Public?.Metadata?.DockerBuildExtraParams, undefined);
  assert.is(doc.Resources.Gopher?.Metadata?.DockerBuildExtraParams, undefined);
});

t('the delivery scripts pass --secret from the environment to docker, finch and podman, and refuse to build without it', () => {
  const c = CASES[1]!;
  const dir = project(c);
  const stubs = makeStubs(join(work.dir, 'stubs'));
  const git = (...args: string[]) => spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.email=test@example.com', '-c', 'user.name=test', 'commit', '-qm', 'init');
  const build = (engine: string, env: NodeJS.ProcessEnv) => {
    stubs.reset();
    const r = spawnSync(join(dir, 'scripts', 'build-and-push.sh'), ['--registry', '127.0.0.1:5000'], { cwd: dir, env: stubs.env({ CONTAINER_ENGINE: engine, ...env }), encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stderr: r.stderr, calls: stubs.calls() };
  };
  const without = build('docker', {});
  assert.is(without.code, 1, without.stderr);
  assert.match(without.stderr.trim().split('\n').pop()!, /^error: hello-function installs from a private package index: set PRIVATE_INDEX_NPMRC to its credentials line/);
  assert.not.ok(without.calls.some((x) => / build /.test(` ${x} `)), 'it built without the secret');
  const expected: Record<string, RegExp> = {
    docker: /^docker buildx build --platform linux\/amd64 --provenance=false --sbom=false --load --secret id=npmrc,env=PRIVATE_INDEX_NPMRC --tag /,
    finch: /^finch build --platform linux\/amd64 --provenance=false --sbom=false --secret id=npmrc,env=PRIVATE_INDEX_NPMRC --tag /,
    podman: /^podman build --platform linux\/amd64 --secret id=npmrc,env=PRIVATE_INDEX_NPMRC --tag /,
  };
  const secret = '//npm.corp.example.com/npm/:_authToken=never-printed';
  for (const [engine, pattern] of Object.entries(expected)) {
    const r = build(engine, { PRIVATE_INDEX_NPMRC: secret });
    assert.is(r.code, 0, r.stderr);
    assert.ok(r.calls.some((x) => pattern.test(x)), r.calls.join('\n'));
    assert.not.ok(r.calls.join('\n').includes('never-printed') || r.stderr.includes('never-printed'), 'the secret is on a command line or in the output');
  }
});

t.run();
