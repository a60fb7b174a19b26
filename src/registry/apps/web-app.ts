// web-app: a plain HTTP app (FastAPI, Fastify) that runs unchanged behind the Lambda Web Adapter, an
// extension in the image that turns each HTTP API or function URL event into a request to the app on
// 127.0.0.1:8080. Run anywhere else, the same image is just a web server on port 8080.
import type { AppTemplate } from '../apps.ts';
import type { EventContext } from '../events.ts';
import { commented, ref, sub } from '../../sam/intrinsics.ts';

/** Its own HTTP API: the app takes every path (the $default route), which two apps cannot share on one API. */
const apiId = (ctx: EventContext) => `${ctx.base}HttpApi`;

/** Streamed responses need a function URL in RESPONSE_STREAM mode; an HTTP API takes only buffered ones. */
const streams = (ctx: EventContext) => Boolean(ctx.events?.includes('function-url') && !ctx.events.includes('http-api'));

export const webApp: AppTemplate = {
  id: 'web-app',
  description: 'FastAPI / Fastify web app behind the Lambda Web Adapter: HTTP API or function URL (streamed), /health',
  languages: ['python', 'nodejs-typescript'],
  otherLanguages: 'FastAPI (Python) and Fastify (TypeScript) are what it shows; the adapter serves any HTTP app the same way',
  events: ['http-api', 'function-url'],
  // The framework's start-up is most of a cold start, and memory is also what buys CPU for it. An HTTP
  // API gives up on an integration after 30 seconds: a longer timeout would only keep the app busy.
  memory: 1024,
  timeout: 30,
  // No path or method: the $default route of its own API, so every path and method reaches the app,
  // which does its own routing. A second web app, or a function's route, then never clashes with it.
  eventProperties: { 'http-api': (ctx) => ({ ApiId: ref(apiId(ctx)), Path: undefined, Method: undefined }) },
  resources: (ctx) =>
    ctx.events?.includes('http-api')
      ? { [apiId(ctx)]: { Type: 'AWS::Serverless::HttpApi', Properties: { Description: `${ctx.functionId}: every path and method reaches the app (its $default route)` } } }
      : {},
  functionProperties: (ctx) =>
    streams(ctx)
      ? // AWS_IAM: callers sign requests with SigV4. Change AuthType to NONE only for a public endpoint.
        { FunctionUrlConfig: commented(' Streamed: bytes reach the caller as the app writes them, not when it is done.', { AuthType: 'AWS_IAM', InvokeMode: 'RESPONSE_STREAM' }) }
      : {},
  environment: (ctx): Record<string, unknown> => ({
    // The app's port on Lambda, which the adapter reads too. Not 8080: `sam local` runs the image under
    // the Runtime Interface Emulator, which listens there. `docker run` alone leaves the app on 8080.
    PORT: '8000',
    // The adapter's mode must match the function URL's: a stream is what RESPONSE_STREAM expects.
    ...(streams(ctx) ? { AWS_LWA_INVOKE_MODE: 'response_stream' } : {}),
  }),
  // In place of the HTTP API event's own output, which names a path the app does not serve.
  outputs: (ctx): Record<string, { Description: string; Value: unknown }> => {
    if (!ctx.events?.includes('http-api')) return {};
    const url = sub(`https://\${${apiId(ctx)}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/`);
    return { HttpApiUrl: { Description: `URL of ${ctx.functionId} on its HTTP API (every path: its $default route)`, Value: url } };
  },
};
