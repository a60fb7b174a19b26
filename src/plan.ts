// A plan is everything a command will write, decided before anything touches the disk.

export interface PlannedFile {
  /** Relative to the plan's root, `/`-separated. */
  path: string;
  content: string;
  mode: number;
  /** `edit` replaces a file that exists (add, --force); `create` makes a new one. */
  action: 'create' | 'edit';
  /** The current content of an edited file, for diffs. */
  before?: string;
}

export interface Plan {
  /** Absolute folder the paths are relative to. */
  root: string;
  /** True when the root folder itself is created (a new project). */
  createRoot: boolean;
  files: PlannedFile[];
}

export function addFiles(plan: Plan, prefix: string, files: { path: string; content: string; mode: number }[]): void {
  for (const f of files) {
    const path = prefix ? `${prefix}/${f.path}` : f.path;
    if (plan.files.some((p) => p.path === path)) throw new Error(`Two templates write ${path}`);
    plan.files.push({ path, content: f.content, mode: f.mode, action: 'create' });
  }
}
