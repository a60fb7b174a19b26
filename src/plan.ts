// A plan is everything a command will write, decided before anything touches the disk.

export interface PlannedFile {
  /** Relative to the plan's root, `/`-separated. */
  path: string;
  content: string;
  mode: number;
  /** `edit` replaces a file that exists (add, --force); `create` makes a new one; `delete` removes one (update). */
  action: 'create' | 'edit' | 'delete';
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

/**
 * The order files are listed in: by UTF-16 code unit, the same on every machine (a locale's
 * collation would make the listing depend on where it runs).
 */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
