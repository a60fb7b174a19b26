// web-app: a plain HTTP app (FastAPI, Fastify) that runs unchanged behind the Lambda Web Adapter, an
// extension in the image that turns each HTTP API or function URL event into a request to the app on
// 127.0.0.1:8080. Run anywhere else, the same image is just a web server on port 8080.
import type { AppTemplate } from '../apps.ts';
import type { EventContext } from '../events.ts';
import { commented, sub } from '../../sam/intrinsics.ts';

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
  // No path or method: the API's $default route, so every path and method reaches the app, which does
  // its own routing (routes of other functions on the same API still win over it).
  eventProperties: { 'http-api': { Path: undefined, Method: undefined } },
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
    const url = sub('https://${ServerlessHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/');
    return { HttpApiUrl: { Description: `URL of ${ctx.functionId} on the HTTP API (every path: its $default route)`, Value: url } };
  },
};
