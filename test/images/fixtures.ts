// Function folders for the self-test, shaped like the generator's output: one Python function and one
// Node.js TypeScript function, each with the generated Dockerfile, plus sample API Gateway events.
// Each folder also holds a tests/ folder and a .env file, which must NOT end up in the image.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exec } from './exec.ts';

export const PYTHON_DOCKERFILE = `ARG BASE_IMAGE=public.ecr.aws/lambda/python:3.13
FROM \${BASE_IMAGE}
COPY requirements.txt \${LAMBDA_TASK_ROOT}/
RUN pip install --no-cache-dir --requirement requirements.txt --target "\${LAMBDA_TASK_ROOT}"
COPY app.py \${LAMBDA_TASK_ROOT}/
CMD ["app.lambda_handler"]
`;

export const NODE_TS_DOCKERFILE = `ARG BASE_IMAGE=public.ecr.aws/lambda/nodejs:22
FROM \${BASE_IMAGE} AS build
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM \${BASE_IMAGE}
COPY package.json package-lock.json \${LAMBDA_TASK_ROOT}/
RUN npm ci --omit=dev
COPY --from=build /build/dist/ \${LAMBDA_TASK_ROOT}/
CMD ["app.handler"]
`;

const PYTHON_APP = `import json
import platform


def lambda_handler(event, context):
    params = event.get("queryStringParameters") or {}
    name = params.get("name", "world")
    print(f"request {context.aws_request_id}")  # a log line: must not reach the result
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"message": f"hello {name}", "path": event.get("rawPath") or event.get("path"), "runtime": "python", "version": platform.python_version()}),
    }
`;

const NODE_APP = `import { nanoid } from 'nanoid';

interface ApiEvent {
  rawPath?: string;
  path?: string;
  queryStringParameters?: Record<string, string | undefined> | null;
}

export const handler = async (event: ApiEvent, context: { awsRequestId: string }) => {
  const name = event.queryStringParameters?.name ?? 'world';
  console.log(\`request \${context.awsRequestId}\`); // a log line: must not reach the result
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ message: \`hello \${name}\`, path: event.rawPath ?? event.path, runtime: 'nodejs', version: process.version, id: nanoid(8) }),
  };
};
`;

const HTTP_API_EVENT = {
  version: '2.0',
  routeKey: 'GET /hello',
  rawPath: '/hello',
  rawQueryString: 'name=stand-in',
  headers: { accept: 'application/json', host: 'example.execute-api.us-east-1.amazonaws.com' },
  queryStringParameters: { name: 'stand-in' },
  requestContext: {
    accountId: '000000000000',
    apiId: 'example',
    http: { method: 'GET', path: '/hello', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'selftest' },
    requestId: 'selftest-request',
    routeKey: 'GET /hello',
    stage: '$default',
  },
  isBase64Encoded: false,
};

const REST_API_EVENT = {
  resource: '/hello',
  path: '/hello',
  httpMethod: 'GET',
  headers: { Accept: 'application/json' },
  queryStringParameters: null,
  requestContext: { resourcePath: '/hello', httpMethod: 'GET', stage: 'Prod', requestId: 'selftest-request-v1' },
  body: null,
  isBase64Encoded: false,
};

export interface Fixtures {
  pythonDir: string;
  nodeDir: string;
  events: { name: string; path: string; expectMessage: string }[];
}

async function write(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
}

/** Writes both function folders and the events under root; makes the Node lock file with `npm install --package-lock-only`. */
export async function writeFixtures(root: string): Promise<Fixtures> {
  const pythonDir = join(root, 'functions/hello-python');
  const nodeDir = join(root, 'functions/hello-node');
  await write(pythonDir, {
    Dockerfile: PYTHON_DOCKERFILE,
    'requirements.txt': '# Runtime dependencies of this function, one per line (none yet).\n',
    'app.py': PYTHON_APP,
    'tests/test_app.py': 'from app import lambda_handler\n\n\ndef test_hello():\n    assert lambda_handler({}, None)["statusCode"] == 200\n',
    '.env': 'EXAMPLE_SECRET=not-a-real-secret\n',
  });
  await write(nodeDir, {
    Dockerfile: NODE_TS_DOCKERFILE,
    'package.json': `${JSON.stringify(
      {
        name: 'hello-node',
        version: '1.0.0',
        private: true,
        type: 'module',
        scripts: { build: 'tsc -p tsconfig.build.json' },
        dependencies: { nanoid: '^5.1.5' },
        devDependencies: { '@types/node': '^22.15.0', typescript: '~5.9.2' },
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          rootDir: 'src',
          outDir: 'dist',
          types: ['node'],
          skipLibCheck: true,
        },
        include: ['src'],
      },
      null,
      2,
    )}\n`,
    'tsconfig.build.json': `${JSON.stringify({ extends: './tsconfig.json', exclude: ['test', 'src/**/*.test.ts'] }, null, 2)}\n`,
    'src/app.ts': NODE_APP,
    'test/app.test.ts': "import { test } from 'node:test';\nimport { handler } from '../src/app.ts';\n\ntest('hello', async () => {\n  await handler({}, { awsRequestId: 'x' });\n});\n",
    '.env': 'EXAMPLE_SECRET=not-a-real-secret\n',
  });
  const lock = await exec('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: nodeDir, timeoutMs: 5 * 60_000 });
  if (lock.code !== 0) throw new Error(`npm install --package-lock-only in ${nodeDir} failed:\n${lock.stderr}`);
  const eventsDir = join(root, 'events');
  await write(eventsDir, {
    'http-api.json': `${JSON.stringify(HTTP_API_EVENT, null, 2)}\n`,
    'rest-api.json': `${JSON.stringify(REST_API_EVENT, null, 2)}\n`,
  });
  return {
    pythonDir,
    nodeDir,
    events: [
      { name: 'http-api', path: join(eventsDir, 'http-api.json'), expectMessage: 'hello stand-in' },
      { name: 'rest-api', path: join(eventsDir, 'rest-api.json'), expectMessage: 'hello world' },
    ],
  };
}
