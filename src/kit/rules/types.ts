// The rules engine's shapes, shared by its parts (rules.ts re-exports them).
import type { Template } from './template.ts';

/** The kit's rules with every `true` replaced by the kit's list. */
export interface ResolvedRules {
  requiredTags?: string[];
  permissionsBoundary?: boolean;
  runtimes?: string[];
  architectures?: string[];
  baseImages?: string[];
  functionUrlAuth?: boolean;
  tracing?: boolean;
}

export interface Violation {
  /** Relative to the template's folder, `/`-separated. */
  file: string;
  line: number;
  rule: string;
  /** What to change, naming the resource's logical ID. */
  message: string;
}

/** What a rule's check reads. */
export interface Context {
  template: Template;
  rules: ResolvedRules;
  /** The kit's mapping official -> org image, to recognise a mirrored base image. */
  baseImages: Record<string, string>;
}

/** A violation before the rule's id is put on it. */
export type Finding = Omit<Violation, 'rule'>;
