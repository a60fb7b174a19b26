// The SAM translator's output for generated templates: what CloudFormation is really given (the roles
// SAM would make, the policies it would attach). One Python process translates a whole batch.
import { execFileSync } from 'node:child_process';

// ImageUri is filled in as `sam deploy` does; the managed-policy loader answers nothing, so a
// policy SAM would attach by name shows up as that name's ARN.
const SCRIPT = `
import json, sys
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse
class NoManagedPolicies:
    def load(self): return {}
out = {}
for path in json.load(sys.stdin):
    t = yaml_parse(open(path, encoding="utf-8").read())
    for r in t.get("Resources", {}).values():
        if r.get("Type") == "AWS::Serverless::Function" and r.get("Properties", {}).get("PackageType") == "Image":
            r["Properties"].setdefault("ImageUri", "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1")
    try:
        out[path] = transform(t, {}, NoManagedPolicies())
    except Exception as e:
        out[path] = {"error": str(e)}
json.dump(out, sys.stdout)
`;

export type Translated = { Resources: Record<string, { Type: string; Properties?: Record<string, any>; DependsOn?: unknown }> } & { error?: string };

/** Translated templates by path; throws when the translator is not installed (cfn-lint's dependency). */
export function translate(paths: string[]): Map<string, Translated> {
  const python = process.env.PYTHON ?? 'python3';
  const stdout = execFileSync(python, ['-c', SCRIPT], {
    input: JSON.stringify(paths),
    env: { ...process.env, AWS_DEFAULT_REGION: 'us-east-1' },
    maxBuffer: 256 << 20,
    // The translator prints notes about its own metrics on stderr.
    stdio: ['pipe', 'pipe', 'pipe'],
  }).toString();
  const result = JSON.parse(stdout) as Record<string, Translated>;
  return new Map(paths.map((p) => [p, result[p]!]));
}
