// The kit version an update renders with: the recorded one, the version --kit-version names (npm and
// git kits), or the kit --kit points at (any source; it must be the same kit).
import type { RecordedKit } from '../kit/kit.ts';
import { UserError } from '../errors.ts';

export async function nextKit(recorded: RecordedKit | undefined, o: { kit?: string; kitVersion?: string; projectDir: string }): Promise<RecordedKit | undefined> {
  if (!o.kit && !o.kitVersion) return recorded;
  if (!recorded) throw new UserError('This project was made without a kit', 'Leave out --kit and --kit-version: update keeps the project as it was made');
  const { loadKit, relativeRecord } = await import('../kit/kit.ts');
  const spec = o.kit ?? versionSpec(recorded, o.kitVersion!);
  const kit = await loadKit(spec, o.kit ? process.cwd() : o.projectDir, Boolean(recorded.trusted));
  if (kit.name !== recorded.name) throw new UserError(`This project was made with kit ${recorded.name}, not ${kit.name}`, `Pass a version of ${recorded.name}`);
  if (o.kitVersion && kit.version !== o.kitVersion) throw new UserError(`${spec} is version ${kit.version} of kit ${kit.name}, not ${o.kitVersion}`, 'Pass the version the kit source holds');
  return relativeRecord(kit.record, o.projectDir);
}

/** The recorded source at another version: `@acme/kit@1.2.0` -> `@acme/kit@1.3.0`, `git+<url>#v1` -> `git+<url>#<version>`. */
function versionSpec(recorded: RecordedKit, version: string): string {
  if (recorded.source.startsWith('git+')) return `${recorded.source.replace(/#.*$/, '')}#${version}`;
  const npm = /^((?:@[^/@]+\/)?[^/@.][^/@]*)@[^/]+$/.exec(recorded.source);
  if (npm) return `${npm[1]}@${version}`;
  throw new UserError(`Kit ${recorded.name} comes from ${recorded.source}, which has no versions to choose from`, `Pass --kit <source> of version ${version} instead`);
}
