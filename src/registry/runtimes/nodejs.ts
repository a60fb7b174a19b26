// Node.js runtimes, each in TypeScript (compiled in a build stage) or JavaScript.
import type { Family, Language, Runtime } from '../runtimes.ts';

const install = ['npm', 'install', '--no-audit', '--no-fund'];

const languages: Language[] = [
  { id: 'typescript', label: 'TypeScript', templates: 'nodejs-typescript', handler: 'app.handler', install, lockfile: 'package-lock.json', testSetup: ['npm install'], test: 'npm test', powertools: true, toolchain: 'node', marker: 'package.json' },
  { id: 'javascript', label: 'JavaScript', templates: 'nodejs-javascript', handler: 'app.handler', install, lockfile: 'package-lock.json', testSetup: ['npm install'], test: 'npm test', powertools: true, toolchain: 'node', marker: 'package.json' },
];

const runtime = (major: string, deprecation: string): Runtime => ({
  id: `nodejs${major}.x`,
  label: `Node.js ${major}`,
  baseImage: `public.ecr.aws/lambda/nodejs:${major}`,
  deprecation,
  languages,
  vars: { version: major, nodeMajor: major },
});

export const nodejs: Family = {
  runtimes: [runtime('24', '2028-04-30'), runtime('22', '2027-04-30')],
  retired: [
    { id: 'nodejs20.x', like: 'nodejs22.x', baseImage: 'public.ecr.aws/lambda/nodejs:20', deprecation: '2026-04-30', replacement: 'nodejs24.x', vars: { version: '20', nodeMajor: '20' } },
  ],
};
