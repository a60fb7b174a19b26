// The event-source table: one entry per trigger kind. The template fragment, the sample event
// (templates/events/<id>.json) and the handler code all derive from it.
import { sub } from '../sam/intrinsics.ts';

export interface EventContext {
  /** Logical ID of the function the event triggers. */
  functionId: string;
  /** Resource path for HTTP triggers, e.g. /hello. */
  route: string;
}

export interface EventKind {
  /** Value of --event, and the name of its sample event file. */
  id: string;
  /** One line for prompts and --help. */
  description: string;
  /** Name of the entry under the function's Events. */
  eventName: string;
  /** The SAM event source. */
  source(ctx: EventContext): { Type: string; Properties: Record<string, unknown> };
  /** Resources the trigger needs (queue, bucket, ...), by logical ID. */
  resources?(ctx: EventContext): Record<string, Record<string, unknown>>;
  /** Outputs the user needs, keyed by a suffix to the function's logical ID. */
  outputs(ctx: EventContext): Record<string, { Description: string; Value: unknown }>;
}

export const EVENTS: EventKind[] = [
  {
    id: 'api',
    description: 'REST API (API Gateway), GET on the function\'s path',
    eventName: 'Api',
    source: (ctx) => ({ Type: 'Api', Properties: { Path: ctx.route, Method: 'get' } }),
    outputs: (ctx) => ({
      ApiUrl: {
        Description: `URL of GET ${ctx.route} on the API's Prod stage`,
        Value: sub(`https://\${ServerlessRestApi}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/Prod${ctx.route}`),
      },
    }),
  },
];

export function findEvent(id: string): EventKind | undefined {
  return EVENTS.find((e) => e.id === id);
}
