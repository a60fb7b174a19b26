#!/usr/bin/env node
// Entry point: parse the command line, run the command, turn errors into one line and an exit code.
import { existsSync, readFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONFIG_FILE } from './project/config.ts';
import { helpText, parseCommandLine, peekCommandLine } from './args.ts';
import { UserError } from './errors.ts';
import { TOOL } from './version.ts';

/**
 * console.log without process.stdout: setting that stream up loads Node's stream modules, which a
 * run that prompts for nothing does not otherwise need. The stream takes over whatever a write to
 * the descriptor leaves unwritten (a non-blocking pipe or terminal that is full, a closed pipe).
 */
function print(line: string): void {
  const bytes = Buffer.from(`${line}\n`);
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(1, bytes, done);
  } catch (error) {
    // A reader that went away (`| head -1`) wants no more lines: not an error of this command.
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return;
    if (process.stdout.listenerCount('error') === 0) process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'EPIPE') throw e; });
    process.stdout.write(bytes.subarray(done));
  }
}

/** Whether the command may run with a kit: --kit, or a project configuration that records one. */
function mayUseKit(command: string, kit: string | undefined, dir: string | undefined): boolean {
  if (kit) return true;
  if (command === 'new' || command === 'update') return false;
  const config = join(resolve(dir ?? '.'), CONFIG_FILE);
  return existsSync(config) && readFileSync(config, 'utf8').includes('"kit"');
}

async function main(argv: string[]): Promise<void> {
  const out = { log: print, warn: (line: string) => console.error(line) };
  const peek = peekCommandLine(argv);
  if (peek.command === 'kit') return (await import('./commands/kit.ts')).kitCommand(argv.slice(argv.indexOf('kit') + 1), out);
  // The kit's modules load only for a run that uses one.
  const use = mayUseKit(peek.command, peek.kit, peek.dir)
    ? await (await import('./kit/use.ts')).kitFor(peek.command, { kit: peek.kit, dir: peek.dir, trust: argv.includes('--trust-kit') })
    : undefined;
  const parsed = parseCommandLine(argv, use ? (await import('./kit/use.ts')).kitFlags(use) : []);
  if (parsed.switches.help) return print(helpText(TOOL.version, use && (await import('./kit/use.ts')).kitHelp(use)));
  if (parsed.switches.version) return print(TOOL.version);
  // Each command's modules are loaded only when it runs: --help, --version and add skip new's.
  if (parsed.command === 'update') return (await import('./commands/update.ts')).updateCommand(parsed, out);
  if (parsed.command === 'check') return (await import('./commands/check.ts')).checkCommand(parsed, use, out);
  if (parsed.command === 'add') return (await import('./commands/add.ts')).addFunction(parsed, parsed.paths, out, use);
  await (await import('./commands/new.ts')).newProject(parsed, out, use);
}

function run(argv: string[]): void {
  main(argv).catch((error: unknown) => {
    if (error instanceof UserError) {
      console.error(`error: ${error.line()}`);
      if (argv.includes('--debug')) console.error(error.stack);
      process.exitCode = error.exitCode;
    } else {
      console.error(`error: ${(error as Error)?.message ?? String(error)}`);
      console.error(argv.includes('--debug') ? (error as Error)?.stack : 'Run again with --debug for details.');
      process.exitCode = 1;
    }
  });
}

/** The plop generators (generators/plopfile.ts), for dist/plopfile.js: loaded only when plop calls them. */
export async function plopfile(plop: import('node-plop').NodePlopAPI): Promise<void> {
  (await import('../generators/plopfile.ts')).default(plop);
}

/** One step of a project's history rendered into a project held in memory: what `update` of a later release calls (src/update/releases.ts). */
export async function renderStep(tree: import('./update/render-step.ts').ProjectTree, step: import('./update/render-step.ts').RenderStep) {
  return (await import('./update/render-step.ts')).renderStep(tree, step);
}

// A program, unless dist/plopfile.js loaded the bundle for its generators.
if (!(globalThis as Record<symbol, unknown>)[Symbol.for('create-container-lambda.library')]) run(process.argv.slice(2));
