// image-resize: an image uploaded to the trigger bucket is resized with a native library, Pillow
// (Python) or sharp on libvips (Node.js), to each configured width, into the output bucket.
import type { AppTemplate } from '../apps.ts';
import type { EventContext } from '../events.ts';
import { outputBucket } from './output-bucket.ts';

/** Where uploads go: S3 allows one prefix and one suffix rule, and images come with several suffixes. */
const UPLOAD_PREFIX = 'uploads/';

export const imageResize: AppTemplate = {
  id: 'image-resize',
  description: 'S3 upload of an image -> Pillow / sharp (libvips) -> a copy at each width in an output bucket',
  languages: ['python', 'nodejs-typescript'],
  otherLanguages: 'Pillow (Python) and sharp (Node.js) are what it shows',
  events: ['s3'],
  // Decoding and resampling are CPU-bound, and memory is what buys CPU: 1769 MB is one full vCPU.
  // A 24-megapixel photo is about 70 MB decoded, and each copy is made from it.
  memory: 1769,
  timeout: 60,
  // Only uploads under uploads/ invoke it; the handler checks that each is an image it can read.
  eventProperties: { s3: { Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: UPLOAD_PREFIX }] } } } },
  ...outputBucket,
  // The widths of the copies, in pixels: change them here, no rebuild needed.
  environment: (ctx: EventContext) => ({ ...outputBucket.environment(ctx), WIDTHS: '320,640,1280' }),
};
