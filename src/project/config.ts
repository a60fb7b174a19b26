// The answers a generated project records, so later commands (add, update) can take them as defaults.
export const CONFIG_FILE = '.create-container-lambda.json';
