// The templates that ship with the tool. The bundler replaces this module (see build.mjs) with an
// index of templates/ and a loader per group (project, events, functions/<language>), each group a
// chunk of its own with its handlebars files precompiled: a run reads no template from disk, loads no
// template compiler, and loads only the languages it renders. Run from source, both are undefined
// and the templates/ folder is read.
import type { Spec } from './render.ts';

export type BuiltinEntry = { text: string } | { spec: Spec };

export const BUILTIN_INDEX: Record<string, string[]> | undefined = undefined;
export const loadGroup: ((group: string) => Promise<Record<string, BuiltinEntry>>) | undefined = undefined;
