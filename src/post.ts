// Steps after the files are in place: install dependencies so lockfiles exist, then a git repository
// with a first commit. zx is loaded only here. A failing step is a warning with the command to run:
// the project is already complete without it.

export interface PostStep {
  title: string;
  /** Folder relative to the project root. */
  cwd: string;
  command: string[];
}

export interface PostResult {
  step: PostStep;
  ok: boolean;
  detail?: string;
}

async function zx() {
  const { $ } = await import('zx/core');
  return $({ quiet: true, verbose: false });
}

export async function runSteps(root: string, steps: PostStep[], report: (line: string) => void): Promise<PostResult[]> {
  if (steps.length === 0) return [];
  const $ = await zx();
  const results: PostResult[] = [];
  for (const step of steps) {
    report(`${step.title}...`);
    const [cmd, ...args] = step.command;
    try {
      await $({ cwd: `${root}/${step.cwd}`.replace(/\/\.$/, '') })`${cmd} ${args}`;
      results.push({ step, ok: true });
    } catch (error) {
      const detail = String((error as { stderr?: string }).stderr || (error as Error).message).trim().split('\n').slice(-1)[0];
      results.push({ step, ok: false, detail });
    }
  }
  return results;
}

/** True when `dir` is inside a git work tree already (then no repository is made). */
export async function insideGitRepo(dir: string): Promise<boolean> {
  const $ = await zx();
  try {
    await $({ cwd: dir })`git rev-parse --is-inside-work-tree`;
    return true;
  } catch {
    return false;
  }
}

export function gitSteps(message: string): PostStep[] {
  return [
    { title: 'Initialising a git repository', cwd: '.', command: ['git', 'init', '--quiet'] },
    { title: 'Staging the files', cwd: '.', command: ['git', 'add', '--all'] },
    { title: 'Making the first commit', cwd: '.', command: ['git', 'commit', '--quiet', '--message', message] },
  ];
}
