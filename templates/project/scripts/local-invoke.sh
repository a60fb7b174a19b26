#!/usr/bin/env bash
# Builds a function's image and runs it on this machine: the AWS base images' Runtime Interface
# Emulator answers on the container's port 8080, published on 127.0.0.1 only. Each sample event is
# POSTed to it and the function's response printed; the container is stopped and removed at the end.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/local-invoke.sh <Function> [event.json...]

Builds the image of <Function> (its logical ID in template.yaml) for its architecture, starts it,
invokes it once per event file and prints each response on standard output. Without event files:
every events/*.json when the project has one function; name them when it has several. Exits 1 when
an invocation returns a function error (errorType).

Environment: CONTAINER_ENGINE=docker|finch|podman (default: the first on PATH); LOCAL_INVOKE_PORT,
the port on 127.0.0.1 (default: a free one).
USAGE
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=project.sh
source "$here/project.sh"
# shellcheck source=engine.sh
source "$here/engine.sh"

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "" | -*) usage >&2; exit 2 ;;
esac
id="$1"
shift
entry=""
for candidate in "${FUNCTIONS[@]}"; do
  [[ "${candidate%%:*}" == "$id" ]] && entry="$candidate"
done
[[ -n "$entry" ]] || die "no function $id in scripts/project.sh (there: $(printf '%s ' "${FUNCTIONS[@]%%:*}"))"
IFS=: read -r _ folder arch <<<"$entry"

events=("$@")
if [[ ${#events[@]} -eq 0 ]]; then
  [[ ${#FUNCTIONS[@]} -eq 1 ]] || die "name the event files for $id: the project has several functions (events/: $(cd "$root" && printf '%s ' events/*.json))"
  shopt -s nullglob
  events=("$root"/events/*.json)
  shopt -u nullglob
  [[ ${#events[@]} -gt 0 ]] || die "no events/*.json: name an event file"
fi
for event in "${events[@]}"; do
  [[ -f "$event" ]] || die "no event file $event"
done

need curl "to send the events"
detect_engine

# A port nothing listens on, unless LOCAL_INVOKE_PORT names one.
port="${LOCAL_INVOKE_PORT:-}"
if [[ -z "$port" ]]; then
  for _ in $(seq 1 50); do
    candidate=$((RANDOM % 20000 + 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      port="$candidate"
      break
    fi
  done
  [[ -n "$port" ]] || die "no free port found on 127.0.0.1: set LOCAL_INVOKE_PORT"
fi

platform="$(platform_of "$arch")"
image="$PROJECT/$folder:local"
echo "$id: building $image ($platform) with $ENGINE" >&2
build_image "$image" "$platform" "$root/functions/$folder" >&2

container=""
stop() {
  if [[ -n "$container" ]]; then
    "$ENGINE" rm --force "$container" >/dev/null 2>&1 || true
    container=""
  fi
}
trap stop EXIT
trap 'exit 130' INT TERM
# An image whose ENTRYPOINT is its own program (a web app behind the Lambda Web Adapter) runs under
# the emulator the AWS base images carry, as Lambda runs it: the program follows as its arguments, and
# listens on PORT 8000 (as template.yaml sets it), since the emulator holds 8080.
run=(--publish "127.0.0.1:$port:8080" --env "AWS_LAMBDA_FUNCTION_NAME=$id")
mapfile -t entrypoint < <("$ENGINE" image inspect --format '{{range .Config.Entrypoint}}{{println .}}{{end}}' "$image")
if [[ ${#entrypoint[@]} -gt 0 && "${entrypoint[0]}" != /lambda-entrypoint.sh ]]; then
  mapfile -t cmd < <("$ENGINE" image inspect --format '{{range .Config.Cmd}}{{println .}}{{end}}' "$image")
  run+=(--env PORT=8000 --entrypoint /usr/local/bin/aws-lambda-rie "$image" "${entrypoint[@]}" ${cmd[@]+"${cmd[@]}"})
else
  run+=("$image")
fi
container="$("$ENGINE" run --detach --platform "$platform" "${run[@]}")"
url="http://127.0.0.1:$port/2015-03-31/functions/function/invocations"

# The emulator listens once the container has started: any HTTP answer will do.
ready=0
for _ in $(seq 1 60); do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    ready=1
    break
  fi
  sleep 0.5
done
if [[ $ready -eq 0 ]]; then
  "$ENGINE" logs "$container" >&2 || true
  die "$id: nothing answers on 127.0.0.1:$port after 30 s (the container's log is above)"
fi

failed=0
for event in "${events[@]}"; do
  echo "$id <- $event" >&2
  response="$(curl -sS -X POST --data-binary "@$event" -H 'Content-Type: application/json' "$url")"
  echo "$response"
  [[ "$response" == *'"errorType"'* ]] && failed=$((failed + 1))
done
if [[ $failed -gt 0 ]]; then
  "$ENGINE" logs "$container" >&2 || true
  die "$id: $failed of ${#events[@]} invocation(s) returned a function error (the container's log is above)"
fi
