// The bucket a function writes its results to: never the bucket whose uploads trigger it, or each
// result would invoke it again, forever. Its own name is left to CloudFormation.
import { PRIVATE_BUCKET, type EventContext } from '../events.ts';
import { ref, sub } from '../../sam/intrinsics.ts';
import type { Grant } from '../../sam/execution-role.ts';

export const outputBucketId = (ctx: EventContext) => `${ctx.base}OutputBucket`;

export const outputBucket = {
  resources: (ctx: EventContext) => ({ [outputBucketId(ctx)]: { Type: 'AWS::S3::Bucket', Properties: { ...PRIVATE_BUCKET } } }),
  grants: (ctx: EventContext): Grant[] => [
    {
      name: `Write${outputBucketId(ctx)}`,
      why: 'Its results, written to a bucket of their own: writing to the bucket that triggers it would trigger it again.',
      actions: ['s3:PutObject'],
      resources: [sub(`\${${outputBucketId(ctx)}.Arn}/*`)],
    },
  ],
  environment: (ctx: EventContext) => ({ OUTPUT_BUCKET: ref(outputBucketId(ctx)) }),
  outputs: (ctx: EventContext) => ({ OutputBucketName: { Description: `Bucket ${ctx.functionId} writes its results to`, Value: ref(outputBucketId(ctx)) } }),
};
