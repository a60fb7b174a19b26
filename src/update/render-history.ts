// Remakes a project from its history in a scratch folder: each step rendered by the release chosen for
// it, the kit at the version given. What is read back is what those releases would have written.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedKit } from '../kit/kit.ts';
import type { HistoryStep } from './history.ts';
import type { Rendered } from './merge-files.ts';
import { rendererFor, type RenderStepFn } from './releases.ts';

export interface HistoryRender {
  /** The release each step is rendered with. */
  versionOf(step: HistoryStep): string;
  kit?: RecordedKit;
  /** The project folder: relative kit sources are resolved from it. */
  projectDir: string;
  installed: boolean;
}

function readTree(root: string, dir = '', into = new Map<string, Rendered>()): Map<string, Rendered> {
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) readTree(root, path, into);
    else into.set(path, { content: readFileSync(join(root, path), 'utf8'), mode: statSync(join(root, path)).mode & 0o777 });
  }
  return into;
}

export async function renderHistory(steps: HistoryStep[], o: HistoryRender): Promise<Map<string, Rendered>> {
  const scratch = mkdtempSync(join(tmpdir(), 'ccl-update-'));
  const project = join(scratch, 'project');
  const renderers = new Map<string, Promise<RenderStepFn>>();
  const renderer = (version: string) => {
    if (!renderers.has(version)) renderers.set(version, rendererFor(version));
    return renderers.get(version)!;
  };
  try {
    for (const step of steps) {
      const render = await renderer(o.versionOf(step));
      if (step.kind === 'skeleton') mkdirSync(project);
      await render(project, {
        kind: step.kind,
        answers: step.answers,
        kitAnswers: step.kitAnswers,
        kit: o.kit && { record: o.kit },
        base: o.projectDir,
        installed: o.installed,
      });
    }
    return readTree(project);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
