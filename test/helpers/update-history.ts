// The template history the update tests replay: release 1.0.0 is this source as it is, 1.1.0 the
// same with the changes a later release typically brings (a base image moved, a .dockerignore line,
// a Globals property, an event source's setting, a script it no longer generates).
import type { SourceChange } from './release.ts';

export const V1 = '1.0.0';
export const V2 = '1.1.0';

export const V2_CHANGES: SourceChange[] = [
  { file: 'src/registry/runtimes/python.ts', from: 'baseImage: `public.ecr.aws/lambda/python:${version}`', to: 'baseImage: `public.ecr.aws/lambda/python:${version}.2026.12.01`' },
  { file: 'templates/functions/python/dot_dockerignore', from: '.ruff_cache/\n', to: '.ruff_cache/\n.hypothesis/\n' },
  { file: 'src/sam/project-template.ts', from: "LoggingConfig: { LogFormat: 'JSON' },", to: "LoggingConfig: { LogFormat: 'JSON' },\n        EphemeralStorage: { Size: 1024 }," },
  { file: 'src/registry/events.ts', from: 'BatchSize: 10, FunctionResponseTypes', to: 'BatchSize: 5, FunctionResponseTypes' },
  { file: 'templates/project/scripts/local-invoke.sh', remove: true },
];

/** What 1.1.0 writes where 1.0.0 wrote something else: each must show in an updated project. */
export const V2_BASE_IMAGE = 'ARG BASE_IMAGE=public.ecr.aws/lambda/python:3.13.2026.12.01';
