// The tool's name and version: inlined by the bundler, read from package.json when run from source.
import { createRequire } from 'node:module';

declare const __TOOL_VERSION__: string | undefined;

export const TOOL = {
  name: 'create-container-lambda',
  version:
    typeof __TOOL_VERSION__ === 'string'
      ? __TOOL_VERSION__
      : (createRequire(import.meta.url)('../package.json') as { version: string }).version,
};
