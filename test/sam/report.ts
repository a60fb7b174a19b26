// Named checks of the SAM tier, printed as they end ("ok  name: detail" / "FAIL name: detail"), and the
// small concurrency helpers the tier's two lanes share.

export class Report {
  passed = 0;
  failed = 0;
  check(name: string, ok: boolean, detail = ''): boolean {
    const line = `${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`;
    if (ok) this.passed++;
    else this.failed++;
    console.log(line.split('\n').map((l, i) => (i ? `       | ${l}` : l)).join('\n'));
    return ok;
  }
  async attempt(name: string, fn: () => Promise<void>): Promise<boolean> {
    try {
      await fn();
      return true;
    } catch (e) {
      return this.check(name, false, (e as Error).message);
    }
  }
}

/** Runs the functions given to it one at a time, in the order given. */
export function serial(): <T>(fn: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const run = last.then(fn);
    last = run.catch(() => undefined);
    return run;
  };
}

/** Runs work(item) for every item, at most `jobs` at once, in the order given. */
export async function pool<T>(items: readonly T[], jobs: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, lane));
}

export const seconds = (ms: number) => (ms / 1000).toFixed(1);

export function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((x) => x.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((x) => (x[i] ?? '').length)));
  return cells.map((x) => x.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
