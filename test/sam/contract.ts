// What a handler returns for each sample event: the contract of templates/functions/README.md, computed
// from the event itself. The same rules as the image tier's (test/images/tier.ts), which runs the images
// without the SAM CLI.
import { isDeepStrictEqual } from 'node:util';

type Json = any;
const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};
const failures = (ids: string[]) => ({ batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })) });

/** What the handler must return for this sample event; throws if the sample itself is not what the brief says. */
export function expected(kind: string, ev: Json): Json {
  const records: Json[] = ev.Records ?? [];
  const batch = (ids: string[], want: number) => {
    if (ids.length !== want) throw new Error(`sample ${kind} event has ${ids.length} failing record(s), expected ${want}`);
    return failures(ids);
  };
  switch (kind) {
    case 'api':
    case 'http-api':
    case 'function-url':
      return { statusCode: 200, body: { message: `Hello, ${ev.queryStringParameters?.name ?? 'world'}!` } };
    case 's3':
      return { objects: records.map((r) => `${r.s3.bucket.name}/${decodeURIComponent(r.s3.object.key.replace(/\+/g, ' '))}`) };
    case 'sqs':
      return batch(records.filter((r) => !isJson(r.body)).map((r) => r.messageId), 1);
    case 'kinesis':
      return batch(records.filter((r) => !isJson(Buffer.from(r.kinesis.data, 'base64').toString())).map((r) => r.kinesis.sequenceNumber), 0);
    case 'dynamodb':
      return batch(records.filter((r) => !r.dynamodb?.Keys).map((r) => r.dynamodb.SequenceNumber), 0);
    case 'sns':
      return { messages: records.map((r) => r.Sns.MessageId) };
    case 'schedule':
      return { scheduledAt: ev.time };
    case 'eventbridge':
      return { detailType: ev['detail-type'], source: ev.source };
    case 'none':
      return { message: `Hello, ${ev.name ?? 'world'}!` };
  }
  throw new Error(`no contract for event kind ${kind}`);
}

/** Why a handler's result breaks the contract, or '' when it keeps it. */
export function judge(want: Json, got: Json): string {
  if (!('statusCode' in want)) return isDeepStrictEqual(got, want) ? '' : `expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
  const type = Object.entries(got?.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const body = typeof got?.body === 'string' && isJson(got.body) ? JSON.parse(got.body) : got?.body;
  const problems = [
    got?.statusCode === 200 ? '' : `status ${got?.statusCode}`,
    type === 'application/json' ? '' : `Content-Type ${type}`,
    isDeepStrictEqual(body, want.body) ? '' : `body ${JSON.stringify(got?.body)}, expected ${JSON.stringify(JSON.stringify(want.body))}`,
  ].filter(Boolean);
  return problems.join(', ');
}

