#!/usr/bin/env bash
# Rewrites every ImageUri of a packaged template from repository:tag (what `sam package` writes) to
# repository@sha256:..., the digest ECR holds for that tag: every stage then deploys the image that was
# built and tested here, whatever is pushed to the tag later. Prints the pinned URIs.
set -euo pipefail
template=${1:-packaged.yaml}
for uri in $(sed -n 's/^ *ImageUri: *//p' "$template" | tr -d "\"'" | sort -u); do
  case $uri in *@sha256:*) continue ;; esac
  repository=${uri%:*}
  tag=${uri##*:}
  digest=$(aws ecr describe-images --repository-name "${repository#*/}" --image-ids imageTag="$tag" \
    --query 'imageDetails[0].imageDigest' --output text)
  sed -i "s|$uri|$repository@$digest|g" "$template"
  echo "$repository@$digest"
done
