// What the image tier does with each app template's image (test/images/apps/<id>.ts, one file per
// template): the environment it runs with, what it needs in the S3 double first, the events to send
// and how to judge each answer. The runner (test/images/apps.ts) generates the project with
// `--app-template <id>` for each language, builds the function's Dockerfile unchanged against the
// stand-ins, starts moto's S3 on 127.0.0.1 when `s3` is set, and runs these.

export interface AppCheckContext {
  /** The generated project's folder (its events/ are there). */
  projectDir: string;
  /** The function's folder (the Docker context). */
  functionDir: string;
  language: 'python' | 'nodejs-typescript';
  /** The S3 double's endpoint as the container reaches it (set AWS_ENDPOINT_URL_S3 to it). */
  s3Endpoint?: string;
  /** Runs the AWS CLI against the S3 double from the host: aws(['s3api', 'create-bucket', ...]). */
  aws(args: string[]): Promise<string>;
}

export interface AppInvocation {
  /** A sample event of the project (`events/csv-processor-s3.json`) or an event object. */
  event: string | object;
  /** Undefined when the answer is right, else what is wrong with it. */
  check(result: unknown, ctx: AppCheckContext): Promise<string | undefined> | string | undefined;
}

export interface AppImageCheck {
  app: string;
  /** The template reads and writes S3: the runner starts the double and passes its endpoint. */
  s3?: boolean;
  /** Environment of the container beyond AWS_ENDPOINT_URL_S3 and test credentials (OUTPUT_BUCKET). */
  env?(ctx: AppCheckContext): Record<string, string>;
  /** Before the first invocation: buckets and objects in the double. */
  setup?(ctx: AppCheckContext): Promise<void>;
  invocations: AppInvocation[];
  /**
   * Run outside Lambda (no AWS_LAMBDA_RUNTIME_API, `run -p <port>:8080`), the image serves HTTP
   * itself (a web app behind the Lambda Web Adapter): GET each path and check the answer.
   */
  http?: { path: string; check(status: number, body: string): string | undefined }[];
  /** Environment of that run in place of env's, where Lambda's settings do not fit outside it (a port). */
  httpEnv?(ctx: AppCheckContext): Record<string, string>;
}
