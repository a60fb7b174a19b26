// What a kit puts into the files it generates, worked out once from the merged manifest and the
// answers to its prompts: the template context, the image mapping, and what goes on the template.
import { compile } from '../templates/render.ts';
import { fromLongForm } from '../sam/intrinsics.ts';
import type { Kit } from './kit.ts';

export type KitAnswers = Record<string, string | boolean>;

export interface KitSettings {
  /** `{{kit.name}}`, `{{kit.version}}`, `{{kit.answers.costCenter}}` in templates. */
  context: { name: string; version: string; answers: KitAnswers };
  baseImages?: Record<string, string>;
  tags?: Record<string, string>;
  permissionsBoundary?: unknown;
  /** VpcConfig: SecurityGroupIds and SubnetIds. */
  vpc?: Record<string, unknown>;
  /** Extra Globals.Function properties (add: set on the function when Globals lack them). */
  globals?: Record<string, unknown>;
  parameters?: Record<string, unknown>;
}

/** `cost-center` -> `costCenter`: prompt names are flags, answers are read as template variables. */
export const camelCase = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export async function kitSettings(kit: Kit, answers: KitAnswers): Promise<KitSettings> {
  const m = kit.manifest;
  const byVariable = Object.fromEntries(Object.entries(answers).map(([k, v]) => [camelCase(k), v]));
  const context = { name: kit.name, version: kit.version, answers: byVariable };
  let tags: Record<string, string> | undefined;
  if (m.tags) {
    tags = {};
    // Tag values may use the prompts' answers: "CostCenter": "{{kit.answers.costCenter}}".
    for (const [key, value] of Object.entries(m.tags)) tags[key] = value.includes('{{') ? (await compile(value, { cached: true }))({ kit: context }) : value;
  }
  return {
    context,
    baseImages: m.baseImages,
    tags,
    permissionsBoundary: fromLongForm(m.permissionsBoundary),
    vpc: m.vpc ? { SecurityGroupIds: fromLongForm(m.vpc.securityGroupIds), SubnetIds: fromLongForm(m.vpc.subnetIds) } : undefined,
    globals: m.globals ? (fromLongForm(m.globals) as Record<string, unknown>) : undefined,
    parameters: m.parameters ? (fromLongForm(m.parameters) as Record<string, unknown>) : undefined,
  };
}
