#!/usr/bin/env bash
# Builds each function's image for its architecture (one platform, no image index), tags it with the
# git commit and pushes it to the function's repository, unless that tag is there already; then prints
# each image's URI with its digest, the value for the function's ImageUri.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/build-and-push.sh [options] [Function...]

Builds and pushes the image of each function named (its logical ID in template.yaml; default: every
function of scripts/project.sh) to <registry>/<project>/<function folder>, tagged sha-<commit>. A tag
the registry has already is not built or pushed again. Prints one line per function on standard
output: <logical ID> <repository URI>@sha256:<digest>. The build's output goes to standard error.

Options:
  --allow-dirty      Build from a tree with uncommitted changes; the tag then says so:
                     sha-<commit>-dirty-<UTC time>
  --registry HOST    Push to this registry instead of Amazon ECR (also REGISTRY=HOST), with no ECR
                     login; plain HTTP for localhost and 127.x (a local registry such as 127.0.0.1:5000)
  --region REGION    The ECR Region (default: AWS_REGION, AWS_DEFAULT_REGION, aws configure get region)
  -h, --help         This help

Environment: CONTAINER_ENGINE=docker|finch|podman (default: the first on PATH); the AWS CLI's own
settings (AWS_PROFILE, ...); AWS_ENDPOINT_URL for another ECR endpoint. The repositories must exist:
scripts/ecr-setup.sh creates them.
USAGE
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=project.sh
source "$here/project.sh"
# shellcheck source=engine.sh
source "$here/engine.sh"

allow_dirty=0
registry="${REGISTRY:-}"
region=""
wanted=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --allow-dirty) allow_dirty=1 ;;
    --registry) [[ $# -ge 2 ]] || die "--registry needs a host[:port]"; registry="$2"; shift ;;
    --region) [[ $# -ge 2 ]] || die "--region needs a Region"; region="$2"; shift ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) wanted+=("$1") ;;
  esac
  shift
done

# The functions to build, as <logical ID>:<folder>:<architecture>.
selected=()
if [[ ${#wanted[@]} -eq 0 ]]; then
  selected=("${FUNCTIONS[@]}")
else
  for id in "${wanted[@]}"; do
    found=""
    for entry in "${FUNCTIONS[@]}"; do
      [[ "${entry%%:*}" == "$id" ]] && found="$entry"
    done
    [[ -n "$found" ]] || die "no function $id in scripts/project.sh (there: $(printf '%s ' "${FUNCTIONS[@]%%:*}"))"
    selected+=("$found")
  done
fi

# The tag: the commit, refused on a dirty tree unless --allow-dirty.
need git "images are tagged with the git commit"
commit="$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null)" ||
  die "no git commit to tag the images with: commit the project first (git init, git add, git commit)"
tag="sha-$commit"
if [[ -n "$(git -C "$root" status --porcelain)" ]]; then
  [[ $allow_dirty -eq 1 ]] || die "uncommitted changes (git status): commit them, or pass --allow-dirty to tag the images sha-$commit-dirty-<time>"
  tag="sha-$commit-dirty-$(date -u +%Y%m%dT%H%M%SZ)"
fi

detect_engine
errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT

aws_args=()
ecr=1
if [[ -n "$registry" ]]; then
  ecr=0
  need curl "to ask the registry which tags it has"
  scheme=https
  case "$registry" in
    localhost | localhost:* | 127.*) scheme=http ;;
  esac
else
  need aws "the AWS CLI, for the ECR login and repositories; or pass --registry"
  region="${region:-${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region 2>/dev/null || true)}}}"
  [[ -n "$region" ]] || die "no AWS Region: pass --region, set AWS_REGION, or run aws configure set region <region>"
  aws_args+=(--region "$region")
  if [[ -n "${AWS_ENDPOINT_URL:-}" ]]; then
    aws_args+=(--endpoint-url "$AWS_ENDPOINT_URL")
  fi
  account="$(aws sts get-caller-identity --query Account --output text "${aws_args[@]}" 2>"$errors")" ||
    die "no usable AWS credentials (aws sts get-caller-identity: $(tail -n 1 "$errors"))"
  registry="$account.dkr.ecr.$region.amazonaws.com"
fi

ACCEPT="application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json"
ACCEPT="$ACCEPT,application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.list.v2+json"

# stored <repository> <tag>: "<digest> <media type>" of the tag in the registry, nothing when absent.
stored() {
  if [[ $ecr -eq 1 ]]; then
    if aws ecr describe-images --repository-name "$1" --image-ids "imageTag=$2" --output text \
        --query 'imageDetails[0].[imageDigest,imageManifestMediaType]' "${aws_args[@]}" 2>"$errors"; then
      return
    fi
    grep -q ImageNotFoundException "$errors" && return
    grep -q RepositoryNotFoundException "$errors" && die "no ECR repository $1 in $registry: run scripts/ecr-setup.sh first"
    die "aws ecr describe-images failed: $(tail -n 1 "$errors")"
  fi
  local headers code
  headers="$(mktemp)"
  code="$(curl -sS -I -o /dev/null -D "$headers" -w '%{http_code}' -H "Accept: $ACCEPT" \
    "$scheme://$registry/v2/$1/manifests/$2" 2>"$errors")" || {
    rm -f "$headers"
    die "cannot reach the registry at $scheme://$registry ($(tail -n 1 "$errors"))"
  }
  if [[ "$code" == 200 ]]; then
    tr -d '\r' <"$headers" | awk 'tolower($1) == "docker-content-digest:" { d = $2 } tolower($1) == "content-type:" { t = $2 } END { print d, t }'
  elif [[ "$code" != 404 ]]; then
    rm -f "$headers"
    die "GET $scheme://$registry/v2/$1/manifests/$2 answered HTTP $code"
  fi
  rm -f "$headers"
}

logged_in=0
login() {
  [[ $ecr -eq 1 && $logged_in -eq 0 ]] || return 0
  aws ecr get-login-password "${aws_args[@]}" 2>"$errors" |
    "$ENGINE" login --username AWS --password-stdin "$registry" >&2 ||
    die "could not log $ENGINE in to $registry ($(tail -n 1 "$errors"))"
  logged_in=1
}

push() {
  case "$ENGINE" in
    # podman may compress layers with zstd, which Lambda cannot read: gzip, always.
    podman)
      if [[ "${scheme:-https}" == http ]]; then
        podman push --compression-format gzip --tls-verify=false "$1"
      else
        podman push --compression-format gzip "$1"
      fi
      ;;
    *) "$ENGINE" push "$1" ;;
  esac
}

for entry in "${selected[@]}"; do
  IFS=: read -r id folder arch <<<"$entry"
  repository="$PROJECT/$folder"
  image="$registry/$repository:$tag"
  found="$(stored "$repository" "$tag")"
  if [[ -n "$found" ]]; then
    echo "$id: $image is in the registry already; not built or pushed again" >&2
  else
    echo "$id: building $image ($(platform_of "$arch")) with $ENGINE" >&2
    build_image "$image" "$(platform_of "$arch")" "$root/functions/$folder" >&2
    login
    push "$image" >&2
    found="$(stored "$repository" "$tag")"
    [[ -n "$found" ]] || die "$image was pushed, but the registry does not list it"
  fi
  read -r digest media <<<"$found"
  case "$media" in
    *index* | *manifest.list*) die "$image is an image index ($media), which Lambda rejects: build one platform, without attestations" ;;
  esac
  echo "$id $registry/$repository@$digest"
done
