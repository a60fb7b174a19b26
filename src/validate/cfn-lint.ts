// cfn-lint over a batch of templates: CloudFormation values and references, after the SAM transform.
// One run for the whole batch (a cfn-lint process costs about 1.7 s).
import { batch, requireTool, run, type ToolOptions } from './tools.ts';

// One line of `--format parseable` after the file name: line:col:endLine:endCol:RULE:message
const LINT_LINE = /^(\d+):(\d+):\d+:\d+:([EWI]\d+):(.*)$/;

/**
 * Lints all templates in ONE cfn-lint run. Findings per path as `line:col RULE message`; errors,
 * warnings and informational findings all count. Throws when cfn-lint crashes or prints output it
 * cannot attribute to a template. When cfn-lint is missing, `options.missing` decides (skipped: all empty).
 */
export async function lintTemplates(paths: string[], options: ToolOptions): Promise<Map<string, string[]>> {
  const { results, byAbs } = batch(paths);
  if (byAbs.size === 0 || !(await requireTool('cfn-lint', options))) return results;
  // cfn-lint expands its arguments with glob.glob, so a literal `*?[` would be misread.
  const globby = [...byAbs.keys()].find((p) => /[*?[]/.test(p));
  if (globby) throw new Error(`cfn-lint would read this path as a glob: ${globby}`);

  const args = ['--format', 'parseable', '--non-zero-exit-code', 'informational', '--', ...byAbs.keys()];
  const { code, stdout, stderr } = await run('cfn-lint', args);
  // Longest path first, so /a/t.yaml never claims the lines of /a/t.yaml.d/x.yaml.
  const prefixes = [...byAbs.keys()].sort((a, b) => b.length - a.length);
  let last: { owners: string[]; index: number } | undefined;
  let count = 0;
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const file = prefixes.find((p) => line.startsWith(`${p}:`));
    const m = file === undefined ? null : LINT_LINE.exec(line.slice(file.length + 1));
    if (file !== undefined && m) {
      const owners = byAbs.get(file) ?? [];
      const finding = `${m[1]}:${m[2]} ${m[3]} ${m[4]}`;
      for (const owner of owners) results.get(owner)?.push(finding);
      last = { owners, index: (results.get(owners[0] ?? '')?.length ?? 1) - 1 };
      count++;
    } else if (last) {
      // A message that spans lines: glue the continuation onto the previous finding.
      for (const owner of last.owners) {
        const list = results.get(owner);
        if (list) list[last.index] += ` ${line.trim()}`;
      }
    } else {
      throw new Error(`cfn-lint printed a line for no given template (exit ${code}): ${line}\n${stderr}`);
    }
  }
  // Exit code bits: 2 error, 4 warning, 8 informational; anything else means cfn-lint itself failed.
  if ((code & ~14) !== 0 || (code !== 0 && count === 0)) {
    throw new Error(`cfn-lint failed (exit ${code}): ${stderr.trim() || stdout.trim()}`);
  }
  return results;
}
