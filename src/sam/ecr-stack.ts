// ecr.yaml (`--ecr cloudformation`): a CloudFormation stack with the ECR repositories that
// scripts/ecr-setup.sh would set up, one per image function, with the same settings. The
// account-wide registry scanning configuration is left out: a stack owning it would replace the
// rules of every other project in the account (the script merges a rule into it instead).
import { tagResources } from './taggable.ts';
import { Document, type Node, type YAMLMap } from 'yaml';
import { cfnTags } from './cfn-tags.ts';
import { insertFragment } from './edit-template.ts';
import type { Fragment } from './function-resources.ts';
import { Intrinsic, getAtt, quoted, ref, sub, toYamlNode } from './intrinsics.ts';
import { WHOLE_PARSE_LINES, readTemplate } from './read-template.ts';

export const ECR_STACK_FILE = 'ecr.yaml';

const KEEP = 'KeepTaggedImages';
const KMS = 'KmsKeyArn';

/** Untagged images expire after a day; the last KeepTaggedImages tagged ones are kept. */
const LIFECYCLE = JSON.stringify({
  rules: [
    { rulePriority: 1, description: 'Expire untagged images after 1 day', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } },
    { rulePriority: 2, description: 'Keep the last 0 tagged images', selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 0 }, action: { type: 'expire' } },
  ],
})
  .replace('last 0 tagged', `last \${${KEEP}} tagged`)
  .replace('"countNumber":0', `"countNumber":\${${KEEP}}`);

/** The repository of one function and the output with its URI. */
export function repositoryFragment(functionId: string, repositoryName: string, tags?: Record<string, string>): Fragment {
  const id = `${functionId}Repository`;
  const fragment: Fragment = {
    resources: {
      [id]: {
        Type: 'AWS::ECR::Repository',
        // Images outlive the stack: deleting it leaves the repository (and what runs from it).
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          RepositoryName: repositoryName,
          // Immutable tags, except sam deploy's own (<logical id>-<image id>-<DockerTag>), which
          // name their content and which SAM pushes again on every deploy.
          ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
          ImageTagMutabilityExclusionFilters: [
            { ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: `${functionId.toLowerCase()}-*` },
          ],
          ImageScanningConfiguration: { ScanOnPush: true },
          EncryptionConfiguration: {
            EncryptionType: new Intrinsic('If', ['UseKms', 'KMS', 'AES256']),
            KmsKey: new Intrinsic('If', ['UseKms', ref(KMS), ref('AWS::NoValue')]),
          },
          LifecyclePolicy: { LifecyclePolicyText: sub(LIFECYCLE) },
        },
      },
    },
    outputs: {
      [`${id}Uri`]: { Description: `Where ${functionId}'s images go: its entry of image_repositories in samconfig.toml`, Value: getAtt(id, 'RepositoryUri') },
    },
    comments: {},
  };
  if (tags) tagResources(fragment.resources, tags);
  return fragment;
}

/** ecr.yaml of a new project. */
export function ecrStack(project: { name: string; repository: string }, functions: { id: string; folder: string }[], tags?: Record<string, string>): string {
  const doc = new Document({}, { customTags: cfnTags });
  const root = doc.contents as YAMLMap;
  const add = (key: string, value: unknown, comment?: string) => {
    const pair = doc.createPair(key, toYamlNode(doc, value));
    if (root.items.length > 0) (pair.key as Node).spaceBefore = true;
    if (comment) (pair.key as Node).commentBefore = comment;
    root.items.push(pair);
  };
  root.items.push(doc.createPair('AWSTemplateFormatVersion', quoted('2010-09-09')));
  add('Description', `${project.name}: the Amazon ECR repositories of its image functions, one per function`);
  (root.items[1]!.key as Node).spaceBefore = false;
  doc.commentBefore = [
    ` The ECR repositories of ${project.name}, as a CloudFormation stack of their own:`,
    `   aws cloudformation deploy --stack-name ${project.name}-ecr --template-file ecr.yaml`,
    ` then put each RepositoryUri output into image_repositories in samconfig.toml`,
    ` ([default.deploy.parameters]) in place of resolve_image_repos.`,
    ' Scanning on push is set on each repository; the account-wide registry scanning configuration',
    ' is left to scripts/ecr-setup.sh, which adds a rule for this project and keeps the others.',
  ].join('\n');
  add('Parameters', {
    [KEEP]: { Type: 'Number', Default: 20, MinValue: 1, Description: 'Tagged images each repository keeps (older ones expire)' },
    [KMS]: { Type: 'String', Default: '', Description: 'A KMS key to encrypt the images with; empty for AES-256. ECR sets encryption at creation only' },
  });
  add('Conditions', { UseKms: new Intrinsic('Not', [new Intrinsic('Equals', [ref(KMS), ''])]) });
  const fragments = functions.map((f) => repositoryFragment(f.id, `${project.repository}/${f.folder}`, tags));
  add('Resources', Object.assign({}, ...fragments.map((f) => f.resources)));
  add('Outputs', Object.assign({}, ...fragments.map((f) => f.outputs)));
  return doc.toString({ lineWidth: 0 });
}

/** ecr.yaml with a repository for one more function, every existing byte kept. */
export function addToEcrStack(text: string, functionId: string, repositoryName: string, tags?: Record<string, string>): string | undefined {
  const reading = readTemplate(text, ECR_STACK_FILE, WHOLE_PARSE_LINES, 'cloudformation');
  if (reading.resourceIds.includes(`${functionId}Repository`)) return undefined;
  return insertFragment(text, repositoryFragment(functionId, repositoryName, tags), ECR_STACK_FILE, reading);
}
