// The templates that ship with the tool. The bundler replaces this module with the contents of
// templates/, handlebars files precompiled (see build.mjs), so the CLI reads no template from disk
// and loads no template compiler. Run from source, it is empty and the templates/ folder is read.
import type { Spec } from './render.ts';

export type BuiltinEntry = { text: string } | { spec: Spec };

export const BUILTIN: Record<string, BuiltinEntry> | undefined = undefined;
