// The images a Dockerfile builds FROM: what the image tier must have stand-ins of.

/** The images a Dockerfile builds FROM, ARG defaults before the first FROM resolved; stage names left out. */
export function fromImages(dockerfile: string): string[] {
  const args = new Map<string, string>();
  const stages = new Set<string>();
  const images: string[] = [];
  let seenFrom = false;
  const resolve = (v: string) => v.replace(/\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)/g, (_, a?: string, dflt?: string, b?: string) => args.get(a ?? b ?? '') || dflt || '');
  for (const raw of dockerfile.replace(/\\\n/g, ' ').split('\n')) {
    const line = raw.trim();
    const arg = /^ARG\s+(\w+)(?:=(\S*))?/i.exec(line);
    if (arg && !seenFrom && arg[1]) args.set(arg[1], resolve((arg[2] ?? '').replace(/^"(.*)"$/, '$1')));
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from?.[1]) {
      seenFrom = true;
      const image = resolve(from[1]);
      if (!stages.has(image) && !images.includes(image)) images.push(image);
      if (from[2]) stages.add(from[2]);
    }
  }
  return images;
}
