// Python runtimes on the official Lambda base images.
import type { Family, Language, Runtime } from '../runtimes.ts';

const language: Language = {
  id: 'python',
  label: 'Python',
  templates: 'python',
  handler: 'app.lambda_handler',
  test: 'python3 -m pytest',
  testSetup: ['python3 -m venv .venv && . .venv/bin/activate', 'pip install -r requirements-dev.txt'],
  powertools: true,
  toolchain: 'python',
  marker: 'requirements-dev.txt',
};

const runtime = (version: string, deprecation: string): Runtime => ({
  id: `python${version}`,
  label: `Python ${version}`,
  baseImage: `public.ecr.aws/lambda/python:${version}`,
  deprecation,
  languages: [language],
  vars: { version, pythonVersion: version },
});

export const python: Family = {
  runtimes: [
    runtime('3.14', '2029-06-30'),
    runtime('3.13', '2029-06-30'),
    runtime('3.12', '2028-10-31'),
    runtime('3.11', '2027-06-30'),
  ],
  retired: [
    { id: 'python3.10', like: 'python3.13', baseImage: 'public.ecr.aws/lambda/python:3.10', deprecation: '2026-10-31', replacement: 'python3.13', vars: { version: '3.10', pythonVersion: '3.10' } },
    { id: 'python3.9', like: 'python3.13', baseImage: 'public.ecr.aws/lambda/python:3.9', deprecation: '2025-12-15', replacement: 'python3.13', vars: { version: '3.9', pythonVersion: '3.9' } },
  ],
};
