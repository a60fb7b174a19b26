// Which resource types the tool generates take Tags, and in which shape: CloudFormation's own types a
// list of {Key, Value}; SAM's a map. A type missing here is left untagged (CloudFormation would
// refuse a Tags property it does not have).
const LIST_TAGS = new Set([
  'AWS::IAM::Role',
  'AWS::Logs::LogGroup',
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::S3::Bucket',
  'AWS::DynamoDB::Table',
  'AWS::Kinesis::Stream',
  'AWS::CloudWatch::Alarm',
  'AWS::ECR::Repository',
]);
const MAP_TAGS = new Set(['AWS::Serverless::Function', 'AWS::Serverless::Api', 'AWS::Serverless::HttpApi', 'AWS::Serverless::StateMachine']);

export const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** Adds the tags to every taggable resource that has none of its own (SAM functions are tagged by the caller). */
export function tagResources(resources: Record<string, Record<string, unknown>>, tags: Record<string, string>): void {
  for (const resource of Object.values(resources)) {
    const type = String(resource.Type);
    if (!LIST_TAGS.has(type) && !(MAP_TAGS.has(type) && type !== 'AWS::Serverless::Function')) continue;
    const properties = (resource.Properties ??= {}) as Record<string, unknown>;
    properties.Tags ??= LIST_TAGS.has(type) ? tagList(tags) : { ...tags };
  }
}
