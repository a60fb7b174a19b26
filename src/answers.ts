// Turns flags into answers: validates what was given, asks for what is missing when a terminal is
// there to ask, and otherwise takes the defaults or says which flags to pass.
import { Cancelled, UserError } from './errors.ts';
import { QUESTIONS, type Answers, type Choice, type Question } from './options.ts';

export type Given = Partial<Record<keyof Answers, string | string[] | boolean>>;

export interface Mode {
  /** Accept defaults, never prompt. */
  yes: boolean;
  /** A terminal is there to ask in. */
  interactive: boolean;
}

const label = (q: Question) => (q.flag ? `--${q.flag}` : q.valueName);

/**
 * Answers for `questions` (all of `new`'s by default). `defaults` replace the table's defaults, e.g.
 * with what an existing project already uses.
 */
export async function resolveAnswers(given: Given, mode: Mode, questions: Question[] = QUESTIONS, defaults: Partial<Answers> = {}): Promise<Answers> {
  given = { ...given };
  for (const q of questions) q.normalize?.(given);
  const answers: Partial<Answers> = {};
  const missing: Question[] = [];
  const table = questions.map((q) => (q.key in defaults ? { ...q, default: (a: Partial<Answers>) => fallbackFor(q, a, defaults) } : q));
  for (const q of table) {
    const raw = given[q.key];
    const relevant = !q.when || q.when(answers);
    if (raw !== undefined && relevant) {
      set(answers, q, q.parse(raw, answers));
    } else if (raw !== undefined && String(raw) === String(q.default(answers))) {
      // The one value it would take anyway, e.g. --language java for a Java runtime.
      set(answers, q, q.default(answers));
    } else if (raw !== undefined) {
      throw new UserError(`${label(q)} does not apply here`, `Leave it out (it is for ${q.description.toLowerCase()})`);
    } else if (!relevant) {
      set(answers, q, q.default(answers));
    } else if (mode.interactive && !mode.yes && !q.noPrompt && (q.required || q.choices)) {
      // One choice leaves nothing to ask (csv-processor is triggered by s3 only).
      const choices = q.choices?.(answers);
      const only = choices?.length === 1 ? choices[0]!.value : undefined;
      set(answers, q, only === undefined ? await ask(q, answers) : q.parse(q.multiple ? [only] : only, answers));
    } else {
      const fallback = q.default(answers);
      if ((fallback === undefined && !q.optional) || (q.required && !mode.yes)) missing.push(q);
      else set(answers, q, fallback);
    }
  }
  if (missing.length > 0) {
    // Name only what has no default: --name's comes from <dir>, so a missing <dir> is the one to name.
    const probe: Partial<Answers> = { ...answers };
    const noDefault = missing.filter((q) => {
      const none = q.default(probe) === undefined;
      if (none) Object.assign(probe, { [q.key]: 'my-app' });
      return none;
    });
    const names = (noDefault.length > 0 ? noDefault : missing).map(label).join(' and ');
    const withDefaults = noDefault.length === 0;
    throw new UserError(
      `Missing ${names}`,
      withDefaults && !mode.yes
        ? `Pass ${names}, or --yes to accept the defaults (there is no terminal to ask in)`
        : `Pass ${names}, e.g. create-container-lambda my-app --yes`,
    );
  }
  return answers as Answers;
}

/** A project default, unless it does not fit the answers so far (e.g. a language of another runtime). */
function fallbackFor(q: Question, a: Partial<Answers>, defaults: Partial<Answers>): Answers[keyof Answers] | undefined {
  const value = defaults[q.key];
  if (q.choices && !q.multiple && !q.choices(a).some((c) => c.value === value)) return q.default(a);
  return value;
}

function set(answers: Partial<Answers>, q: Question, value: unknown): void {
  (answers as Record<string, unknown>)[q.key] = value;
}

/** One prompt through inquirer, loaded only now: most runs never show a prompt. */
async function ask(q: Question, answers: Partial<Answers>): Promise<unknown> {
  const { default: inquirer } = await import('inquirer');
  const fallback = q.default(answers);
  const choices = q.choices?.(answers);
  // A checkbox hands its validator the chosen choices, not their values.
  const values = (input: unknown) =>
    Array.isArray(input) ? input.map((x) => (x && typeof x === 'object' ? (x as Choice).value : String(x))) : String(input);
  const validate = (input: unknown) => {
    try {
      q.parse(values(input), answers);
      return true;
    } catch (error) {
      return error instanceof UserError ? error.line() : String(error);
    }
  };
  const question = choices
    ? {
        type: q.multiple ? 'checkbox' : 'select',
        choices: choices.map((c) => ({
          ...c,
          checked: q.multiple ? ([fallback].flat() as unknown[]).includes(c.value) : undefined,
        })),
        default: q.multiple ? undefined : fallback,
      }
    : { type: 'input', default: fallback };
  try {
    const reply = await inquirer.prompt([
      { ...question, name: 'value', message: q.prompt ?? q.description, validate } as never,
    ]);
    return q.parse((reply as { value: string | string[] }).value, answers);
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') throw new Cancelled();
    throw error;
  }
}
