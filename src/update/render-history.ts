// Remakes a project from its history, in memory: each step rendered by the release chosen for it, the
// kit at the version given. The result is what those releases would have written. A history that
// one other release renders whole is rendered in a worker thread, beside this thread's work.
import { basename } from 'node:path';
import type { RecordedKit } from '../kit/kit.ts';
import { TOOL } from '../version.ts';
import type { HistoryStep } from './history.ts';
import type { Rendered } from './merge-files.ts';
import type { RenderStep } from './render-step.ts';
import { releaseCli, rendererFor, tooOld, type RenderStepFn } from './releases.ts';

export interface HistoryRender {
  /** The release each step is rendered with. */
  versionOf(step: HistoryStep): string;
  kit?: RecordedKit;
  /** The project folder: relative kit sources are resolved from it. */
  projectDir: string;
  installed: boolean;
}

export async function renderHistory(steps: HistoryStep[], o: HistoryRender): Promise<Map<string, Rendered>> {
  const toRender = steps.map((step): [string, RenderStep] => [
    o.versionOf(step),
    { kind: step.kind, answers: step.answers, kitAnswers: step.kitAnswers, kit: o.kit && { record: o.kit }, base: o.projectDir, installed: o.installed, folder: basename(o.projectDir) },
  ]);
  const versions = new Set(toRender.map(([v]) => v));
  const [only] = versions;
  if (versions.size === 1 && only !== TOOL.version) {
    const { renderInWorker } = await import('./render-worker.ts');
    return renderInWorker(await releaseCli(only!), toRender.map(([, s]) => s), () => tooOld(only!));
  }
  const tree = new Map<string, Rendered>();
  const renderers = new Map<string, Promise<RenderStepFn>>();
  for (const [version, step] of toRender) {
    if (!renderers.has(version)) renderers.set(version, rendererFor(version));
    await (await renderers.get(version)!)(tree, step);
  }
  return tree;
}
