// Base image <-> runtime. A kit's baseImages maps an official image, or a prefix ending in `/`, to
// the org's mirror of it (optionally pinned by @sha256 digest); the runtime of an image is found by
// undoing that mapping and matching the registry's base images (RUNTIMES and RETIRED, so that an old
// runtime is named, not called unknown). provided.al2023 serves both Go and Rust: one runtime id.
import { RETIRED, RUNTIMES } from '../../registry/runtimes.ts';

export const withoutDigest = (image: string) => image.replace(/@sha256:[0-9a-fA-F]*$/, '');

const KNOWN = [...RUNTIMES, ...RETIRED].map((r) => ({ id: r.id, image: r.baseImage }));
// The official images are also published per architecture: python:3.13-arm64, python:3.13-x86_64.
const ARCH_TAG = /-(x86_64|arm64)$/;

/** The official image a (possibly mirrored) image stands for; the longest matching mirror wins. */
export function officialImage(image: string, baseImages: Record<string, string>): string {
  const plain = withoutDigest(image);
  let best: { official: string; length: number } | undefined;
  for (const [official, mirror] of Object.entries(baseImages)) {
    const org = withoutDigest(mirror);
    const match = official.endsWith('/') && org.endsWith('/') ? plain.startsWith(org) : plain === org;
    if (match && (!best || org.length > best.length)) best = { official: official + plain.slice(org.length), length: org.length };
  }
  return best?.official ?? plain;
}

/** The image a project of this kit uses for an official one: its mirror, else the official image. */
export function mirroredImage(official: string, baseImages: Record<string, string>): string {
  let best: { image: string; length: number } | undefined;
  for (const [key, mirror] of Object.entries(baseImages)) {
    const match = key.endsWith('/') ? official.startsWith(key) : official === key;
    if (match && (!best || key.length > best.length)) best = { image: key.endsWith('/') ? withoutDigest(mirror) + official.slice(key.length) : mirror, length: key.length };
  }
  return best?.image ?? official;
}

/** The Lambda runtime id of an official base image, or undefined for any other image. */
export function runtimeOfImage(official: string): string | undefined {
  const image = withoutDigest(official).replace(ARCH_TAG, '');
  return KNOWN.find((r) => r.image === image)?.id;
}

/** The registry's base image of a runtime id. */
export function imageOfRuntime(id: string): string | undefined {
  return KNOWN.find((r) => r.id === id)?.image;
}

/** A runtime named by its alias (`go`, `rust`) as the Lambda runtime id it runs on (provided.al2023). */
export function lambdaRuntimeId(id: string): string {
  return RUNTIMES.find((r) => r.aliases && Object.hasOwn(r.aliases, id))?.id ?? id;
}
