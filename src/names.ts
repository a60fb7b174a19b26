// Names the user chooses, and the names derived from them.
import { closest } from 'fastest-levenshtein';
import { UserError } from './errors.ts';

/** CloudFormation stack names: a letter, then letters, digits and hyphens, 128 characters at most. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
/** CloudFormation logical IDs: letters and digits only, 255 characters at most. */
const LOGICAL_ID = /^[A-Za-z0-9]{1,255}$/;

export function checkProjectName(name: string): string {
  if (!STACK_NAME.test(name)) {
    throw new UserError(
      `Invalid project name "${name}"`,
      'Use a letter followed by letters, digits or hyphens (it becomes the CloudFormation stack name), e.g. --name my-app',
    );
  }
  return name;
}

/** A stack name made from a folder name, or undefined when nothing usable is left. */
export function projectNameFrom(folder: string): string | undefined {
  const name = folder.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^[^A-Za-z]+/, '').replace(/-+$/, '');
  return name ? name.slice(0, 128) : undefined;
}

export function checkLogicalId(id: string): string {
  if (!LOGICAL_ID.test(id)) {
    throw new UserError(
      `Invalid function name "${id}"`,
      'CloudFormation logical IDs use letters and digits only, e.g. --function OrdersFunction',
    );
  }
  return id;
}

/** OrdersFunction -> orders-function: the function's folder and image repository name. */
export function kebabCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** csv-processor -> CsvProcessor. */
export function pascalCase(kebab: string): string {
  return kebab.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/** OrdersFunction -> orders: the resource path and the base of related names. */
export function baseName(id: string): string {
  return kebabCase(id.replace(/Function$/, '') || id);
}

/** The error for a value outside a list: Unknown <what> "x". Did you mean <flag> y? Valid: ... */
export function unknownChoice(what: string, value: string, valid: readonly string[], flag: string, suggestion?: string): UserError {
  suggestion ??= valid.length ? closest(value, [...valid]) : undefined;
  return new UserError(
    `Unknown ${what} "${value}"`,
    `${suggestion ? `Did you mean ${flag} ${suggestion}? ` : ''}Valid: ${valid.join(', ')}`,
  );
}
