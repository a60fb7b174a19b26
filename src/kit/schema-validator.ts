// The manifest schema's validator. The bundler replaces this module (see build.mjs) with ajv's
// standalone code for container-lambda-kit.schema.json, so a run loads no schema compiler. Run from
// source it is undefined and schema-check.ts compiles the schema with ajv.
export type SchemaError = { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> };
export type Validate = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

export const validateManifestSchema: Validate | undefined = undefined;
