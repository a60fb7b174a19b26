// What ended up in an image's /var/task, read from the image's mounted file system (not by running it),
// and the checks the tier makes on it: handler present, production dependencies present, and no
// TypeScript sources, tests, devDependencies or .env files.
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ImageEngine } from './engine.ts';

export interface ImageContents {
  image: string;
  /** The image's CMD[0]: the Lambda handler name. */
  handler: string;
  taskRoot: string;
  /** Every file and symlink under taskRoot, relative to it, sorted. */
  files: string[];
  /** Top-level packages in taskRoot/node_modules ("name" or "@scope/name"). */
  nodeModules: string[];
}

export async function inspectContents(engine: ImageEngine, image: string, taskRoot = '/var/task'): Promise<ImageContents> {
  const info = await engine.inspect(image);
  return engine.withMountedImage(image, async (root) => {
    const base = join(root, taskRoot);
    const files: string[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const r = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) await walk(join(dir, entry.name), r);
        else files.push(r);
      }
    };
    if (existsSync(base) && (await lstat(base)).isDirectory()) await walk(base, '');
    files.sort();
    const nodeModules = new Set<string>();
    for (const f of files) {
      const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(f);
      if (m?.[1]) nodeModules.add(m[1]);
    }
    return { image, handler: info.cmd[0] ?? '', taskRoot, files, nodeModules: [...nodeModules].sort() };
  });
}

/** Files that may stand for a handler's module: Node's "dir/mod.fn" (first dot) and Python's "pkg/mod.fn" (last dot). */
export function handlerModuleCandidates(handler: string): string[] {
  const slash = handler.lastIndexOf('/');
  const dir = handler.slice(0, slash + 1);
  const rest = handler.slice(slash + 1);
  const nodeModule = dir + (rest.split('.')[0] ?? rest);
  const pyModule = handler.includes('.') ? handler.slice(0, handler.lastIndexOf('.')).replace(/\./g, '/') : handler;
  return [
    nodeModule,
    ...['.js', '.mjs', '.cjs'].map((e) => nodeModule + e),
    `${pyModule}.py`,
    `${pyModule}/__init__.py`,
  ];
}

function normalizePy(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '_');
}

/**
 * Problems with an image's contents, judged against the function folder it was built from
 * (its package.json / package-lock.json or requirements.txt). Empty when all is well.
 */
export async function checkContents(contents: ImageContents, functionDir: string): Promise<string[]> {
  const problems: string[] = [];
  const files = new Set(contents.files);
  const own = contents.files.filter((f) => !f.startsWith('node_modules/'));

  const candidates = handlerModuleCandidates(contents.handler);
  if (!candidates.some((c) => files.has(c))) {
    problems.push(`handler ${contents.handler}: none of ${candidates.join(', ')} in ${contents.taskRoot}`);
  }

  const pkgPath = join(functionDir, 'package.json');
  if (existsSync(pkgPath)) {
    const pkg = JSON.parse(await readFile(pkgPath, 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    const lockPath = join(functionDir, 'package-lock.json');
    const lock = existsSync(lockPath)
      ? (JSON.parse(await readFile(lockPath, 'utf8')) as { packages?: Record<string, { dev?: boolean }> })
      : {};
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      if (!contents.nodeModules.includes(dep)) problems.push(`production dependency ${dep} missing from node_modules`);
    }
    for (const dep of Object.keys(pkg.devDependencies ?? {})) {
      const devOnly = lock.packages?.[`node_modules/${dep}`]?.dev ?? true;
      if (devOnly && contents.nodeModules.includes(dep)) problems.push(`devDependency ${dep} present in node_modules`);
    }
  }

  const reqPath = join(functionDir, 'requirements.txt');
  if (existsSync(reqPath)) {
    const wanted = (await readFile(reqPath, 'utf8'))
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter((l) => l && !l.startsWith('-'))
      .map((l) => normalizePy(/^[A-Za-z0-9._-]+/.exec(l)?.[0] ?? l));
    const installed = new Set(
      own.map((f) => /^([^/]+)-[^-/]+\.dist-info\//.exec(f)?.[1]).filter((n): n is string => !!n).map(normalizePy),
    );
    for (const name of wanted) if (!installed.has(name)) problems.push(`requirement ${name} not installed (no ${name}-*.dist-info)`);
  }

  for (const f of own) {
    const name = f.split('/').pop() ?? f;
    if (/\.[mc]?ts$/.test(name) && !/\.d\.[mc]?ts$/.test(name)) problems.push(`TypeScript source ${f}`);
    if (/(^|\/)(tests?|__tests__)\//.test(f) || /\.(test|spec)\.[cm]?[jt]s$/.test(name) || /^(test_.*|.*_test|conftest)\.py$/.test(name)) {
      problems.push(`test file ${f}`);
    }
  }
  for (const f of contents.files) {
    if (/^\.env(\..*)?$/.test(f.split('/').pop() ?? f)) problems.push(`environment file ${f}`);
  }
  return problems;
}
