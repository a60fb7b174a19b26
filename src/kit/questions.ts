// A kit's hold on the questions: its allow lists narrow the choices (and a flag outside them fails
// with one line naming the kit), its defaults replace the built-in ones, and its prompts become
// questions of their own, each with a flag.
import { UserError } from '../errors.ts';
import type { Answers, Choice, Question } from '../options.ts';
import { QUESTIONS } from '../options.ts';
import type { Kit } from './kit.ts';
import type { KitPrompt } from './manifest.ts';
import type { KitAnswers } from './settings.ts';

const ALLOW: Partial<Record<keyof Answers, 'runtimes' | 'architectures' | 'events'>> = { runtime: 'runtimes', arch: 'architectures', events: 'events' };

/** The question's flag for a kit default's key: defaults are keyed by flag name (build-tool, event). */
function kitDefault(kit: Kit, q: Question): unknown {
  return q.flag ? kit.manifest.defaults?.[q.flag] : undefined;
}

function narrowed(kit: Kit, q: Question): Question {
  const list = ALLOW[q.key] ? kit.manifest.allow?.[ALLOW[q.key]!] : undefined;
  const preset = kitDefault(kit, q);
  if (!list && preset === undefined) return q;
  const allowed = (value: string) => !list || (list as string[]).includes(value);
  const refuse = (values: string[]) => {
    const bad = values.filter((v) => !allowed(v));
    if (bad.length === 0) return;
    throw new UserError(`Kit ${kit.name} does not allow ${q.flag} ${bad.join(', ')}`, `Pass --${q.flag} ${list!.length > 1 ? 'one of ' : ''}${list!.join(', ')}`);
  };
  return {
    ...q,
    choices: q.choices && list ? (a) => q.choices!(a).filter((c: Choice) => allowed(c.value)) : q.choices,
    default: (a) => {
      if (preset !== undefined) {
        const raw = typeof preset === 'number' ? String(preset) : (preset as string | string[] | boolean);
        try {
          return q.parse(raw, a);
        } catch {
          // A default of the kit that does not fit the answers so far (a language of another runtime).
        }
      }
      const builtin = q.default(a);
      if (list && typeof builtin === 'string' && !allowed(builtin)) return q.choices?.(a).find((c) => allowed(c.value))?.value ?? list[0];
      if (list && Array.isArray(builtin)) {
        const kept = builtin.filter((v) => allowed(String(v)));
        return (kept.length ? kept : [list[0]]) as Answers[keyof Answers];
      }
      return builtin;
    },
    parse: (raw, a) => {
      const value = q.parse(raw, a);
      refuse([value].flat().map(String));
      return value;
    },
  };
}

/** The questions with the kit's allow lists and defaults applied. */
export function kitQuestions(kit: Kit | undefined, questions: Question[]): Question[] {
  return kit ? questions.map((q) => narrowed(kit, q)) : questions;
}

/** The answers a prompt's `when` reads: built-in ones by flag name, then the prompts' own. */
function flagValues(answers: Partial<Answers>): Record<string, unknown> {
  return Object.fromEntries(QUESTIONS.filter((q) => q.flag).map((q) => [q.flag!, answers[q.key]]));
}

function applies(p: KitPrompt, values: Record<string, unknown>): boolean {
  return Object.entries(p.when ?? {}).every(([name, expected]) => {
    const wanted = [expected].flat();
    return [values[name]].flat().some((v) => wanted.includes(v as string | boolean));
  });
}

/** A kit prompt as a question keyed by its name. */
function promptQuestion(kit: Kit, p: KitPrompt, builtin: Partial<Answers>): Question {
  const pattern = p.pattern === undefined ? undefined : new RegExp(p.pattern);
  const choices = p.choices?.map((c): Choice => ({ value: c, name: c }));
  return {
    key: p.name as keyof Answers,
    flag: p.name,
    valueName: p.type === 'confirm' ? '' : p.type === 'select' ? `<${p.choices!.join('|')}>` : '<value>',
    description: `${p.message} (kit ${kit.name})`,
    prompt: p.message,
    boolean: p.type === 'confirm',
    required: p.type === 'input' && p.default === undefined,
    choices: choices && (() => choices),
    when: (a) => applies(p, { ...flagValues(builtin), ...a }),
    default: () => (p.default ?? (p.type === 'confirm' ? false : undefined)) as Answers[keyof Answers],
    parse: (raw) => {
      if (p.type === 'confirm') return (raw === true || raw === 'true') as never;
      const text = String(raw);
      if (choices && !p.choices!.includes(text)) throw new UserError(`--${p.name} "${text}" is not one of ${p.choices!.join(', ')}`, `Pass --${p.name} ${p.choices![0]} (kit ${kit.name})`);
      if (pattern && !pattern.test(text)) throw new UserError(`--${p.name} "${text}" does not match ${p.pattern}`, `Pass a value that does (kit ${kit.name}: ${p.message})`);
      return text as never;
    },
  };
}

export function promptQuestions(kit: Kit | undefined, builtin: Partial<Answers>): Question[] {
  return (kit?.manifest.prompts ?? []).map((p) => promptQuestion(kit!, p, builtin));
}

/** Answers to the prompts, by name; recorded answers (add) stand in for flags not given. */
export function asKitAnswers(values: object, kit: Kit | undefined): KitAnswers {
  const names = new Set((kit?.manifest.prompts ?? []).map((p) => p.name));
  return Object.fromEntries(Object.entries(values).filter(([k, v]) => names.has(k) && v !== undefined)) as KitAnswers;
}
