# shellcheck shell=bash
# The container engine build-and-push.sh and local-invoke.sh use, and how each one builds a Lambda
# image: docker, finch or podman, the first of them on PATH, or the one CONTAINER_ENGINE names.

die() {
  echo "error: $*" >&2
  exit 1
}

# need <command> [what it is for]: one line and exit 1 when the command is not on PATH.
need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is not installed or not on PATH${2:+ ($2)}"
}

# Sets ENGINE to docker, finch or podman, and checks that it can build.
detect_engine() {
  ENGINE="${CONTAINER_ENGINE:-}"
  if [[ -n "$ENGINE" ]]; then
    case "$ENGINE" in
      docker | finch | podman) need "$ENGINE" "CONTAINER_ENGINE=$ENGINE" ;;
      *) die "CONTAINER_ENGINE=$ENGINE: use docker, finch or podman" ;;
    esac
  else
    for candidate in docker finch podman; do
      if command -v "$candidate" >/dev/null 2>&1; then
        ENGINE="$candidate"
        break
      fi
    done
    [[ -n "$ENGINE" ]] || die "no container engine: install Docker, Finch or podman, or set CONTAINER_ENGINE"
  fi
  if [[ "$ENGINE" == docker ]]; then
    # podman-docker's `docker` is podman, which has neither buildx nor attestations.
    if docker --version 2>/dev/null | grep -qi podman && command -v podman >/dev/null 2>&1; then
      ENGINE=podman
      return
    fi
    docker buildx version >/dev/null 2>&1 || die "docker buildx is missing (Docker's Buildx plugin: docker-buildx-plugin, or Docker Desktop)"
    docker info >/dev/null 2>&1 || die "the Docker daemon does not answer (docker info): start it, or set CONTAINER_ENGINE=finch|podman"
  fi
}

# platform_of <x86_64|arm64>: the engine's platform name.
platform_of() {
  case "$1" in
    x86_64) echo linux/amd64 ;;
    arm64) echo linux/arm64 ;;
    *) die "unknown architecture $1 in scripts/project.sh (x86_64 or arm64)" ;;
  esac
}

# build_image <image:tag> <platform> <context folder>: one image for one platform, no image index.
# Lambda rejects indexes, which BuildKit makes for provenance and SBOM attestations (Docker's default):
# docker buildx and finch (nerdctl, BuildKit) are told to make none; podman makes none.
# The build secrets its Dockerfile mounts (a private package index's credentials) are passed from
# the environment, never as build arguments, which would stay in the image history.
build_image() {
  build_secrets "$3"
  case "$ENGINE" in
    docker) docker buildx build --platform "$2" --provenance=false --sbom=false --load ${SECRETS[@]+"${SECRETS[@]}"} --tag "$1" "$3" ;;
    finch) finch build --platform "$2" --provenance=false --sbom=false ${SECRETS[@]+"${SECRETS[@]}"} --tag "$1" "$3" ;;
    podman) podman build --platform "$2" ${SECRETS[@]+"${SECRETS[@]}"} --tag "$1" "$3" ;;
  esac
}

# build_secrets <context folder>: sets SECRETS to a --secret flag for each secret the Dockerfile mounts
# (RUN --mount=type=secret,id=...), from its environment variable; exits when that is unset.
build_secrets() {
  SECRETS=()
  local id variable
  while read -r id; do
    case "$id" in
      netrc) variable=PRIVATE_INDEX_NETRC ;;
      npmrc) variable=PRIVATE_INDEX_NPMRC ;;
      *) die "$1/Dockerfile mounts a build secret $id that the scripts do not know" ;;
    esac
    [[ -n "${!variable:-}" ]] ||
      die "$(basename "$1") installs from a private package index: set $variable to its credentials line (README.md, \"Private package index\")"
    SECRETS+=(--secret "id=$id,env=$variable")
  done < <(grep -o -e '--mount=type=secret,id=[A-Za-z0-9_.-]*' "$1/Dockerfile" | sed 's/.*id=//' | sort -u)
}
