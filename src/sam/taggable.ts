// Tags on the resources the tool generates, in each type's own shape (the table the kit rules check
// against): CloudFormation's types mostly a list of {Key, Value}, SAM's a map.
import { TAGGABLE } from '../kit/rules/taggable.ts';

export const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** Adds the tags to every taggable resource that has none of its own (SAM functions are tagged by the caller). */
export function tagResources(resources: Record<string, Record<string, unknown>>, tags: Record<string, string>): void {
  for (const resource of Object.values(resources)) {
    const type = String(resource.Type);
    const tagging = TAGGABLE[type];
    if (!tagging || type === 'AWS::Serverless::Function') continue;
    const properties = (resource.Properties ??= {}) as Record<string, unknown>;
    properties[tagging.property] ??= tagging.form === 'list' ? tagList(tags) : { ...tags };
  }
}
