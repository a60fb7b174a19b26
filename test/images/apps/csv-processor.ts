// csv-processor's image: the sample upload is summarised from the trigger bucket into the output bucket.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppImageCheck } from '../app-checks.ts';

const INPUT = 'example-upload-bucket';
const OUTPUT = 'example-output-bucket';
const KEY = 'uploads/sales 2025-03.csv';

export const check: AppImageCheck = {
  app: 'csv-processor',
  s3: true,
  env: () => ({ OUTPUT_BUCKET: OUTPUT }),
  async setup(ctx) {
    for (const bucket of [INPUT, OUTPUT]) await ctx.aws(['s3api', 'create-bucket', '--bucket', bucket]);
    await ctx.aws(['s3api', 'put-object', '--bucket', INPUT, '--key', KEY, '--body', join(ctx.projectDir, 'events/csv-processor-sample.csv')]);
  },
  invocations: [
    {
      event: 'events/csv-processor-s3.json',
      async check(result, ctx) {
        const summaries = (result as { summaries?: { rows?: number; summary?: string }[] }).summaries;
        if (summaries?.[0]?.rows !== 7 || summaries[0].summary !== `${OUTPUT}/summaries/${KEY}.json`) return `unexpected result ${JSON.stringify(result)}`;
        const out = join(ctx.projectDir, 'summary.json');
        await ctx.aws(['s3api', 'get-object', '--bucket', OUTPUT, '--key', `summaries/${KEY}.json`, out]);
        const summary = JSON.parse(await readFile(out, 'utf8')) as { rows: number; columns: { name: string }[] };
        if (summary.rows !== 7 || summary.columns.length !== 5) return `unexpected summary ${JSON.stringify(summary)}`;
        return undefined;
      },
    },
  ],
};
