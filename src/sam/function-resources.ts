// The template fragment for one container-image function: its resource, what its events need, and
// the outputs a user looks for after deploying. Used by `new` (whole template) and `add` (inserted).
import { findEvent, resourceBase, type EventContext } from '../registry/events.ts';
import { baseGrants, executionRole, logGroup, logGroupId, roleId, vpcGrant, type Grant } from './execution-role.ts';
import { tagResources } from './taggable.ts';
import { getAtt, ref } from './intrinsics.ts';
import type { AppTemplate } from '../registry/apps.ts';

export interface FunctionSpec {
  id: string;
  /** Folder holding the Dockerfile (the Docker context), relative to the template, `./`-prefixed. */
  context: string;
  /** Lambda runtime identifier, used for the image tag. */
  runtime: string;
  arch: string;
  events: string[];
  /** Resource path for HTTP events, e.g. /hello. */
  route: string;
  /** The timeout the function runs with (its own or the one from Globals). */
  effectiveTimeout: number;
  /** Lowercase prefix for names that must be lowercase and unique (the project name). */
  namePrefix: string;
  /** Set on the function itself (add) rather than inherited from Globals (new). */
  memory?: number;
  timeout?: number;
  /** X-Ray active tracing on this function (add); `new` sets it in Globals instead. */
  tracing?: boolean;
  /** Whether the function is traced at all (its own Tracing or Globals'): its role may write traces. */
  traced: boolean;
  /** Days its log group keeps logs. */
  logRetention: number;
  /** The role's permissions boundary (an ARN or an intrinsic), when the project or its kit sets one. */
  permissionsBoundary?: unknown;
  environment?: Record<string, unknown>;
  /** Its app template: resources, grants, environment and properties beyond its events'. */
  app?: AppTemplate;
  /** Architectures come from Globals (SAM would append the function's own list to them). */
  inheritArchitectures?: boolean;
  /** Globals.Function properties this function must not inherit (zip-only ones). */
  ignoreGlobals?: string[];
  /** Tags for every taggable resource of the fragment (an org kit's). */
  tags?: Record<string, string>;
  /** Tags on the function itself (add; `new` sets them in Globals), with PropagateTags. */
  functionTags?: Record<string, string>;
  /** Runs in a VPC (its own VpcConfig or Globals'): its role may manage network interfaces. */
  inVpc?: boolean;
  /** More properties of the function itself (add: an org kit's VpcConfig and Globals the template lacks). */
  extraProperties?: Record<string, unknown>;
  /** Template parameters the fragment needs (add: those the template lacks are added). */
  parameters?: Record<string, unknown>;
}

export interface Fragment {
  resources: Record<string, Record<string, unknown>>;
  /** Parameters to add where the template has none of that name. */
  parameters?: Record<string, unknown>;
  outputs: Record<string, { Description: string; Value: unknown }>;
  /** Comments to put above resources, by logical ID. */
  comments: Record<string, string>;
}

export function functionFragment(fn: FunctionSpec): Fragment {
  const ctx: EventContext = {
    functionId: fn.id,
    base: resourceBase(fn.id),
    route: fn.route,
    timeout: fn.effectiveTimeout,
    namePrefix: fn.namePrefix,
    events: fn.events,
  };
  const events: Record<string, unknown> = {};
  const grants: Grant[] = [...baseGrants(fn.id, fn.traced), ...(fn.inVpc ? [vpcGrant()] : [])];
  const outputs: Fragment['outputs'] = {};
  const resources: Fragment['resources'] = {};
  let properties: Record<string, unknown> = {};
  for (const kind of fn.events) {
    const event = findEvent(kind);
    if (!event) continue;
    const source = event.event?.(ctx);
    const extra = fn.app?.eventProperties?.[kind];
    if (source) events[source.name] = { Type: source.Type, Properties: { ...source.Properties, ...(typeof extra === 'function' ? extra(ctx) : extra) } };
    Object.assign(resources, event.resources?.(ctx));
    grants.push(...(event.grants?.(ctx) ?? []));
    properties = { ...properties, ...event.functionProperties?.(ctx) };
    const own = fn.app?.eventOutputs?.[kind]?.(ctx) ?? {};
    for (const [suffix, output] of Object.entries(event.outputs?.(ctx) ?? {})) outputs[`${fn.id}${suffix}`] = { ...output, ...own[suffix] };
  }
  const app = fn.app;
  if (app) {
    Object.assign(resources, app.resources?.(ctx));
    grants.push(...(app.grants?.(ctx) ?? []));
    properties = { ...properties, ...app.functionProperties?.(ctx) };
    for (const [suffix, output] of Object.entries(app.outputs?.(ctx) ?? {})) outputs[`${fn.id}${suffix}`] = output;
  }
  const environment = { ...fn.environment, ...app?.environment?.(ctx) };
  resources[logGroupId(fn.id)] = logGroup(fn.logRetention);
  resources[roleId(fn.id)] = executionRole(fn.id, grants, fn.permissionsBoundary);
  resources[fn.id] = {
    Type: 'AWS::Serverless::Function',
    IgnoreGlobals: fn.ignoreGlobals?.length ? fn.ignoreGlobals : undefined,
    Properties: {
      PackageType: 'Image',
      Architectures: fn.inheritArchitectures ? undefined : [fn.arch],
      MemorySize: fn.memory,
      Timeout: fn.timeout,
      Tracing: fn.tracing ? 'Active' : undefined,
      Environment: Object.keys(environment).length ? { Variables: environment } : undefined,
      // Its own role and log group (SAM merges LoggingConfig with that of Globals).
      Role: getAtt(roleId(fn.id), 'Arn'),
      LoggingConfig: { LogGroup: ref(logGroupId(fn.id)) },
      ...properties,
      ...fn.extraProperties,
      Tags: fn.functionTags,
      PropagateTags: fn.functionTags ? true : undefined,
      Events: Object.keys(events).length ? events : undefined,
    },
    Metadata: {
      Dockerfile: 'Dockerfile',
      DockerContext: fn.context,
      DockerTag: `${fn.runtime}-v1`,
    },
  };
  outputs[`${fn.id}Arn`] = { Description: `ARN of ${fn.id}`, Value: getAtt(fn.id, 'Arn') };
  if (fn.tags) tagResources(resources, fn.tags);
  return {
    resources,
    parameters: fn.parameters,
    outputs,
    comments: {
      [logGroupId(fn.id)]: ` ${fn.id}'s logs, kept ${fn.logRetention} days (the default log group would keep them forever).`,
      [roleId(fn.id)]: ` What ${fn.id} may do: one policy per concern, each on the resources it names. With a Role of its\n own, SAM attaches none of its managed policies, whose statements grant on "*".`,
      [fn.id]: ` ${fn.id}: a container-image function. \`sam build\` builds its image from the Dockerfile in\n ${fn.context}; \`sam deploy\` pushes it to ECR and points the function at it.`,
    },
  };
}
