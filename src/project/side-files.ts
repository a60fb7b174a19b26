// Byte-preserving edits to the files beside the template that list the project's functions:
// samconfig.toml's image_repositories, the FUNCTIONS list of scripts/project.sh (or, in projects
// generated before it, of the ECR setup script) and ecr.yaml's repositories. Each returns the
// new text, or undefined when the file has no such list (then nothing needs to change).

/** Adds `"<Id>=<uri>"` to every image_repositories array, the URI modelled on the first entry. */
export function addImageRepository(text: string, functionId: string, folder: string): string | undefined {
  const pattern = /(image_repositories\s*=\s*\[)([^\]]*)\]/g;
  let changed = false;
  const result = text.replace(pattern, (whole, head: string, body: string) => {
    const first = /"([^"=]+)=([^"]+)"/.exec(body);
    if (!first || body.includes(`"${functionId}=`)) return whole;
    changed = true;
    const uri = first[2]!.replace(/[^/]+$/, folder);
    const entry = `"${functionId}=${uri}"`;
    if (!body.includes('\n')) return `${head}${body.replace(/\s*$/, '')}, ${entry}${body.match(/\s*$/)![0]}]`;
    // One entry per line: a new line like the last one, before the closing bracket's line.
    const lines = body.split('\n');
    const lastEntry = [...lines].reverse().find((l) => l.includes('"'))!;
    const indent = lastEntry.match(/^\s*/)![0];
    const index = lines.lastIndexOf(lastEntry);
    const eol = lastEntry.endsWith('\r') ? '\r' : '';
    const bare = lastEntry.replace(/\r$/, '');
    lines[index] = (bare.trimEnd().endsWith(',') ? bare : `${bare.trimEnd()},`) + eol;
    lines.splice(index + 1, 0, `${indent}${entry},${eol}`);
    return `${head}${lines.join('\n')}]`;
  });
  return changed ? result : undefined;
}

/**
 * Adds `"<Id>:<field>:..."` to a bash `FUNCTIONS=( ... )` list, one line per entry: scripts/project.sh
 * takes `<Id>:<folder>:<arch>`, the ECR script of projects generated before it `<Id>:<folder>`.
 */
export function addToFunctionList(text: string, functionId: string, ...fields: string[]): string | undefined {
  const match = /^FUNCTIONS=\(\r?\n((?:[^)]*\r?\n)*?)\)/m.exec(text);
  if (!match || match[1]!.includes(`"${functionId}:`)) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^([ \t]*)"/m.exec(match[1]!)?.[1] ?? '  ';
  const at = match.index + match[0].length - 1; // the closing parenthesis
  return `${text.slice(0, at)}${indent}"${[functionId, ...fields].join(':')}"${eol}${text.slice(at)}`;
}
