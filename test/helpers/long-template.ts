// A SAM template with `n` image functions, each with an API event and an output: the long template
// of the add benchmark and of the tests that read templates in part.
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
