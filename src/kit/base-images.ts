// A kit's baseImages mapping, applied to rendered Dockerfiles: every image a FROM names, and every
// `ARG <NAME>=<image>` default a FROM uses, is replaced by the org's image when the mapping has it,
// exactly or by its longest prefix ending in `/`. A value may carry an @sha256: digest.

/** The org's image for `image`, or undefined when the mapping has neither it nor a prefix of it. */
export function mapImage(image: string, mapping: Record<string, string>): string | undefined {
  const exact = mapping[image];
  if (exact !== undefined) return exact;
  const prefix = Object.keys(mapping)
    .filter((k) => k.endsWith('/') && image.startsWith(k))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? undefined : mapping[prefix] + image.slice(prefix.length);
}

/** An image reference as Dockerfiles write them: host/path:tag, optionally @sha256:digest. */
const IMAGE = /[a-z0-9][\w.-]*(?::\d+)?\/[\w./-]+(?::[\w.-]+)?(?:@sha256:[a-f0-9]{64})?/;
const FROM_LINE = new RegExp(String.raw`^(\s*FROM\s+(?:--platform=\S+\s+)?)(${IMAGE.source})(?=\s|$)`, 'i');
const ARG_LINE = new RegExp(String.raw`^(\s*ARG\s+\w+=)(${IMAGE.source})(?=\s|$)`, 'i');

export function mapDockerfile(text: string, mapping: Record<string, string>): string {
  return text
    .split('\n')
    .map((line) => {
      const match = FROM_LINE.exec(line) ?? ARG_LINE.exec(line);
      if (!match) return line;
      const mapped = mapImage(match[2]!, mapping);
      return mapped === undefined ? line : match[1] + mapped + line.slice(match[0].length);
    })
    .join('\n');
}

/** The official image an org image stands for (the mapping read backwards), for recognising a runtime. */
export function unmapImage(image: string, mapping: Record<string, string>): string {
  const bare = (s: string) => s.replace(/@sha256:[a-f0-9]{64}$/, '');
  for (const [official, org] of Object.entries(mapping)) {
    if (!official.endsWith('/') && bare(org) === bare(image)) return official;
  }
  const prefix = Object.entries(mapping)
    .filter(([k, v]) => k.endsWith('/') && image.startsWith(v))
    .sort(([, a], [, b]) => b.length - a.length)[0];
  return prefix ? prefix[0] + image.slice(prefix[1].length) : image;
}
