// The runtime table. Prompts, flag validation, --help, deprecation checks and template choice all
// derive from it: adding a runtime means one entry here and, for a new language, one templates folder.

export type Arch = 'x86_64' | 'arm64';

export interface Language {
  /** Value of --language. */
  id: string;
  /** Shown in prompts and --help. */
  label: string;
  /** Folder under templates/functions/ holding this language's function files. */
  templates: string;
  /** The handler as the image's CMD names it. */
  handler: string;
  /** Installs dependencies after generation (so the lockfile exists); run in the function folder. */
  install?: string[];
  /** The project's own unit-test command, run in the function folder. */
  test: string;
}

export interface Runtime {
  /** Lambda runtime identifier, the value of --runtime. */
  id: string;
  label: string;
  /** Final-stage base image, the one place its tag is written. */
  baseImage: string;
  /** Date after which AWS blocks function creation (ISO), from AWS's runtime deprecation schedule. */
  deprecation: string;
  /** Language variants; the first is the default. */
  languages: Language[];
  /** Values the templates use (interpreter version and the like). */
  vars: Record<string, string>;
}

const python = (version: string, deprecation: string): Runtime => ({
  id: `python${version}`,
  label: `Python ${version}`,
  baseImage: `public.ecr.aws/lambda/python:${version}`,
  deprecation,
  languages: [
    {
      id: 'python',
      label: 'Python',
      templates: 'python',
      handler: 'app.lambda_handler',
      test: 'python3 -m pytest',
    },
  ],
  vars: { pythonVersion: version },
});

const nodeLanguages: Language[] = [
  {
    id: 'typescript',
    label: 'TypeScript',
    templates: 'nodejs-typescript',
    handler: 'app.handler',
    install: ['npm', 'install', '--no-audit', '--no-fund'],
    test: 'npm test',
  },
  {
    id: 'javascript',
    label: 'JavaScript',
    templates: 'nodejs-javascript',
    handler: 'app.handler',
    install: ['npm', 'install', '--no-audit', '--no-fund'],
    test: 'npm test',
  },
];

const nodejs = (major: string, deprecation: string): Runtime => ({
  id: `nodejs${major}.x`,
  label: `Node.js ${major}`,
  baseImage: `public.ecr.aws/lambda/nodejs:${major}`,
  deprecation,
  languages: nodeLanguages,
  vars: { nodeMajor: major },
});

export const RUNTIMES: Runtime[] = [
  python('3.13', '2029-06-30'),
  nodejs('22', '2027-04-30'),
];

export function findRuntime(id: string): Runtime | undefined {
  return RUNTIMES.find((r) => r.id === id);
}
