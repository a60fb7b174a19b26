// The stages of a Dockerfile: each FROM's image with its variables substituted, and where that image
// is written. Only what the rules need is read: parser directives (escape), comments, line
// continuations, the ARGs before the first FROM (the only ones a FROM can use) and the FROMs.
// A value passed in DockerBuildArgs wins over an ARG's default, as `docker build --build-arg` does.

export interface Where {
  file: string;
  line: number;
}

export interface BuildArg {
  value: string;
  at: Where;
}

export interface Stage {
  /** The image after substitution; undefined when a variable in it has no value. */
  image?: string;
  /** The image as the FROM line writes it (`${BASE_IMAGE}`). */
  written: string;
  /** Its name (`AS build`), lower-cased as Docker does. */
  name?: string;
  /** The index of the earlier stage it builds on (`FROM build`). */
  base?: number;
  /** Where the image is written: the ARG (or DockerBuildArgs entry) its first variable comes from, else the FROM. */
  at: Where;
}

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

function instructions(text: string): Instruction[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let escape = '\\';
  let i = 0;
  // Parser directives: `# key=value` lines at the very top.
  for (; i < lines.length; i++) {
    const directive = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(lines[i]!);
    if (!directive) break;
    if (directive[1]!.toLowerCase() === 'escape') escape = directive[2]!;
  }
  const out: Instruction[] = [];
  let current: Instruction | undefined;
  for (; i < lines.length; i++) {
    const raw = lines[i]!;
    if (/^\s*#/.test(raw) || (current && raw.trim() === '')) continue; // comments go, even inside a continuation
    const trimmed = raw.replace(/\s+$/, '');
    const continued = trimmed.endsWith(escape);
    const part = continued ? trimmed.slice(0, -escape.length) : trimmed;
    if (current) current.args += ` ${part.trim()}`;
    else if (part.trim()) {
      const m = /^\s*(\S+)\s*(.*)$/.exec(part)!;
      current = { keyword: m[1]!.toUpperCase(), args: m[2]!, line: i + 1 };
    }
    if (!continued && current) {
      out.push(current);
      current = undefined;
    }
  }
  if (current) out.push(current);
  return out;
}

const unquote = (s: string) => s.replace(/^(["'])(.*)\1$/, '$2');

/** `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME:+alternative}` with the values known; undefined if one is missing. */
function substitute(text: string, values: Map<string, BuildArg>): { value?: string; first?: BuildArg } {
  let missing = false;
  let first: BuildArg | undefined;
  const value = text.replace(/\$(?:\{(\w+)(?::([-+])([^}]*))?\}|(\w+))/g, (_, braced?: string, op?: string, word?: string, bare?: string) => {
    const arg = values.get((braced ?? bare)!);
    first ??= arg;
    const set = arg !== undefined && arg.value !== '';
    if (op === '-') return set ? arg.value : word!;
    if (op === '+') return set ? word! : '';
    if (!arg) missing = true;
    return arg?.value ?? '';
  });
  return { value: missing ? undefined : value, first };
}

export function readStages(text: string, file: string, buildArgs: Map<string, BuildArg>): Stage[] {
  const args = new Map<string, BuildArg>();
  const stages: Stage[] = [];
  for (const ins of instructions(text)) {
    if (ins.keyword === 'ARG' && stages.length === 0) {
      for (const token of ins.args.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []) {
        const [name, ...rest] = token.split('=');
        const given = buildArgs.get(name!);
        const value = rest.length > 0 ? unquote(rest.join('=')) : undefined;
        if (given) args.set(name!, given);
        else if (value !== undefined) args.set(name!, { value, at: { file, line: ins.line } });
      }
    }
    if (ins.keyword !== 'FROM') continue;
    const words = ins.args.split(/\s+/).filter((w) => w && !w.startsWith('--'));
    const written = words[0] ?? '';
    const { value, first } = substitute(written, args);
    const asAt = words.findIndex((w) => w.toLowerCase() === 'as');
    const name = asAt > 0 ? words[asAt + 1]?.toLowerCase() : undefined;
    const base = value === undefined ? -1 : stages.findIndex((s) => s.name === value.toLowerCase());
    stages.push({ image: value, written, name, base: base >= 0 ? base : undefined, at: first?.at ?? { file, line: ins.line } });
  }
  return stages;
}
