// The CI systems --ci offers. A system is one entry here and one templates folder (rendered into the
// project when chosen); `none` renders nothing.
import type { RenderedFile } from '../templates/layers.ts';
import { githubToolchainRows } from './ci/github.ts';

export interface CiSystem {
  /** Value of --ci. */
  id: string;
  label: string;
  /** Folder under templates/ rendered into the project, if any. */
  templates?: string;
  /** Files built from the registry rather than from a template (data the workflow reads). */
  files?(): RenderedFile[];
}

export const CI_SYSTEMS: CiSystem[] = [
  { id: 'none', label: 'None' },
  {
    id: 'github',
    label: 'GitHub Actions: unit tests, then deploy to each stage through OIDC',
    templates: 'ci/github',
    files: () => [{ path: '.github/ci/toolchains.json', content: `${JSON.stringify(githubToolchainRows(), null, 2)}\n`, mode: 0o644 }],
  },
];

export function findCi(id: string): CiSystem | undefined {
  return CI_SYSTEMS.find((c) => c.id === id);
}
