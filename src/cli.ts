#!/usr/bin/env node
// Entry point: parse the command line, run the command, turn errors into one line and an exit code.
import { helpText, parseCommandLine } from './args.ts';
import { UserError } from './errors.ts';
import { TOOL } from './version.ts';

async function main(argv: string[]): Promise<void> {
  const parsed = parseCommandLine(argv);
  if (parsed.switches.help) return console.log(helpText(TOOL.version));
  if (parsed.switches.version) return console.log(TOOL.version);
  const out = { log: (line: string) => console.log(line), warn: (line: string) => console.error(line) };
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
