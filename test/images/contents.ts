// What ended up in an image's /var/task (and /var/runtime/bootstrap), read from the image's mounted file
// system (not by running it), and the checks the tier makes on it: handler present (module, class file
// or OS-only executable), production dependencies present (node_modules, Python packages, Java jars in
// lib/), and no sources (TypeScript, Java, Go, Rust), tests, devDependencies, test-scoped jars or .env files.
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
  /** /var/runtime/bootstrap, when the image has one: what the OS-only runtime starts. */
  runtimeBootstrap?: { mode: number; elf: boolean; bytes: number };
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
    let runtimeBootstrap: ImageContents['runtimeBootstrap'];
    const bootstrap = join(root, 'var/runtime/bootstrap');
    const st = await lstat(bootstrap).catch(() => undefined);
    if (st?.isFile()) {
      const head = (await readFile(bootstrap)).subarray(0, 4).toString('latin1');
      runtimeBootstrap = { mode: st.mode & 0o777, elf: head === '\x7fELF', bytes: st.size };
    }
    return { image, handler: info.cmd[0] ?? '', taskRoot, files, nodeModules: [...nodeModules].sort(), runtimeBootstrap };
  });
}

/** Files that may stand for a handler's module: Node's "dir/mod.fn" (first dot), Python's "pkg/mod.fn" (last dot), Java's "pkg.Class::method". */
export function handlerModuleCandidates(handler: string): string[] {
  if (handler.includes('::')) return [`${(handler.split('::')[0] ?? '').replace(/\./g, '/')}.class`];
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

  const osOnly = existsSync(join(functionDir, 'go.mod')) || existsSync(join(functionDir, 'Cargo.toml'));
  if (osOnly) {
    // the OS-only runtime starts /var/runtime/bootstrap (the handler name is only passed on)
    const b = contents.runtimeBootstrap;
    if (!b) problems.push('no /var/runtime/bootstrap: the OS-only runtime has nothing to start');
    else if (!b.elf || (b.mode & 0o111) === 0) problems.push(`/var/runtime/bootstrap is not an executable program (mode ${b.mode.toString(8)}, ${b.elf ? 'ELF' : 'not ELF'})`);
  } else {
    const candidates = handlerModuleCandidates(contents.handler);
    if (!candidates.some((c) => files.has(c))) {
      problems.push(`handler ${contents.handler}: none of ${candidates.join(', ')} in ${contents.taskRoot}`);
    }
  }

  const pomPath = join(functionDir, 'pom.xml');
  if (existsSync(pomPath)) {
    for (const dep of pomDependencies(await readFile(pomPath, 'utf8'))) {
      const jar = `lib/${dep.artifactId}-${dep.version}.jar`;
      const inLib = contents.files.some((f) => f.startsWith(`lib/${dep.artifactId}-`) && f.endsWith('.jar'));
      if (dep.scope === 'test' || dep.scope === 'provided') {
        if (inLib) problems.push(`${dep.scope}-scoped ${dep.groupId}:${dep.artifactId} in lib/`);
      } else if (dep.version ? !files.has(jar) : !inLib) problems.push(`runtime dependency ${dep.groupId}:${dep.artifactId}:${dep.version}: no ${jar}`);
    }
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
    if (/\.(java|go|rs)$/.test(name)) problems.push(`source file ${f}`);
    if (/(^|\/)(tests?|__tests__)\//.test(f) || /\.(test|spec)\.[cm]?[jt]s$/.test(name) || /^(test_.*|.*_test|conftest)\.py$/.test(name)) {
      problems.push(`test file ${f}`);
    }
  }
  for (const f of contents.files) {
    if (/^\.env(\..*)?$/.test(f.split('/').pop() ?? f)) problems.push(`environment file ${f}`);
  }
  return problems;
}

/** The <dependency> elements of a pom.xml, ${properties} resolved from its <properties>. */
export function pomDependencies(pom: string): { groupId: string; artifactId: string; version: string; scope: string }[] {
  const props = new Map<string, string>();
  const propBlock = /<properties>([\s\S]*?)<\/properties>/.exec(pom)?.[1] ?? '';
  for (const m of propBlock.matchAll(/<([\w.-]+)>([^<]*)<\/\1>/g)) props.set(m[1] ?? '', (m[2] ?? '').trim());
  const resolve = (v: string) => v.replace(/\$\{([^}]+)\}/g, (_, k: string) => props.get(k) ?? `\${${k}}`);
  const body = (pom.replace(/<dependencyManagement>[\s\S]*?<\/dependencyManagement>/g, '').replace(/<build>[\s\S]*<\/build>/, '').replace(/<!--[\s\S]*?-->/g, ''));
  const deps = /<dependencies>([\s\S]*?)<\/dependencies>/.exec(body)?.[1] ?? '';
  return [...deps.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)].map((m) => {
    const get = (tag: string) => resolve(new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(m[1] ?? '')?.[1]?.trim() ?? '');
    return { groupId: get('groupId'), artifactId: get('artifactId'), version: get('version'), scope: get('scope') || 'compile' };
  });
}
