// --private-index on one function's files and resource: the index's URL where the package manager
// reads it, the credentials' secret mounted on each install step of the Dockerfile, and the secret
// handed to `sam build --use-buildkit` through Metadata.DockerBuildExtraParams.
import { indexToolFor, type IndexTool } from '../registry/private-index.ts';
import type { RenderedFile } from '../templates/layers.ts';
import type { Fragment } from '../sam/function-resources.ts';
import { mountSecret } from './dockerfile.ts';

/** What the templates (README, samconfig.toml) say of a function's private index. */
export interface PrivateIndexContext {
  url: string;
  tool: string;
  secretId: string;
  env: string;
  target: string;
  /** The secret file's content, with placeholders for the credentials. */
  example: string;
  /** The start of that line, which names the index (to pick the line out of a file that has others). */
  linePrefix: string;
  /** The file in the function folder that names the index. */
  configFile: string;
  /** The secret as a GitHub Actions workflow names it. */
  ciSecret: string;
  /** The file the package manager reads credentials from on a developer's machine or a CI runner: ~/.netrc, ~/.npmrc. */
  userFile: string;
}

export interface PrivateIndex {
  url: string;
  tool: IndexTool;
  context: PrivateIndexContext;
}

/** The index a function installs from: none without a URL, or for a language no tool serves (an inherited URL then does not apply). */
export function privateIndexFor(url: string | undefined, templates: string): PrivateIndex | undefined {
  const tool = indexToolFor(templates);
  if (!url || !tool) return undefined;
  const configFile = tool.name === 'pip' ? 'requirements.txt' : '.npmrc';
  const linePrefix = tool.linePrefix(new URL(url));
  const context = { url, tool: tool.name, secretId: tool.secretId, env: tool.env, target: tool.target, example: linePrefix + tool.credentials, linePrefix, configFile, ciSecret: `\${{ secrets.${tool.env} }}`, userFile: `~/${tool.target.split('/').pop()}` };
  return { url, tool, context };
}

const PIP_LINES = (url: string) => [
  '# Every package comes from the private index (which also serves, or proxies, PyPI\'s): with one',
  '# index, no public package can take the place of a private one. pip reads its credentials from',
  '# ~/.netrc, here and, as a build secret, in the image build (README.md: "Private package index").',
  `--index-url ${url}`,
];

const NPMRC = (url: string) =>
  [
    '# The registry every package comes from (it also serves, or proxies, the public ones). Its token is',
    '# not here: it is in your user-level ~/.npmrc, and in the image build a secret that only the install',
    '# steps see (README.md: "Private package index").',
    `registry=${url}`,
    '',
  ].join('\n');

/** The function's files with the index configured and every Dockerfile's install steps given the secret. */
export function configureFiles(files: RenderedFile[], index: PrivateIndex): RenderedFile[] {
  const out = files.map((f) => {
    if (/(^|\/)Dockerfile[^/]*$/.test(f.path)) return { ...f, content: mountSecret(f.content, index.tool) };
    if (index.tool.name === 'pip' && f.path === 'requirements.txt') return { ...f, content: [...PIP_LINES(index.url), f.content].join('\n') };
    return f;
  });
  if (index.tool.name === 'npm' && !out.some((f) => f.path === '.npmrc')) out.push({ path: '.npmrc', content: NPMRC(index.url), mode: 0o644 });
  return out;
}

/** `sam build --use-buildkit` passes the secret from the environment; the classic builder cannot (README). */
export function addBuildSecret(fragment: Fragment, functionId: string, index: PrivateIndex): void {
  const resource = fragment.resources[functionId] as { Metadata?: Record<string, unknown> };
  resource.Metadata = { ...resource.Metadata, DockerBuildExtraParams: ['--secret', `id=${index.tool.secretId},env=${index.tool.env}`] };
}
