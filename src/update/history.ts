// A project's history as `update` replays it: the `new` that made it, then each `add`, in the order
// `.create-container-lambda.json` recorded them, each with the tool version that ran it.
import type { Answers } from '../options.ts';
import type { RecordedKit } from '../kit/kit.ts';
import type { KitAnswers } from '../kit/settings.ts';
import { CONFIG_FILE, type FunctionRecord } from '../project/config.ts';
import { UserError } from '../errors.ts';

export interface ProjectConfig {
  tool?: { name: string; version: string };
  answers?: Partial<Answers>;
  kit?: RecordedKit;
  kitAnswers?: KitAnswers;
  /** Whether `new` installed dependencies (recorded since update; absent: it did, the default). */
  installed?: boolean;
  functions?: Record<string, FunctionRecord>;
  /** Files the last update left with conflicts: update refuses to run while they have markers or a .rej. */
  conflicted?: string[];
}

export interface HistoryStep {
  kind: 'new' | 'add' | 'skeleton';
  /** The tool version that ran it. */
  version: string;
  answers: Partial<Answers>;
  kitAnswers?: KitAnswers;
  /** The function it made (none for a skeleton). */
  functionId?: string;
}

/**
 * The steps that remake the project. A project made before functions were recorded has its `new`
 * alone; a repository this tool did not make starts from a bare template (the functions' resources
 * are then merged into the user's template, the rest of which no step wrote).
 */
export function history(config: ProjectConfig): HistoryStep[] {
  const functions = Object.values(config.functions ?? {});
  const steps: HistoryStep[] = [];
  const first = config.answers?.functionId;
  if (config.answers) {
    if (!config.tool?.version) throw new UserError(`${CONFIG_FILE} records no tool version`, 'Restore the file from version control');
    const own = config.functions?.[first ?? ''];
    steps.push({ kind: 'new', version: own?.tool.version ?? config.tool.version, answers: config.answers, kitAnswers: config.kitAnswers, functionId: first });
  } else {
    if (!functions.length) throw new UserError(`${CONFIG_FILE} records no project and no function`, 'Nothing to update: add functions with create-container-lambda add');
    steps.push({ kind: 'skeleton', version: functions[0]!.tool.version, answers: {} });
  }
  for (const f of functions) {
    if (f.answers.functionId === first && config.answers) continue;
    steps.push({ kind: 'add', version: f.tool.version, answers: f.answers, kitAnswers: f.kitAnswers, functionId: f.answers.functionId });
  }
  return steps;
}
