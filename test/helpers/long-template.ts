// A SAM template with `n` image functions, each with an API event and an output: the long template
// of the add benchmark and of the tests that read templates in part. And template.yaml as `new`
// renders it for `n` functions, the long template of the merge benchmark.
import { functionFragment } from '../../src/sam/function-resources.ts';
import { projectTemplate } from '../../src/sam/project-template.ts';

export function samTemplate(n: number): string {
  const lines = ["AWSTemplateFormatVersion: '2010-09-09'", 'Transform: AWS::Serverless-2016-10-31', 'Globals:', '  Function:', '    Timeout: 10', 'Resources:'];
  const outputs = ['Outputs:'];
  for (let i = 0; i < n; i++) {
    lines.push(`  Fn${i}Function:`, '    Type: AWS::Serverless::Function', '    Properties:', '      PackageType: Image', '      Architectures: [x86_64]',
      '      Events:', '        Api:', '          Type: Api', '          Properties:', `            Path: /fn${i}`, '            Method: get',
      '    Metadata:', '      Dockerfile: Dockerfile', `      DockerContext: ./functions/fn${i}`, '      DockerTag: python3.13-v1');
    outputs.push(`  Fn${i}Arn:`, `    Value: !GetAtt Fn${i}Function.Arn`);
  }
  return `${[...lines, ...outputs].join('\n')}\n`;
}

/** template.yaml of a project of `n` functions with an API event each (three resources and two outputs a function). */
export function generatedTemplate(n: number, globals: Record<string, unknown> = {}): string {
  const fragments = Array.from({ length: n }, (_, i) =>
    functionFragment({ id: `Fn${i}Function`, context: `./functions/fn${i}`, runtime: 'python3.13', arch: 'x86_64', events: ['api'], route: `/fn${i}`, effectiveTimeout: 10, namePrefix: 'app', traced: false, logRetention: 30 }),
  );
  return projectTemplate({ description: 'app: AWS Lambda functions packaged as container images', memory: 512, timeout: 10, tracing: false, globals, fragments });
}
