// The event-source table: one entry per trigger kind, holding everything about it: the SAM event,
// the resources it needs (created with safe settings), what its role must allow, outputs, and the
// sample event (templates/events/<id>.json). Handler code per language lives in the templates.
import { Intrinsic, getAtt, ref, sub } from '../sam/intrinsics.ts';
import type { Grant } from '../sam/execution-role.ts';

export interface EventContext {
  /** Logical ID of the function the event triggers. */
  functionId: string;
  /** Prefix for the logical IDs of the trigger's resources: HelloFunction -> Hello. */
  base: string;
  /** Resource path for HTTP triggers, e.g. /hello. */
  route: string;
  /** The function's timeout in seconds (queues need a visibility timeout of at least 6x). */
  timeout: number;
  /** Lowercase prefix for resource names that must be lowercase and unique (S3 buckets). */
  namePrefix: string;
  /** The function's event kinds, for an app template whose settings depend on its trigger. */
  events?: string[];
}

type Properties = Record<string, unknown>;
type Resources = Record<string, { Type: string; Properties?: Properties; [key: string]: unknown }>;

export interface EventKind {
  /** Value of --event, and the name of its sample event file. */
  id: string;
  /** One line for prompts and --help. */
  description: string;
  /**
   * The entry under the function's Events (none for function URLs and `none`). SAM names what it
   * makes for it <function><name>: a name must not be one of the suffixes of the resources here
   * (Queue, Stream, Topic, ...), which a function ID without "Function" would then clash with.
   */
  event?(ctx: EventContext): { name: string; Type: string; Properties: Properties };
  /** Resources the trigger needs (queue, bucket, ...), by logical ID. */
  resources?(ctx: EventContext): Resources;
  /**
   * What the function's execution role must allow for this trigger, each on its resource: reading
   * the source (Lambda's poller runs as the function's role) and sending to failure queues.
   */
  grants?(ctx: EventContext): Grant[];
  /** Properties set on the function itself (FunctionUrlConfig). */
  functionProperties?(ctx: EventContext): Properties;
  /** Where an event that keeps failing ends up, for the project README (Markdown). */
  failure?(ctx: EventContext): string;
  /** Outputs the user needs, keyed by a suffix to the function's logical ID. */
  outputs?(ctx: EventContext): Record<string, { Description: string; Value: unknown }>;
}

const apiUrl = (api: string, stage: string, route: string) =>
  sub(`https://\${${api}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}${stage}${route}`);

/**
 * A lowercase bucket name known before the bucket exists (see the s3 entry) and unique to the stack:
 * the last group of the stack ID's UUID, so a dev and a prod stack of one template in one account and
 * Region do not collide.
 */
function bucketName(ctx: EventContext, around = (name: string) => name): unknown {
  const room = 63 - 12 - 12 - 2; // account ID, the stack's 12 hex digits, two hyphens
  const prefix = `${ctx.namePrefix}-${ctx.base.toLowerCase()}`.slice(0, room).replace(/-+$/, '');
  const stackUuid = new Intrinsic('Select', [2, new Intrinsic('Split', ['/', ref('AWS::StackId')])]);
  const stackTail = new Intrinsic('Select', [4, new Intrinsic('Split', ['-', stackUuid])]);
  return new Intrinsic('Sub', [around(`${prefix}-\${AWS::AccountId}-\${StackTail}`), { StackTail: stackTail }]);
}

/** A bucket's settings for objects only the stack's functions read and write: encrypted, never public, no ACLs. */
export const PRIVATE_BUCKET = {
  BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
  PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
  OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
};

/** Prefix of the logical IDs of a function's trigger resources: HelloFunction -> Hello. */
export const resourceBase = (functionId: string) => functionId.replace(/Function$/, '') || functionId;

/**
 * A queue that keeps what failed for 14 days (SQS's longest), and an alarm that goes off as soon as it
 * holds a message: nothing fails silently. Add an SNS topic to AlarmActions to be told.
 */
function failureQueue(id: string, what: string): Resources {
  return {
    [id]: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true } },
    [`${id}Alarm`]: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmDescription: `${what} are waiting in ${id}`,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: getAtt(id, 'QueueName') }],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      },
    },
  };
}

const sqsDestination = (queue: string) => ({ Type: 'SQS', Destination: getAtt(queue, 'Arn') });

/** Lambda sends a failed event (or a stream batch's place) to the queue as the function's role. */
const sendTo = (queue: string, what: string): Grant => ({
  name: `SendTo${queue}`,
  why: `${what} go to ${queue}.`,
  actions: ['sqs:SendMessage'],
  resources: [getAtt(queue, 'Arn')],
});

const streamSource = (stream: unknown, failures: string) => ({
  Stream: stream,
  StartingPosition: 'TRIM_HORIZON',
  BatchSize: 100,
  // A failing record is retried alone (bisect) a few times instead of blocking the shard for a day,
  // then its batch's position is sent to the failure queue and the shard moves on.
  BisectBatchOnFunctionError: true,
  MaximumRetryAttempts: 3,
  FunctionResponseTypes: ['ReportBatchItemFailures'],
  DestinationConfig: { OnFailure: sqsDestination(failures) },
});

/**
 * Asynchronous sources (S3, SNS, EventBridge, schedules): Lambda retries a failed invocation twice
 * within an hour, then sends the event to the function's failure queue. Shared by every such kind.
 */
const asyncFailures = {
  resources: (ctx: EventContext) => failureQueue(`${ctx.base}AsyncFailureQueue`, `Asynchronous events ${ctx.functionId} failed on`),
  functionProperties: (ctx: EventContext) => ({
    EventInvokeConfig: {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: sqsDestination(`${ctx.base}AsyncFailureQueue`) },
    },
  }),
  failure: (ctx: EventContext) => `asynchronous events (S3, SNS, EventBridge, schedules): after 2 retries within an hour, the event goes to \`${ctx.base}AsyncFailureQueue\``,
  grants: (ctx: EventContext) => [sendTo(`${ctx.base}AsyncFailureQueue`, 'Asynchronous events that failed 3 times')],
};

export const EVENTS: EventKind[] = [
  {
    id: 'api',
    description: 'REST API (API Gateway), GET on the function\'s path',
    event: (ctx) => ({ name: 'Api', Type: 'Api', Properties: { Path: ctx.route, Method: 'get' } }),
    outputs: (ctx) => ({
      ApiUrl: { Description: `URL of GET ${ctx.route} on the REST API's Prod stage`, Value: apiUrl('ServerlessRestApi', '/Prod', ctx.route) },
    }),
  },
  {
    id: 'http-api',
    description: 'HTTP API (API Gateway, payload 2.0), GET on the function\'s path',
    event: (ctx) => ({ name: 'HttpApi', Type: 'HttpApi', Properties: { Path: ctx.route, Method: 'GET' } }),
    outputs: (ctx) => ({
      HttpApiUrl: { Description: `URL of GET ${ctx.route} on the HTTP API`, Value: apiUrl('ServerlessHttpApi', '', ctx.route) },
    }),
  },
  {
    id: 'function-url',
    description: 'Function URL, signed with IAM (AWS_IAM auth)',
    // AWS_IAM: callers sign requests with SigV4. Change AuthType to NONE only for a public endpoint.
    functionProperties: () => ({ FunctionUrlConfig: { AuthType: 'AWS_IAM' } }),
    outputs: (ctx) => ({
      FunctionUrl: { Description: `Function URL of ${ctx.functionId}`, Value: getAtt(`${ctx.functionId}Url`, 'FunctionUrl') },
    }),
  },
  {
    id: 's3',
    description: 'S3 bucket: objects created in it (private, encrypted)',
    // The bucket is named, not referenced, in the function's policy: a Ref would make the bucket,
    // its notification and the function's role depend on each other in a cycle.
    resources: (ctx) => ({
      ...asyncFailures.resources(ctx),
      [`${ctx.base}Bucket`]: {
        Type: 'AWS::S3::Bucket',
        Properties: { BucketName: bucketName(ctx), ...PRIVATE_BUCKET },
      },
    }),
    functionProperties: asyncFailures.functionProperties,
    failure: asyncFailures.failure,
    event: (ctx) => ({ name: 'Upload', Type: 'S3', Properties: { Bucket: ref(`${ctx.base}Bucket`), Events: 's3:ObjectCreated:*' } }),
    // Read only: a function that wrote to the bucket that triggers it would invoke itself forever.
    grants: (ctx) => [
      ...asyncFailures.grants(ctx),
      {
        name: `Read${ctx.base}Bucket`,
        why: 'The objects of the bucket that triggers it, read only: writing there would trigger it again.',
        actions: ['s3:GetObject'],
        resources: [bucketName(ctx, (name) => `arn:\${AWS::Partition}:s3:::${name}/*`)],
      },
    ],
    outputs: (ctx) => ({ BucketName: { Description: `Bucket whose new objects trigger ${ctx.functionId}`, Value: ref(`${ctx.base}Bucket`) } }),
  },
  {
    id: 'sqs',
    description: 'SQS queue with a dead-letter queue, partial batch failures',
    resources: (ctx) => ({
      [`${ctx.base}Queue`]: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          // At least 6x the function timeout, so a message is not redelivered while being processed.
          VisibilityTimeout: Math.max(30, 6 * ctx.timeout),
          SqsManagedSseEnabled: true,
          RedrivePolicy: { deadLetterTargetArn: getAtt(`${ctx.base}DeadLetterQueue`, 'Arn'), maxReceiveCount: 5 },
        },
      },
      ...failureQueue(`${ctx.base}DeadLetterQueue`, `Messages ${ctx.functionId} failed on 5 times`),
    }),
    failure: (ctx) => `queue messages: one that fails 5 times moves to \`${ctx.base}DeadLetterQueue\``,
    event: (ctx) => ({
      name: 'Messages',
      Type: 'SQS',
      Properties: { Queue: getAtt(`${ctx.base}Queue`, 'Arn'), BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] },
    }),
    grants: (ctx) => [
      {
        name: `Read${ctx.base}Queue`,
        why: "Lambda's poller receives and deletes the queue's messages as the function's role.",
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        resources: [getAtt(`${ctx.base}Queue`, 'Arn')],
      },
    ],
    outputs: (ctx) => ({
      QueueUrl: { Description: `Queue that feeds ${ctx.functionId}`, Value: ref(`${ctx.base}Queue`) },
      DeadLetterQueueUrl: { Description: 'Messages that failed 5 times', Value: ref(`${ctx.base}DeadLetterQueue`) },
    }),
  },
  {
    id: 'sns',
    description: 'SNS topic (encrypted)',
    resources: (ctx) => ({
      ...asyncFailures.resources(ctx),
      [`${ctx.base}Topic`]: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: 'alias/aws/sns' } },
    }),
    functionProperties: asyncFailures.functionProperties,
    failure: asyncFailures.failure,
    grants: asyncFailures.grants,
    event: (ctx) => ({ name: 'Notification', Type: 'SNS', Properties: { Topic: ref(`${ctx.base}Topic`) } }),
    outputs: (ctx) => ({ TopicArn: { Description: `Topic that triggers ${ctx.functionId}`, Value: ref(`${ctx.base}Topic`) } }),
  },
  {
    id: 'schedule',
    description: 'Schedule (EventBridge rule), every hour',
    ...asyncFailures,
    event: () => ({ name: 'Schedule', Type: 'Schedule', Properties: { Schedule: 'rate(1 hour)', Description: 'Runs the function every hour' } }),
  },
  {
    id: 'eventbridge',
    description: 'EventBridge rule on the default bus, matching an event pattern',
    ...asyncFailures,
    event: () => ({
      name: 'OrderPlaced',
      Type: 'EventBridgeRule',
      Properties: { Pattern: { source: ['com.example.orders'], 'detail-type': ['OrderPlaced'] } },
    }),
  },
  {
    id: 'dynamodb',
    description: 'DynamoDB table stream, partial batch failures',
    resources: (ctx) => ({
      [`${ctx.base}Table`]: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
          SSESpecification: { SSEEnabled: true },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        },
      },
      ...failureQueue(`${ctx.base}TableStreamFailureQueue`, `Table stream batches ${ctx.functionId} failed on`),
    }),
    event: (ctx) => ({
      name: 'TableStream',
      Type: 'DynamoDB',
      Properties: streamSource(getAtt(`${ctx.base}Table`, 'StreamArn'), `${ctx.base}TableStreamFailureQueue`),
    }),
    failure: (ctx) => `table stream records: after 3 retries, the failed batch's place in the stream (shard and sequence numbers, not the records) goes to \`${ctx.base}TableStreamFailureQueue\``,
    grants: (ctx) => [
      {
        name: `Read${ctx.base}TableStream`,
        why: "Lambda's poller reads the table's stream as the function's role (ListStreams on the table's streams).",
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
        resources: [getAtt(`${ctx.base}Table`, 'StreamArn'), sub(`\${${ctx.base}Table.Arn}/stream/*`)],
      },
      sendTo(`${ctx.base}TableStreamFailureQueue`, 'Batches that failed 4 times (their place in the stream)'),
    ],
    outputs: (ctx) => ({ TableName: { Description: `Table whose changes trigger ${ctx.functionId}`, Value: ref(`${ctx.base}Table`) } }),
  },
  {
    id: 'kinesis',
    description: 'Kinesis data stream (on-demand, encrypted), partial batch failures',
    resources: (ctx) => ({
      [`${ctx.base}Stream`]: {
        Type: 'AWS::Kinesis::Stream',
        Properties: {
          StreamModeDetails: { StreamMode: 'ON_DEMAND' },
          StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
        },
      },
      ...failureQueue(`${ctx.base}StreamFailureQueue`, `Stream batches ${ctx.functionId} failed on`),
    }),
    event: (ctx) => ({ name: 'Records', Type: 'Kinesis', Properties: streamSource(getAtt(`${ctx.base}Stream`, 'Arn'), `${ctx.base}StreamFailureQueue`) }),
    failure: (ctx) => `Kinesis records: after 3 retries, the failed batch's place in the stream (shard and sequence numbers, not the records) goes to \`${ctx.base}StreamFailureQueue\``,
    grants: (ctx) => [
      {
        name: `Read${ctx.base}Stream`,
        why: "Lambda's poller reads the stream's shards as the function's role.",
        actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'],
        resources: [getAtt(`${ctx.base}Stream`, 'Arn')],
      },
      sendTo(`${ctx.base}StreamFailureQueue`, 'Batches that failed 4 times (their place in the stream)'),
    ],
    outputs: (ctx) => ({ StreamName: { Description: `Stream that feeds ${ctx.functionId}`, Value: ref(`${ctx.base}Stream`) } }),
  },
  {
    id: 'none',
    description: 'No trigger: invoke it yourself (SDK, CLI, Step Functions)',
  },
];

export function findEvent(id: string): EventKind | undefined {
  return EVENTS.find((e) => e.id === id);
}
