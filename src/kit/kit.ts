// A kit as the generators use it: its manifest merged over the chain it extends, its template layers
// (its own first, then each kit it extends), and what a project records to open it again.
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { directoryLayer, type Layer } from '../templates/layers.ts';
import { loadManifest } from './load.ts';
import type { KitManifest } from './manifest.ts';
import { fetchKit, openRecordedKit, type KitLocation } from './source.ts';

/** What a project's configuration records of a kit: enough to open the same version again, offline. */
export interface RecordedKit {
  name: string;
  version: string;
  /** Where it came from: a folder or tarball relative to the project, an npm name@version, a git URL#ref. */
  source: string;
  /** sha512-<base64> of the tarball or file tree, or the git commit. */
  integrity: string;
  /** The kits it extends, nearest first, each resolved once when the project was made. */
  extends?: RecordedKit[];
  /** Its generators/ may run (--trust-kit was given when it was recorded). */
  trusted?: boolean;
}

export interface Kit {
  name: string;
  version: string;
  manifest: KitManifest;
  /** Its own templates first, then those of the kits it extends. */
  layers: Layer[];
  /** Plopfiles of generators/, the furthest ancestor's first. */
  plopfiles: string[];
  record: RecordedKit;
}

/** Maps merge key by key (the extending kit wins); lists and scalars are replaced. */
function merge(base: KitManifest, own: KitManifest): KitManifest {
  const maps = ['defaults', 'allow', 'baseImages', 'tags', 'globals', 'parameters', 'rules'] as const;
  const merged: KitManifest = { ...base, ...own, extends: own.extends };
  for (const key of maps) if (base[key] || own[key]) (merged as unknown as Record<string, unknown>)[key] = { ...base[key], ...own[key] };
  // Prompts: the base's, each replaced by the extending kit's prompt of the same name, then its new ones.
  const ownPrompts = own.prompts ?? [];
  const prompts = [...(base.prompts ?? []).map((p) => ownPrompts.find((o) => o.name === p.name) ?? p), ...ownPrompts.filter((o) => !base.prompts?.some((p) => p.name === o.name))];
  if (prompts.length) merged.prompts = prompts;
  return merged;
}

const PLOPFILES = ['plopfile.js', 'plopfile.cjs', 'plopfile.mjs'];

interface Opened {
  location: KitLocation;
  manifest: KitManifest;
}

function describe(location: KitLocation, manifest: KitManifest): RecordedKit {
  return { name: manifest.name, version: manifest.version, source: location.source, integrity: location.integrity };
}

/** The record as a project keeps it: local sources relative to the project, so it can move. */
export function relativeRecord(record: RecordedKit, projectDir: string): RecordedKit {
  // Always ./ or ../: a bare folder name would read as an npm package once the folder is gone.
  const rel = (source: string) => {
    if (!isAbsolute(source)) return source;
    const path = relative(projectDir, source).split('\\').join('/') || '.';
    return path.startsWith('.') ? path : `./${path}`;
  };
  return { ...record, source: rel(record.source), ...(record.extends ? { extends: record.extends.map((r) => ({ ...r, source: rel(r.source) })) } : {}) };
}

function assemble(chain: Opened[], record: RecordedKit): Kit {
  const manifest = chain.reduceRight<KitManifest | undefined>((base, k) => (base ? merge(base, k.manifest) : k.manifest), undefined)!;
  return {
    name: chain[0]!.manifest.name,
    version: chain[0]!.manifest.version,
    manifest,
    layers: chain.map((k) => directoryLayer(`kit ${k.manifest.name}`, join(k.location.dir, 'templates'), { cached: true })),
    plopfiles: chain
      .map((k) => PLOPFILES.map((f) => join(k.location.dir, 'generators', f)).find((p) => existsSync(p)))
      .filter((p): p is string => Boolean(p))
      .reverse(),
    record,
  };
}

/** A relative `extends` is relative to the kit's source folder (or the folder holding its tarball). */
function extendsBase(location: KitLocation, spec: string): string {
  if (location.kind === 'folder') return resolve(location.source);
  if (location.kind === 'tarball') return resolve(location.source, '..');
  if (spec.startsWith('.')) throw new UserError(`Kit ${location.source} extends ${spec}, a relative path`, 'A kit fetched from npm or git must extend an npm spec, tarball or git URL');
  return process.cwd();
}

/** Fetches the kit `spec` names and every kit it extends. */
export async function loadKit(spec: string, cwd: string, trusted = false): Promise<Kit> {
  const chain: Opened[] = [];
  const records: RecordedKit[] = [];
  let next: { spec: string; base: string } | undefined = { spec, base: cwd };
  while (next) {
    const location = await fetchKit(next.spec, next.base);
    const manifest = loadManifest(location.dir, next.spec);
    if (chain.some((k) => k.manifest.name === manifest.name)) throw new UserError(`Kit ${manifest.name} extends itself (through ${chain.map((k) => k.manifest.name).join(' -> ')})`, 'Remove the cycle from extends');
    chain.push({ location, manifest });
    records.push(describe(location, manifest));
    next = manifest.extends ? { spec: manifest.extends, base: extendsBase(location, manifest.extends) } : undefined;
  }
  const [own, ...rest] = records;
  return assemble(chain, { ...own!, ...(rest.length ? { extends: rest } : {}), ...(trusted ? { trusted } : {}) });
}

/** The kit a project recorded, at that exact version: from the cache, or its source verified. */
export async function openKit(record: RecordedKit, projectDir: string): Promise<Kit> {
  const chain: Opened[] = [];
  for (const r of [record, ...(record.extends ?? [])]) {
    const location = await openRecordedKit(r, projectDir);
    const manifest = loadManifest(location.dir, r.source);
    if (manifest.name !== r.name || manifest.version !== r.version) {
      throw new UserError(`Kit ${r.source} is ${manifest.name}@${manifest.version}, the project recorded ${r.name}@${r.version}`, 'Restore the recorded kit version');
    }
    chain.push({ location, manifest });
  }
  return assemble(chain, record);
}
