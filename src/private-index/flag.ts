// --private-index <url>: an index URL without credentials, for a language whose package manager
// src/registry/private-index.ts knows; `none` (for add in a project that records one) is the public index.
import { UserError } from '../errors.ts';
import type { Language } from '../registry/runtimes.ts';
import { INDEX_TOOLS, indexToolFor } from '../registry/private-index.ts';
import { RUNTIMES } from '../registry/runtimes.ts';

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/;

export function parsePrivateIndex(raw: string, language: Language | undefined): string {
  const text = raw.trim();
  if (text === '' || text === 'none') return '';
  if (language && !indexToolFor(language.templates)) {
    const served = RUNTIMES.flatMap((r) => r.languages).filter((l) => INDEX_TOOLS.some((t) => t.languages.includes(l.templates)));
    const labels = [...new Set(served.map((l) => (l.templates.startsWith('nodejs') ? `Node.js ${l.label}` : l.label)))];
    throw new UserError(`--private-index supports ${labels.join(', ')}, not ${language.label}`, 'Leave out --private-index for this runtime');
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`--private-index ${text} is not a URL`, 'Pass the index URL, e.g. --private-index https://pypi.example.com/simple/');
  }
  if (url.username || url.password) {
    throw new UserError('--private-index must not carry credentials: they would be written into the project', 'Pass the URL without user:password@; the credentials are a build secret (README.md)');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    throw new UserError(`--private-index ${text} is not https`, 'Pass an https:// URL (plain http only for an index on this machine, e.g. http://127.0.0.1:8080/)');
  }
  if (url.search || url.hash) throw new UserError(`--private-index ${text} has a query or fragment`, 'Pass the index URL alone');
  return url.href;
}
