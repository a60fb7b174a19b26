// durable-workflow: a Lambda durable function with the durable execution SDK. An order approval:
// a step validates and records the order, a short wait, a callback that waits (for days if need be)
// for a person to approve or reject it, then a step that acts on the decision. Lambda checkpoints
// each one and replays the handler from those checkpoints; the function only runs while it works.
import type { AppTemplate } from '../apps.ts';
import type { EventContext } from '../events.ts';
import { roleId } from '../../sam/execution-role.ts';
import { commented, quoted, ref, sub } from '../../sam/intrinsics.ts';

/** The alias every deployment points at: durable executions run on a published version, never on $LATEST. */
export const DURABLE_ALIAS = 'live';

const checkpointPolicyId = (ctx: EventContext) => `${ctx.functionId}DurableExecutionPolicy`;

export const durableWorkflow: AppTemplate = {
  id: 'durable-workflow',
  description: 'Durable function (durable execution SDK): order approval with steps, a wait and a callback for a human decision',
  languages: ['python', 'nodejs-typescript'],
  events: ['none'],
  // Each invocation runs until the next wait or callback and returns: minutes, not days. Waiting
  // costs nothing; the whole execution is bounded by DurableConfig.ExecutionTimeout instead.
  memory: 512,
  timeout: 60,
  functionProperties: () => ({
    DurableConfig: {
      // A week for the approver to answer (the callback itself gives up after 3 days).
      ExecutionTimeout: 604800,
      // How long Lambda keeps a finished execution's history (get-durable-execution-history).
      RetentionPeriodInDays: 14,
    },
    // Each deployment publishes a version and moves the alias: an execution replays on the version it
    // started on, so a deployment never changes the code under a running execution.
    AutoPublishAlias: DURABLE_ALIAS,
  }),
  environment: () => ({
    // The pause between validating the order and asking for approval. A version's environment never
    // changes, so every replay of an execution reads the same value.
    REVIEW_DELAY_SECONDS: quoted('10'),
  }),
  resources: (ctx) => ({
    // SAM attaches AWSLambdaBasicDurableExecutionRolePolicy only to a role it generates (samtranslator's
    // _construct_role); with the function's own Role it adds nothing. The comment in the template says why.
    [checkpointPolicyId(ctx)]: {
      Type: 'AWS::IAM::RolePolicy',
      Properties: {
        RoleName: ref(roleId(ctx.functionId)),
        PolicyName: 'CheckpointOwnDurableExecutions',
        PolicyDocument: {
          Version: quoted('2012-10-17'),
          Statement: [
            commented(
              [
                ' The SDK checkpoints each step and reads the execution state back on replay. SAM would attach',
                ' AWSLambdaBasicDurableExecutionRolePolicy (these actions on "*") only to a role it made itself;',
                ' this is the same on this function alone. A policy of its own, beside the role: the role cannot',
                ' name the function that names it. An execution ARN is the function ARN, a version, then',
                ' /durable-execution/...: ":*" is every version of this function.',
              ].join('\n'),
              {
                Effect: 'Allow',
                Action: ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'],
                Resource: sub(`\${${ctx.functionId}.Arn}:*`),
              },
            ),
          ],
        },
      },
    },
  }),
  outputs: (ctx) => ({
    AliasArn: {
      Description: `Alias of ${ctx.functionId} to start executions through (aws lambda invoke --function-name <this>)`,
      Value: ref(`${ctx.functionId}.Alias`),
    },
  }),
};
