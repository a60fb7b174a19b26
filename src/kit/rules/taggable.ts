// Resource types the required-tags rule checks, with where their tags go and in which shape: a map
// ({team: x}) or a list ([{Key: team, Value: x}]). The CloudFormation rows come from cfn-lint 1.51's
// bundled resource schemas ("tagging": {"taggable": true, "tagProperty"}, and the property's type);
// the SAM rows from the SAM schema. A type missing here is not checked. AWS::CloudWatch::Dashboard,
// AWS::Lambda::LayerVersion (so AWS::Serverless::LayerVersion), AWS::Lambda::Url, the policy and
// permission types and AWS::Serverless::Connector cannot carry tags.
export interface Tagging {
  property: string;
  form: 'map' | 'list';
}

const map = (property = 'Tags'): Tagging => ({ property, form: 'map' });
const list = (property = 'Tags'): Tagging => ({ property, form: 'list' });

export const TAGGABLE: Record<string, Tagging> = {
  // SAM: merged with Globals.<Type>.Tags. SAM has that global for Function, HttpApi, WebSocketApi and
  // CapacityProvider only (the translator refuses Globals.Api.Tags, so a valid template has none).
  'AWS::Serverless::Function': map(),
  'AWS::Serverless::Api': map(),
  'AWS::Serverless::HttpApi': map(),
  'AWS::Serverless::WebSocketApi': map(),
  'AWS::Serverless::StateMachine': map(),
  'AWS::Serverless::SimpleTable': map(),
  'AWS::Serverless::Application': map(),
  'AWS::Serverless::CapacityProvider': map(),
  'AWS::Serverless::GraphQLApi': list(),

  'AWS::ApiGateway::ApiKey': list(),
  'AWS::ApiGateway::DomainName': list(),
  'AWS::ApiGateway::RestApi': list(),
  'AWS::ApiGateway::Stage': list(),
  'AWS::ApiGateway::UsagePlan': list(),
  'AWS::ApiGatewayV2::Api': map(),
  'AWS::ApiGatewayV2::DomainName': map(),
  'AWS::ApiGatewayV2::VpcLink': map(),
  'AWS::AppSync::GraphQLApi': list(),
  'AWS::ApplicationInsights::Application': list(),
  'AWS::CloudFront::Distribution': list(),
  'AWS::CloudWatch::Alarm': list(),
  'AWS::CloudWatch::CompositeAlarm': list(),
  'AWS::CodeDeploy::Application': list(),
  'AWS::Cognito::IdentityPool': list('IdentityPoolTags'),
  'AWS::Cognito::UserPool': map('UserPoolTags'),
  'AWS::DynamoDB::Table': list(),
  'AWS::EC2::SecurityGroup': list(),
  'AWS::EC2::Subnet': list(),
  'AWS::EC2::VPC': list(),
  'AWS::EC2::VPCEndpoint': list(),
  'AWS::ECR::Repository': list(),
  'AWS::ECS::Cluster': list(),
  'AWS::EFS::FileSystem': list('FileSystemTags'),
  'AWS::Events::EventBus': list(),
  'AWS::Events::Rule': list(),
  'AWS::IAM::Role': list(),
  'AWS::IAM::User': list(),
  'AWS::Kinesis::Stream': list(),
  'AWS::KinesisFirehose::DeliveryStream': list(),
  'AWS::KMS::Key': list(),
  'AWS::Lambda::CodeSigningConfig': list(),
  'AWS::Lambda::EventSourceMapping': list(),
  'AWS::Lambda::Function': list(),
  'AWS::Logs::LogGroup': list(),
  'AWS::Pipes::Pipe': map(),
  'AWS::ResourceGroups::Group': list(),
  'AWS::Route53::HostedZone': list('HostedZoneTags'),
  'AWS::S3::Bucket': list(),
  'AWS::Scheduler::ScheduleGroup': list(),
  'AWS::SecretsManager::Secret': list(),
  'AWS::SNS::Topic': list(),
  'AWS::SQS::Queue': list(),
  'AWS::SSM::Parameter': map(),
  'AWS::StepFunctions::Activity': list(),
  'AWS::StepFunctions::StateMachine': list(),
};
