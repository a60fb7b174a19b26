#!/usr/bin/env node
// Entry point: parse the command line, run the command, turn errors into one line and an exit code.
import { writeSync } from 'node:fs';
import { helpText, parseCommandLine } from './args.ts';
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
  } catch {
    process.stdout.write(bytes.subarray(done));
  }
}

async function main(argv: string[]): Promise<void> {
  const parsed = parseCommandLine(argv);
  if (parsed.switches.help) return print(helpText(TOOL.version));
  if (parsed.switches.version) return print(TOOL.version);
  const out = { log: print, warn: (line: string) => console.error(line) };
  // Each command's modules are loaded only when it runs: --help, --version and add skip new's.
  if (parsed.command === 'add') return (await import('./commands/add.ts')).addFunction(parsed, parsed.paths, out);
  await (await import('./commands/new.ts')).newProject(parsed, out);
}

const argv = process.argv.slice(2);
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
