// Recording stand-ins for the tools the generated delivery scripts call: `docker`, `finch`, `podman`,
// `aws` and `curl` as small shell scripts that append their argv (and, for `login`, what came on
// standard input) to a log and answer as the real tools would. STUB_* environment variables choose the
// answers: STUB_NO_CREDENTIALS, STUB_NO_REPOSITORY, STUB_EXISTING (the tag is in ECR already),
// STUB_MEDIA_TYPE (what describe-images says after a push), STUB_RESPONSE (what an invocation returns),
// STUB_ENTRYPOINT (the built image's own ENTRYPOINT).
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOKEN = 'STUB-ECR-PASSWORD-do-not-print';
export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

const log = 'printf "%s\\n" "$(basename "$0") $*" >> "$STUB_LOG"';

const engine = (version: string) => `#!/bin/bash
${log}
case "$1" in
  --version) echo "${version}" ;;
  login) printf 'stdin:%s\\n' "$(cat)" >> "$STUB_LOG"; echo "Login Succeeded" ;;
  push) touch "$STUB_STATE/pushed" ;;
  run) echo 0123456789ab ;;
  logs) echo "START RequestId: stub" ;;
  # An image's ENTRYPOINT, one word a line (STUB_ENTRYPOINT, words separated by spaces); no CMD.
  image) if [[ "$2" == inspect && "$4" == *Entrypoint* && -n "\${STUB_ENTRYPOINT:-}" ]]; then printf '%s\\n' \${STUB_ENTRYPOINT}; fi ;;
esac
exit 0
`;

const aws = `#!/bin/bash
${log}
case "$1 $2" in
  "sts get-caller-identity")
    if [[ -n "\${STUB_NO_CREDENTIALS:-}" ]]; then echo "Unable to locate credentials. You can configure credentials by running \\"aws configure\\"." >&2; exit 253; fi
    echo ${ACCOUNT} ;;
  "configure get") echo ${REGION} ;;
  "ecr get-login-password") echo ${TOKEN} ;;
  "ecr describe-images")
    if [[ -n "\${STUB_NO_REPOSITORY:-}" ]]; then echo "An error occurred (RepositoryNotFoundException) when calling the DescribeImages operation: The repository does not exist" >&2; exit 254; fi
    if [[ -n "\${STUB_EXISTING:-}" || -e "$STUB_STATE/pushed" ]]; then
      printf '%s\\t%s\\n' ${DIGEST} "\${STUB_MEDIA_TYPE:-application/vnd.docker.distribution.manifest.v2+json}"
    else
      echo "An error occurred (ImageNotFoundException) when calling the DescribeImages operation: no such image" >&2; exit 254
    fi ;;
  *) echo "stub aws: unexpected $*" >&2; exit 2 ;;
esac
`;

// HEAD of a manifest (-D <headers file>): 404 until something was pushed, then 200 with its digest;
// POST (-X): STUB_RESPONSE, or {"ok": true}.
const curl = `#!/bin/bash
${log}
headers=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -X) echo "\${STUB_RESPONSE:-{\\"ok\\": true\\}}"; exit 0 ;;
    -D) headers="$2"; shift ;;
  esac
  shift
done
if [[ -n "$headers" ]]; then
  if [[ -e "$STUB_STATE/pushed" ]]; then
    printf 'HTTP/1.1 200 OK\\r\\nDocker-Content-Digest: ${DIGEST}\\r\\nContent-Type: \${STUB_MEDIA_TYPE:-application/vnd.oci.image.manifest.v1+json}\\r\\n\\r\\n' > "$headers"
    printf 200
  else
    printf 404
  fi
fi
exit 0
`;

export interface Stubs {
  /** Folder of the stubs, each a file named after its tool. */
  bin: string;
  /** Folder holding every program of /usr/bin and /bin but container engines, aws and what `without` names. */
  toolbox(without?: string[]): string;
  /** A folder holding only the stubs named. */
  only(names: string[]): string;
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  calls(): string[];
  reset(): void;
}

/** Writes the stubs under `dir`; `env(...)` runs the scripts with them first on PATH. */
export function makeStubs(dir: string): Stubs {
  const bin = join(dir, 'stubs');
  const state = join(dir, 'state');
  const logFile = join(dir, 'calls.log');
  mkdirSync(bin, { recursive: true });
  mkdirSync(state, { recursive: true });
  const scripts: Record<string, string> = {
    docker: engine('Docker version 27.3.1, build ce12230'),
    finch: engine('finch version v1.4.1'),
    podman: engine('podman version 5.2.2'),
    aws,
    curl,
  };
  for (const [name, text] of Object.entries(scripts)) {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  }
  const boxes = new Map<string, string>();
  const stubs: Stubs = {
    bin,
    toolbox(without = []) {
      const key = without.join(',');
      const found = boxes.get(key);
      if (found) return found;
      const box = join(dir, `toolbox-${boxes.size}`);
      mkdirSync(box);
      const skip = new Set(['docker', 'finch', 'podman', 'aws', 'nerdctl', ...without]);
      for (const from of ['/bin', '/usr/bin']) {
        for (const name of readdirSync(from)) {
          if (skip.has(name)) continue;
          try {
            symlinkSync(join(from, name), join(box, name));
          } catch {
            // the same name in /bin and /usr/bin
          }
        }
      }
      boxes.set(key, box);
      return box;
    },
    only(names) {
      const box = join(dir, `only-${names.join('-')}`);
      mkdirSync(box, { recursive: true });
      for (const name of names) {
        writeFileSync(join(box, name), scripts[name]!);
        chmodSync(join(box, name), 0o755);
      }
      return box;
    },
    env: (extra = {}) => {
      const env: NodeJS.ProcessEnv = { ...process.env, STUB_LOG: logFile, STUB_STATE: state, PATH: `${bin}:${stubs.toolbox()}` };
      for (const k of Object.keys(env)) if (/^(AWS_|STUB_(NO|EXISTING|MEDIA|RESPONSE|ENTRYPOINT))|^(REGISTRY|CONTAINER_ENGINE|LOCAL_INVOKE_PORT)$/.test(k)) delete env[k];
      return { ...env, ...extra };
    },
    calls: () => {
      try {
        return readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
    reset: () => {
      writeFileSync(logFile, '');
      for (const f of readdirSync(state)) rmSync(join(state, f), { force: true });
    },
  };
  return stubs;
}
