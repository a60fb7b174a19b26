// web-app's image: through the Lambda Web Adapter, the sample HTTP API event becomes a request to the app
// and its answer an HTTP API response; run outside Lambda, the same image is a web server on port 8080.
import type { AppImageCheck } from '../app-checks.ts';

interface HttpApiResponse {
  statusCode?: number;
  body?: string;
  isBase64Encoded?: boolean;
}

/** Undefined when `result` is an HTTP API response with that status and JSON body. */
function answers(result: unknown, status: number, body: unknown): string | undefined {
  const r = result as HttpApiResponse;
  if (r?.statusCode !== status || r.isBase64Encoded || typeof r.body !== 'string') return `not a ${status} HTTP API response: ${JSON.stringify(result)}`;
  try {
    if (JSON.stringify(JSON.parse(r.body)) !== JSON.stringify(body)) return `body ${r.body}, expected ${JSON.stringify(body)}`;
  } catch {
    return `body is not JSON: ${r.body}`;
  }
  return undefined;
}

/** What an HTTP API's $default route sends for GET <path> (payload 2.0), trimmed to what the adapter reads. */
const get = (path: string) => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: path,
  rawQueryString: '',
  headers: { accept: '*/*', host: 'q3sw7kdn0s.execute-api.us-east-1.amazonaws.com', 'x-forwarded-proto': 'https' },
  requestContext: {
    accountId: '123456789012',
    apiId: 'q3sw7kdn0s',
    domainName: 'q3sw7kdn0s.execute-api.us-east-1.amazonaws.com',
    http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'curl/8.5.0' },
    requestId: 'P4gbp7532rCTea9=',
    routeKey: '$default',
    stage: '$default',
    time: '14/Mar/2025:15:10:02 +0000',
    timeEpoch: 1741965002731,
  },
  isBase64Encoded: false,
});

/** Undefined when the app answered 200 with that JSON body. */
const json = (status: number, text: string, expected: unknown): string | undefined =>
  status === 200 ? answers({ statusCode: status, body: text }, 200, expected) : `status ${status}: ${text}`;

export const check: AppImageCheck = {
  app: 'web-app',
  // template.yaml's: the emulator the image runs under takes 8080, as under `sam local`.
  env: () => ({ PORT: '8000' }),
  // `docker run -p 8080:8080 IMAGE`, nothing set: the app's own default port.
  httpEnv: () => ({}),
  invocations: [
    { event: 'events/web-app-http-api.json', check: (result) => answers(result, 200, { message: 'Hello, World!' }) },
    // Any path reaches the app, which routes it itself.
    { event: get('/health'), check: (result) => answers(result, 200, { status: 'ok' }) },
  ],
  http: [
    { path: '/health', check: (status, body) => json(status, body, { status: 'ok' }) },
    { path: '/?name=Ada', check: (status, body) => json(status, body, { message: 'Hello, Ada!' }) },
    { path: '/stream?count=3', check: (status, body) => (status === 200 && body === '1\n2\n3\n' ? undefined : `status ${status}, body ${JSON.stringify(body)}`) },
    { path: '/no-such-page', check: (status) => (status === 404 ? undefined : `status ${status}, expected 404`) },
  ],
};
