// The package managers --private-index configures, by language template folder. The index's URL is
// configuration, written where the manager reads it (requirements.txt, .npmrc); its credentials are a
// BuildKit secret, mounted for the install steps only, so they are in no layer and not in the image
// history. A language missing here refuses the flag.

export interface IndexTool {
  /** The package manager, for messages and the README. */
  name: string;
  /** Language template folders (`Language.templates`) it serves. */
  languages: string[];
  /** The build secret's id (`RUN --mount=type=secret,id=...`, `--secret id=...`). */
  secretId: string;
  /** Where the secret is mounted during an install step: the file the manager reads credentials from. */
  target: string;
  /** The environment variable the builds take the secret's content from. */
  env: string;
  /** RUN steps that install from the index. */
  installs: RegExp;
  /** The start of the secret file's line for an index at `url`: what names the index. */
  linePrefix(url: URL): string;
  /** The rest of the line: the user's credentials, as placeholders. */
  credentials: string;
}

export const INDEX_TOOLS: IndexTool[] = [
  {
    name: 'pip',
    languages: ['python'],
    secretId: 'netrc',
    // pip asks ~/.netrc for the credentials of an index URL that carries none.
    target: '/root/.netrc',
    env: 'PRIVATE_INDEX_NETRC',
    installs: /\bpip3? install\b/,
    linePrefix: (url) => `machine ${url.hostname} `,
    credentials: 'login <user> password <token>',
  },
  {
    name: 'npm',
    languages: ['nodejs-typescript', 'nodejs-javascript'],
    secretId: 'npmrc',
    // The user-level npmrc: the project's .npmrc names the registry, this one holds its token.
    target: '/root/.npmrc',
    env: 'PRIVATE_INDEX_NPMRC',
    installs: /\bnpm (?:ci|install|i)\b/,
    linePrefix: (url) => `//${url.host}${url.pathname.replace(/\/?$/, '/')}:_authToken=`,
    credentials: '<token>',
  },
];

export const indexToolFor = (templates: string): IndexTool | undefined => INDEX_TOOLS.find((t) => t.languages.includes(templates));
