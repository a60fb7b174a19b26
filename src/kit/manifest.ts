// The kit manifest's shape (container-lambda-kit.schema.json is its contract, shipped in the package).
import type { Arch } from '../registry/runtimes.ts';

export const MANIFEST_NAMES = ['container-lambda-kit.json', 'container-lambda-kit.yaml', 'container-lambda-kit.yml'];

/** An intrinsic in JSON form: {"Ref": "Subnets"}, {"Fn::Sub": "..."}. */
export type IntrinsicJson = Record<string, unknown>;

export interface KitPrompt {
  name: string;
  type: 'input' | 'select' | 'confirm';
  message: string;
  default?: string | boolean;
  pattern?: string;
  choices?: string[];
  when?: Record<string, string | boolean | (string | boolean)[]>;
}

export interface KitRules {
  requiredTags?: true | string[];
  permissionsBoundary?: boolean;
  runtimes?: true | string[];
  architectures?: true | Arch[];
  baseImages?: true | string[];
  functionUrlAuth?: boolean;
  tracing?: boolean;
}

export interface KitManifest {
  name: string;
  version: string;
  description?: string;
  extends?: string;
  defaults?: Record<string, unknown>;
  allow?: { runtimes?: string[]; architectures?: Arch[]; events?: string[] };
  baseImages?: Record<string, string>;
  tags?: Record<string, string>;
  permissionsBoundary?: string | IntrinsicJson;
  vpc?: { securityGroupIds: unknown; subnetIds: unknown };
  globals?: Record<string, unknown>;
  parameters?: Record<string, Record<string, unknown>>;
  rules?: KitRules;
  prompts?: KitPrompt[];
}
