// ml-inference's image: the model trained in its build stage, loaded from /opt/ml/model, answers the
// sample API event with the flower's species, and a body it cannot take with 400.
import type { AppImageCheck } from '../app-checks.ts';

interface HttpAnswer {
  statusCode?: number;
  body?: string;
}

/** The JSON body of an HTTP answer with `status`, or what is wrong with it. */
function answer(result: unknown, status: number): { body?: Record<string, unknown>; wrong?: string } {
  const r = result as HttpAnswer;
  if (r?.statusCode !== status || typeof r.body !== 'string') return { wrong: `expected status ${status}, got ${JSON.stringify(result)}` };
  return { body: JSON.parse(r.body) as Record<string, unknown> };
}

/** The sample HTTP API event with another body. */
const withBody = (body: string) => ({
  version: '2.0',
  routeKey: 'POST /ml-inference',
  rawPath: '/ml-inference',
  rawQueryString: '',
  headers: { 'content-type': 'application/json' },
  requestContext: { http: { method: 'POST', path: '/ml-inference', protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'curl/8.5.0' }, routeKey: 'POST /ml-inference', stage: '$default' },
  body,
  isBase64Encoded: false,
});

export const check: AppImageCheck = {
  app: 'ml-inference',
  invocations: [
    {
      event: 'events/ml-inference-http-api.json',
      check(result) {
        const { body, wrong } = answer(result, 200);
        if (wrong) return wrong;
        if (body!.prediction !== 'versicolor') return `expected versicolor for the sample flower, got ${JSON.stringify(body)}`;
        const probabilities = Object.values((body!.probabilities ?? {}) as Record<string, number>);
        const total = probabilities.reduce((a, b) => a + b, 0);
        if (probabilities.length !== 3 || Math.abs(total - 1) > 1e-3) return `expected 3 probabilities adding up to 1, got ${JSON.stringify(body)}`;
        return undefined;
      },
    },
    {
      event: withBody(JSON.stringify({ features: [6.3, 3.3, 6.0, 2.5] })),
      check(result) {
        const { body, wrong } = answer(result, 200);
        return wrong ?? (body!.prediction === 'virginica' ? undefined : `expected virginica for iris row 101, got ${JSON.stringify(body)}`);
      },
    },
    {
      event: withBody(JSON.stringify({ features: [5.1, 3.5, 1.4] })),
      check(result) {
        const { body, wrong } = answer(result, 400);
        return wrong ?? (/expected 4 features/.test(String(body!.message)) ? undefined : `unexpected message ${JSON.stringify(body)}`);
      },
    },
  ],
};
