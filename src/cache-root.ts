// Where the tool keeps what it fetched or compiled once, to reuse on later runs: kits, and the
// compiled templates of kits.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** $CREATE_CONTAINER_LAMBDA_CACHE, else $XDG_CACHE_HOME/create-container-lambda, else ~/.cache/… (%LOCALAPPDATA%\… on Windows). */
export function cacheRoot(): string {
  const env = process.env;
  if (env.CREATE_CONTAINER_LAMBDA_CACHE) return resolve(env.CREATE_CONTAINER_LAMBDA_CACHE);
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and is to be ignored.
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'create-container-lambda');
  if (process.platform === 'win32') return join(env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'create-container-lambda');
  return join(homedir(), '.cache', 'create-container-lambda');
}
