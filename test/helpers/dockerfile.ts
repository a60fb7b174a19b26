// Checks a generated Dockerfile with a Dockerfile parser (dockerfile-ast), not regular expressions:
// the base image is named once (ARG BASE_IMAGE) and used by the final stage, CMD/ENTRYPOINT are in
// exec form and name the registry's handler, and every COPY source exists in the build context and
// is not excluded by .dockerignore.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';

export interface Expected {
  baseImage: string;
  /** The handler as the registry names it (CMD of the final stage, or the bootstrap for OS-only runtimes). */
  handler: string;
  /** Something is compiled: the Dockerfile must have a build stage the final stage copies from. */
  compiled: boolean;
  /** Files the install step writes, absent when the project was generated with --no-install. */
  installed?: string[];
}

function jsonArgs(instruction: Instruction): string[] | undefined {
  const strings = (instruction as unknown as { getJSONStrings?(): { getJSONValue(): string }[] }).getJSONStrings?.();
  return strings && strings.length ? strings.map((s) => s.getJSONValue()) : undefined;
}

function ignored(contextDir: string): string[] {
  const file = join(contextDir, '.dockerignore');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => l.replace(/\/$/, ''));
}

export function checkDockerfile(contextDir: string, expected: Expected): string[] {
  const problems: string[] = [];
  const dockerfile = DockerfileParser.parse(readFileSync(join(contextDir, 'Dockerfile'), 'utf8'));
  const args = new Map(dockerfile.getInitialARGs().flatMap((a) => a.getProperties().map((p) => [p.getName(), p.getValue() ?? ''] as const)));
  const resolve = (text: string) => text.replace(/\$\{?(\w+)\}?/g, (m, name: string) => args.get(name) ?? m);

  if (args.get('BASE_IMAGE') !== expected.baseImage) {
    problems.push(`ARG BASE_IMAGE is ${args.get('BASE_IMAGE') ?? 'missing'}, expected ${expected.baseImage}`);
  }
  const froms = dockerfile.getFROMs();
  const final = froms.at(-1);
  if (!final) return [...problems, 'no FROM'];
  if (final.getImage() !== '${BASE_IMAGE}' || resolve(final.getImage() ?? '') !== expected.baseImage) {
    problems.push(`final FROM is ${final.getImage()}, expected \${BASE_IMAGE} (${expected.baseImage})`);
  }
  const baseMentions = dockerfile.getInstructions().filter((i) => i.getTextContent().includes(expected.baseImage));
  if (baseMentions.length !== 1) problems.push(`the base image is named ${baseMentions.length} times; name it once, in ARG BASE_IMAGE`);

  const finalStart = final.getRange().start.line;
  const finalInstructions = dockerfile.getInstructions().filter((i) => i.getRange().start.line >= finalStart);
  const entrypoint = finalInstructions.filter((i) => i.getKeyword() === 'ENTRYPOINT').at(-1);
  const cmd = finalInstructions.filter((i) => i.getKeyword() === 'CMD').at(-1);
  for (const i of [entrypoint, cmd]) {
    if (i && !jsonArgs(i)) problems.push(`${i.getKeyword()} is in shell form; use exec form ["..."]`);
  }
  const command = [...(entrypoint ? jsonArgs(entrypoint) ?? [] : []), ...(cmd ? jsonArgs(cmd) ?? [] : [])];
  if (!command.some((part) => part === expected.handler || part.endsWith(`/${expected.handler}`))) {
    problems.push(`final stage runs ${JSON.stringify(command)}, expected the handler ${expected.handler}`);
  }

  const stages = new Set(froms.map((f) => f.getBuildStage()).filter((s): s is string => Boolean(s)));
  const excluded = ignored(contextDir);
  let copiesFromStage = false;
  for (const copy of dockerfile.getCOPYs()) {
    const from = copy.getFromFlag()?.getValue();
    if (from) {
      if (!stages.has(from)) problems.push(`COPY --from=${from} names no stage`);
      if (copy.getRange().start.line > finalStart) copiesFromStage = true;
      continue;
    }
    const parts = copy.getArguments().map((a) => a.getValue()).filter((v) => !v.startsWith('--'));
    for (const source of parts.slice(0, -1)) {
      const path = source.replace(/^\.\/?/, '') || '.';
      if (/[*?]/.test(path)) {
        // A wildcard must match a file of the context (top-level names only, as the templates use).
        const pattern = new RegExp(`^${path.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
        if (!readdirSync(contextDir).some((f) => pattern.test(f) && !excluded.includes(f))) problems.push(`COPY ${source}: matches nothing in the build context`);
        continue;
      }
      if (path !== '.' && !existsSync(join(contextDir, path)) && !expected.installed?.includes(path)) problems.push(`COPY ${source}: not in the build context`);
      const top = path.split('/')[0]!;
      if (path !== '.' && excluded.includes(top)) problems.push(`COPY ${source}: excluded by .dockerignore`);
    }
  }
  if (expected.compiled && (froms.length < 2 || !copiesFromStage)) {
    problems.push('compiled language: expected a build stage whose artifact the final stage copies (COPY --from)');
  }
  return problems;
}
