// csv-processor: a CSV uploaded to the trigger bucket is read with pandas (Python) or a streaming
// parser (Node.js) and a summary of its columns written to the output bucket.
import type { AppTemplate } from '../apps.ts';
import { outputBucket } from './output-bucket.ts';

export const csvProcessor: AppTemplate = {
  id: 'csv-processor',
  description: 'S3 upload of a CSV -> pandas / streaming parser -> summary JSON in an output bucket',
  languages: ['python', 'nodejs-typescript'],
  otherLanguages: 'pandas (Python) and csv-parse (Node.js) are what it shows',
  events: ['s3'],
  // pandas and a file read whole: memory is also what buys CPU; a large file takes a while.
  memory: 2048,
  timeout: 120,
  // Only CSV uploads invoke it: other objects in the bucket cost nothing.
  eventProperties: { s3: { Filter: { S3Key: { Rules: [{ Name: 'suffix', Value: '.csv' }] } } } },
  ...outputBucket,
};
