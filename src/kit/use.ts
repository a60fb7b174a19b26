// Which kit a command runs with: --kit, or the one the project's configuration records (add, check
// and --help inside a kit project), opened at the recorded version.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExtraFlag, KitHelp } from '../args.ts';
import { UserError } from '../errors.ts';
import { CONFIG_FILE } from '../project/config.ts';
import { loadKit, openKit, type Kit, type RecordedKit } from './kit.ts';
import type { KitAnswers } from './settings.ts';

export interface KitInUse {
  kit: Kit;
  /** Its generators may run. */
  trusted: boolean;
  /** Answers to its prompts the project recorded (add takes them as defaults). */
  recordedAnswers: KitAnswers;
}

/** The kit a project's configuration records, if any. */
export function recordedKit(projectDir: string): { kit?: RecordedKit; answers: KitAnswers } {
  const file = join(projectDir, CONFIG_FILE);
  if (!existsSync(file)) return { answers: {} };
  const config = JSON.parse(readFileSync(file, 'utf8')) as { kit?: RecordedKit; kitAnswers?: KitAnswers };
  return { kit: config.kit, answers: config.kitAnswers ?? {} };
}

export async function kitFor(command: string, options: { kit?: string; dir?: string; trust: boolean }): Promise<KitInUse | undefined> {
  const cwd = process.cwd();
  if (command === 'new') return options.kit ? { kit: await loadKit(options.kit, cwd, options.trust), trusted: options.trust, recordedAnswers: {} } : undefined;
  const projectDir = resolve(options.dir ?? '.');
  const recorded = recordedKit(projectDir);
  if (options.kit) {
    const kit = await loadKit(options.kit, cwd, options.trust);
    if (recorded.kit && recorded.kit.name !== kit.name) {
      throw new UserError(`This project was made with kit ${recorded.kit.name}, not ${kit.name}`, 'Leave out --kit: add applies the recorded kit');
    }
    return { kit, trusted: options.trust || Boolean(recorded.kit?.trusted), recordedAnswers: recorded.answers };
  }
  if (!recorded.kit) return undefined;
  return { kit: await openKit(recorded.kit, projectDir), trusted: options.trust || Boolean(recorded.kit.trusted), recordedAnswers: recorded.answers };
}

export function kitFlags(use: KitInUse | undefined): ExtraFlag[] {
  return (use?.kit.manifest.prompts ?? []).map((p) => ({ flag: p.name, boolean: p.type === 'confirm' }));
}

export function kitHelp(use: KitInUse | undefined): KitHelp | undefined {
  if (!use) return undefined;
  const { kit } = use;
  const allow = kit.manifest.allow ?? {};
  const allowed: [string, string][] = [
    ['--runtime', allow.runtimes?.join(', ') ?? 'any'],
    ['--arch', allow.architectures?.join(', ') ?? 'any'],
    ['--event', allow.events?.join(', ') ?? 'any'],
  ];
  return {
    title: `Kit ${kit.name} ${kit.version} (${kit.record.source}) allows`,
    allowed,
    prompts: (kit.manifest.prompts ?? []).map((p): [string, string] => [`--${p.name}${p.type === 'confirm' ? '' : p.type === 'select' ? ` <${p.choices!.join('|')}>` : ' <value>'}`, `${p.message} (kit ${kit.name})`]),
  };
}
