// image-resize's image: a PNG put in the trigger bucket is resized by the image's native library
// (Pillow's wheels, sharp's libvips) into the output bucket at each width it is wider than.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { deflateSync } from 'node:zlib';
import type { AppImageCheck } from '../app-checks.ts';

const INPUT = 'example-upload-bucket';
const OUTPUT = 'example-output-bucket';
const KEY = 'uploads/photos/red panda.png';
// 1280 is wider than the upload: no copy of that width, the function never enlarges.
const SOURCE = { width: 1000, height: 750 };
const COPIES = [
  { width: 320, height: 240 },
  { width: 640, height: 480 },
];

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG of the given size, 8-bit RGB, a colour gradient, encoded by hand (no image library on the host). */
function png(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, no filter method, no interlace
  const row = 1 + width * 3;
  const pixels = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    pixels[y * row] = 0; // filter type None
    for (let x = 0; x < width; x++) pixels.set([(x * 255) / width, (y * 255) / height, 0x80], y * row + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

/** Width and height from a PNG's IHDR chunk, or undefined when the bytes are not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length < 24 || bytes.readUInt32BE(0) !== 0x89504e47 || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

export const check: AppImageCheck = {
  app: 'image-resize',
  s3: true,
  // What template.yaml sets on the deployed function.
  env: () => ({ OUTPUT_BUCKET: OUTPUT, WIDTHS: '320,640,1280' }),
  async setup(ctx) {
    for (const bucket of [INPUT, OUTPUT]) await ctx.aws(['s3api', 'create-bucket', '--bucket', bucket]);
    const file = join(ctx.projectDir, 'upload.png');
    await writeFile(file, png(SOURCE.width, SOURCE.height));
    await ctx.aws(['s3api', 'put-object', '--bucket', INPUT, '--key', KEY, '--body', file, '--content-type', 'image/png']);
  },
  invocations: [
    {
      event: 'events/image-resize-s3.json',
      async check(result, ctx) {
        const expected = { images: [{ source: `${INPUT}/${KEY}`, ...SOURCE, copies: COPIES.map((c) => ({ object: `${OUTPUT}/${c.width}/${KEY}`, ...c })) }], skipped: [] };
        if (!isDeepStrictEqual(result, expected)) return `unexpected result ${JSON.stringify(result)}`;
        for (const copy of COPIES) {
          const out = join(ctx.projectDir, `copy-${copy.width}.png`);
          const head = JSON.parse(await ctx.aws(['s3api', 'get-object', '--bucket', OUTPUT, '--key', `${copy.width}/${KEY}`, out])) as { ContentType?: string };
          if (head.ContentType !== 'image/png') return `${copy.width}/${KEY} has Content-Type ${head.ContentType}`;
          const size = pngSize(await readFile(out));
          if (size?.width !== copy.width || size.height !== copy.height) return `${copy.width}/${KEY} is not a ${copy.width} x ${copy.height} PNG: ${JSON.stringify(size)}`;
        }
        const listed = JSON.parse(await ctx.aws(['s3api', 'list-objects-v2', '--bucket', OUTPUT])) as { Contents?: { Key: string }[] };
        const keys = (listed.Contents ?? []).map((o) => o.Key).sort();
        if (JSON.stringify(keys) !== JSON.stringify(COPIES.map((c) => `${c.width}/${KEY}`))) return `the output bucket holds ${JSON.stringify(keys)}`;
        return undefined;
      },
    },
  ],
};
