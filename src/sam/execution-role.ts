// A function's own execution role and log group. With an explicit Role, SAM attaches none of its
// managed policies (AWSLambdaBasicExecutionRole, AWSLambdaSQSQueueExecutionRole, ..., whose
// statements grant on "*"): the role grants what the function's events need, each on its resource.
import { commented, getAtt, quoted } from './intrinsics.ts';

/** One concern of the role: an inline policy of one statement. */
export interface Grant {
  /** The inline policy's name, saying what it allows: ReadHelloQueue. */
  name: string;
  /** One line above the policy in template.yaml. */
  why: string;
  actions: string[];
  resources: unknown[];
}

/** CloudWatch Logs' accepted retention periods, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const policyVersion = () => quoted('2012-10-17');

export const roleId = (functionId: string) => `${functionId}Role`;
export const logGroupId = (functionId: string) => `${functionId}LogGroup`;

export function logGroup(retentionDays: number): Record<string, unknown> {
  return {
    Type: 'AWS::Logs::LogGroup',
    Properties: { RetentionInDays: retentionDays },
  };
}

/** The grants every function has: its own log group, and X-Ray when it is traced. */
export function baseGrants(functionId: string, traced: boolean): Grant[] {
  const grants: Grant[] = [
    {
      name: 'WriteOwnLogs',
      why: 'Its own log group only; no logs:CreateLogGroup, the template creates the group.',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [getAtt(logGroupId(functionId), 'Arn')],
    },
  ];
  if (traced) {
    grants.push({
      name: 'WriteTraces',
      why: 'X-Ray has no resources to name: these two actions are granted on "*" or not at all.',
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      resources: ['*'],
    });
  }
  return grants;
}

/** A function in a VPC: Lambda creates its network interfaces as the function's role. */
export function vpcGrant(): Grant {
  return {
    name: 'ManageVpcNetworkInterfaces',
    why: 'In a VPC, Lambda makes its network interfaces as this role. ec2:Describe* works on "*" only, and the\n interfaces do not exist yet: the actions of AWSLambdaVPCAccessExecutionRole, on "*".',
    actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
    resources: ['*'],
  };
}

/** Grants of the same name (two asynchronous sources sharing a failure queue) are kept once. */
function unique(grants: Grant[]): Grant[] {
  const seen = new Map<string, Grant>();
  for (const g of grants) if (!seen.has(g.name)) seen.set(g.name, g);
  return [...seen.values()];
}

export function executionRole(functionId: string, grants: Grant[], permissionsBoundary?: unknown): Record<string, unknown> {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      Description: `Execution role of ${functionId}: its logs and the resources of its events, nothing else`,
      AssumeRolePolicyDocument: {
        Version: policyVersion(),
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      PermissionsBoundary: permissionsBoundary,
      Policies: unique(grants).map((g) =>
        commented(` ${g.why}`, {
          PolicyName: g.name,
          PolicyDocument: {
            Version: policyVersion(),
            Statement: [{ Effect: 'Allow', Action: g.actions, Resource: g.resources.length === 1 ? g.resources[0] : g.resources }],
          },
        }),
      ),
    },
  };
}
