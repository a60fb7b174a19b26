// `create-container-lambda update`: brings a project this tool made up to the current templates (or
// --to a version, and its kit --kit-version), keeping the user's edits. The project's history is
// rendered twice, with the releases that made it (base) and with the new one (theirs); each file is
// then merged three ways with the user's (ours), template.yaml by resource and property.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { Parsed } from '../args.ts';
import { commitPlan } from '../commit.ts';
import { UserError } from '../errors.ts';
import type { Plan, PlannedFile } from '../plan.ts';
import { CONFIG_FILE } from '../project/config.ts';
import { TOOL } from '../version.ts';
import type { RecordedKit } from '../kit/kit.ts';
import { history, type ProjectConfig } from '../update/history.ts';
import { mergeFile, type FileChange, type Rendered } from '../update/merge-files.ts';
import { nextKit } from '../update/next-kit.ts';
import { renderHistory } from '../update/render-history.ts';
import { diffOf, plural, summary } from '../update/report.ts';
import { requireCleanTree, unresolved } from '../update/guard.ts';
import { findTemplate } from './add.ts';
import type { Output } from './new.ts';

export async function updateCommand(parsed: Parsed, out: Output): Promise<void> {
  const { switches, paths } = parsed;
  const dryRun = Boolean(switches['dry-run']);
  const conflict = paths.conflict ?? 'inline';
  if (conflict !== 'inline' && conflict !== 'rej') throw new UserError(`--conflict ${conflict} is not inline or rej`, 'Pass --conflict inline (markers in the file) or --conflict rej (a .rej file beside it)');

  // 1. The project and what it recorded.
  const root = resolve(paths.dir ?? '.');
  const shown = relative(process.cwd(), root) || '.';
  const configPath = join(root, CONFIG_FILE);
  if (!existsSync(configPath)) throw new UserError(`${shown} has no ${CONFIG_FILE}`, `Run update in a project made by ${TOOL.name} (or with functions added by it)`);
  const configText = readFileSync(configPath, 'utf8');
  const config = parseConfig(configText);
  const steps = history(config);
  const template = relative(root, findTemplate(root));
  // Nothing half-done: no conflict left from an earlier update (it recorded where).
  refuseUnresolved(root, new Set([template, ...(config.conflicted ?? [])]));

  // 2. The versions: the releases that made it, and the one (and kit) it is updated to.
  const to = paths.to ?? TOOL.version;
  const newer = steps.find((s) => !paths.to && compareVersions(s.version, to) > 0);
  if (newer) throw new UserError(`This project was made with ${TOOL.name} ${newer.version}, newer than this one (${to})`, `Run the newer one: npx ${TOOL.name}@latest update (or pass --to ${to} to go back)`);
  const kit = await nextKit(config.kit, { kit: paths.kit, kitVersion: paths['kit-version'], projectDir: root });
  const kitChanged = kit?.integrity !== config.kit?.integrity;
  if (steps.every((s) => s.version === to) && !kitChanged) {
    out.log(`Nothing to update: ${shown} is made with ${TOOL.name} ${to}${kit ? ` and kit ${kit.name} ${kit.version}` : ''}.`);
    return;
  }

  // 3. Nothing uncommitted: every change update makes can be reviewed and undone.
  if (!dryRun) await requireCleanTree(root, Boolean(switches.force));

  // 4. The two renders.
  const installed = config.installed ?? true;
  // At once: one of them is rendered in a worker thread when another release renders it whole.
  const [base, theirs] = await Promise.all([
    renderHistory(steps, { versionOf: (s) => s.version, kit: config.kit, projectDir: root, installed }),
    renderHistory(steps, { versionOf: () => to, kit, projectDir: root, installed }),
  ]);
  for (const map of [base, theirs]) {
    map.delete(CONFIG_FILE); // recorded below, not merged
    // A repository this tool did not make may name its template otherwise.
    const rendered = map.get('template.yaml');
    if (rendered && template !== 'template.yaml') {
      map.set(template, rendered);
      map.delete('template.yaml');
    }
  }
  refuseUnresolved(root, theirs.keys());

  // 5. Each file merged.
  const theirsLabel = `${TOOL.name} ${to}`;
  const changes: FileChange[] = [];
  for (const path of [...new Set([...base.keys(), ...theirs.keys()])].sort()) {
    const change = mergeFile(path, base.get(path), theirs.get(path), readOurs(root, path), { conflict, theirsLabel, template });
    if (change) changes.push(change);
  }
  const recorded = recordUpdate(configText, config, to, kit, changes.filter((c) => c.conflicts?.length).map((c) => c.path));

  // 6. Print it (--dry-run), or write it.
  const plan = planOf(root, changes, recorded === configText ? undefined : { path: CONFIG_FILE, before: configText, content: recorded });
  const conflicts = changes.reduce((n, c) => n + (c.conflicts?.length ?? 0), 0);
  const from = [...new Set(steps.map((s) => s.version))].join(', ');
  const what = [
    ...(from === to ? [] : [`${TOOL.name} ${from} -> ${to}`]),
    ...(kitChanged ? [`kit ${config.kit!.name} ${config.kit!.version} -> ${kit!.version}`] : []),
  ].join(', ');
  if (dryRun) {
    const diff = await diffOf(recorded === configText ? changes : [...changes, { path: CONFIG_FILE, outcome: 'updated', before: configText, content: recorded }]);
    if (diff) out.log(diff.replace(/\n$/, ''));
    out.log(`Would update ${shown} (${what}):`);
    for (const line of summary(changes, { done: false })) out.log(line);
    out.log('Nothing was written (--dry-run).');
  } else {
    commitPlan(plan);
    out.log(`Updated ${shown} (${what}):`);
    for (const line of summary(changes, { done: true })) out.log(line);
    out.log('\nNext: review it with git diff, install dependencies again where a manifest changed (the lockfile follows), run the unit tests and sam build, then commit.');
  }
  if (conflicts) {
    const where = conflict === 'rej' ? 'see the .rej files' : 'between <<<<<<< yours and >>>>>>>';
    out.warn(dryRun ? `${plural(conflicts, 'conflict')}: you and ${theirsLabel} changed the same lines or properties` : `${plural(conflicts, 'conflict')}: where you and ${theirsLabel} changed the same lines or properties (${where}); resolve them, then commit`);
    process.exitCode = 1;
  }
}

/** Orders x.y.z versions by number (a pre-release by its x.y.z alone). */
function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[-+]/)[0]!.split('.').map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

function refuseUnresolved(root: string, paths: Iterable<string>): void {
  const left = unresolved(root, paths);
  if (left.length) throw new UserError(`Conflicts from an earlier update remain (${left.join(', ')})`, 'Resolve them and commit, then run update again');
}

function parseConfig(text: string): ProjectConfig {
  try {
    return JSON.parse(text) as ProjectConfig;
  } catch (error) {
    throw new UserError(`${CONFIG_FILE} is not valid JSON (${(error as Error).message})`, 'Restore it from version control');
  }
}

function readOurs(root: string, path: string): Rendered | undefined {
  const file = join(root, path);
  if (!existsSync(file)) return undefined;
  return { content: readFileSync(file, 'utf8'), mode: statSync(file).mode & 0o777 };
}

/** The configuration with the new versions (the tool's, every function's, the kit's) and the files left in conflict. */
function recordUpdate(text: string, config: ProjectConfig, to: string, kit: RecordedKit | undefined, conflicted: string[]): string {
  const next: ProjectConfig = JSON.parse(text);
  delete next.conflicted;
  if (conflicted.length) next.conflicted = conflicted;
  if (next.tool) next.tool = { ...next.tool, version: to };
  for (const f of Object.values(next.functions ?? {})) f.tool = { ...f.tool, version: to };
  if (kit && config.kit) next.kit = { ...kit, ...(config.kit.trusted ? { trusted: true } : {}) };
  const json = `${JSON.stringify(next, null, 2)}\n`;
  return JSON.stringify(next) === JSON.stringify(config) ? text : json;
}

function planOf(root: string, changes: FileChange[], config?: { path: string; before: string; content: string }): Plan {
  const files: PlannedFile[] = [];
  for (const c of changes) {
    if (c.outcome === 'deleted') files.push({ path: c.path, content: '', mode: 0, action: 'delete', before: c.before });
    else if (c.content !== undefined) files.push({ path: c.path, content: c.content, mode: c.mode ?? 0o644, action: c.before === undefined ? 'create' : 'edit', before: c.before });
    if (c.rejects) files.push({ path: `${c.path}.rej`, content: c.rejects, mode: 0o644, action: 'create' });
  }
  if (config) files.push({ path: config.path, content: config.content, mode: 0o644, action: 'edit', before: config.before });
  // The template last, as add writes it.
  files.sort((x, y) => Number(basename(x.path).startsWith('template.')) - Number(basename(y.path).startsWith('template.')));
  return { root, createRoot: false, files };
}
