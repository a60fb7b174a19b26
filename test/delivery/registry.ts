// Debian's `docker-registry` (the Distribution registry, Docker Registry HTTP API V2) on a free port of
// 127.0.0.1, with its storage and configuration in a folder of the caller's: no authentication, plain
// HTTP, as a local registry the scripts push to with `--registry 127.0.0.1:<port>`.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalServer } from './server.ts';

export const REGISTRY_PACKAGE = 'docker-registry';

export async function startRegistry(dir: string): Promise<LocalServer> {
  await mkdir(join(dir, 'storage'), { recursive: true });
  const config = join(dir, 'config.yml');
  return LocalServer.start('docker-registry', 'docker-registry', async (port) => {
    const text = [
      'version: 0.1',
      'log: {level: warn}',
      `storage: {filesystem: {rootdirectory: ${join(dir, 'storage')}}}`,
      `http: {addr: "127.0.0.1:${port}"}`,
      '',
    ].join('\n');
    await writeFile(config, text);
    return ['serve', config];
  }, '/v2/');
}

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];

export interface StoredManifest {
  /** Content-Type the registry answered with. */
  type: string;
  /** Docker-Content-Digest header. */
  digest: string;
  /** sha256 of the bytes served. */
  computed: string;
  body: string;
  json: { mediaType?: string; config?: { digest: string }; layers?: { mediaType: string; digest: string }[]; manifests?: unknown[] };
}

/** GET /v2/<repo>/manifests/<reference>, accepting every manifest and index type. */
export async function getManifest(registry: string, repo: string, reference: string): Promise<StoredManifest> {
  const r = await fetch(`${registry}/v2/${repo}/manifests/${reference}`, { headers: { Accept: MANIFEST_TYPES.join(', ') } });
  if (r.status !== 200) throw new Error(`GET /v2/${repo}/manifests/${reference}: HTTP ${r.status}`);
  const bytes = Buffer.from(await r.arrayBuffer());
  const body = bytes.toString('utf8');
  return {
    type: r.headers.get('content-type') ?? '',
    digest: r.headers.get('docker-content-digest') ?? '',
    computed: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    body,
    json: JSON.parse(body),
  };
}

/** GET /v2/<repo>/blobs/<digest> as JSON (an image config). */
export async function getBlobJson(registry: string, repo: string, digest: string): Promise<{ architecture?: string; os?: string }> {
  const r = await fetch(`${registry}/v2/${repo}/blobs/${digest}`);
  if (r.status !== 200) throw new Error(`GET /v2/${repo}/blobs/${digest}: HTTP ${r.status}`);
  return (await r.json()) as { architecture?: string; os?: string };
}

/** The tags of a repository (GET /v2/<repo>/tags/list). */
export async function listTags(registry: string, repo: string): Promise<string[]> {
  const r = await fetch(`${registry}/v2/${repo}/tags/list`);
  if (r.status !== 200) return [];
  return ((await r.json()) as { tags?: string[] | null }).tags ?? [];
}
