// The private index's credentials on a rendered Dockerfile: each RUN step that installs packages
// mounts them as a BuildKit secret, for that step only, so they are in no layer and not in the image
// history; a build without the secret fails at that step rather than reaching the index unauthenticated.
// Any Dockerfile works, the language's or an app template's own.
import type { IndexTool } from '../registry/private-index.ts';

const SYNTAX = '# syntax=docker/dockerfile:1';

/** A RUN instruction's lines from `start`: the first and each one a trailing backslash continues. */
function instructionEnd(lines: string[], start: number): number {
  let end = start;
  while (end < lines.length - 1 && /\\\s*$/.test(lines[end]!)) end += 1;
  return end;
}

export function mountSecret(dockerfile: string, tool: IndexTool): string {
  const lines = dockerfile.split('\n');
  const out: string[] = [];
  // The Dockerfile frontend of BuildKit's current 1.x release: RUN --mount=type=secret and its `required`.
  if (!lines[0]?.startsWith('# syntax=')) out.push(SYNTAX);
  const mount = `--mount=type=secret,id=${tool.secretId},target=${tool.target},required=true`;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const run = /^(\s*)RUN\s+(?!--mount=type=secret)/i.exec(line);
    const end = run ? instructionEnd(lines, i) : i;
    if (!run || !tool.installs.test(lines.slice(i, end + 1).join('\n'))) {
      out.push(line);
      continue;
    }
    const indent = run[1] ?? '';
    // npm reads the registry from the .npmrc of the folder it installs in: copied above the comments on the RUN.
    if (tool.name === 'npm') {
      let above = out.length;
      while (above > 0 && /^\s*#/.test(out[above - 1]!) && !out[above - 1]!.startsWith('# syntax=')) above -= 1;
      out.splice(above, 0, `${indent}# The registry npm installs from (.npmrc holds no token).`, `${indent}COPY .npmrc ./`);
    }
    out.push(`${indent}# The index's credentials: build secret ${tool.secretId}, mounted for this step only (in no layer, not in the history).`);
    out.push(`${indent}RUN ${mount} \\`, `${indent}    ${line.slice(run[0].length)}`, ...lines.slice(i + 1, end + 1));
    i = end;
  }
  return out.join('\n');
}
