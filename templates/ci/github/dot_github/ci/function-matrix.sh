#!/usr/bin/env bash
# Prints the deploy workflow's test matrix: one entry per functions/*/ folder, with the toolchain and
# the test commands (those of README.md) for its language. A folder is matched to a row of
# toolchains.json by its Dockerfile's base image and a file only its language has (requirements-dev.txt,
# pom.xml, ...), so a function added later needs no edit here or in the workflow.
set -euo pipefail
cd "$(dirname "$0")/../.."
table=.github/ci/toolchains.json
matrix='[]'
for dockerfile in functions/*/Dockerfile; do
  [ -e "$dockerfile" ] || continue
  dir=${dockerfile%/Dockerfile}
  image=$(sed -n 's/^ARG BASE_IMAGE=//p' "$dockerfile" | head -n 1)
  row=''
  while IFS= read -r candidate; do
    if [ -e "$dir/$(jq -r .marker <<<"$candidate")" ]; then
      row=$candidate
      break
    fi
  done < <(jq -c --arg image "$image" '.[] | select(.image == $image)' "$table")
  if [ -z "$row" ]; then
    echo "error: $table has no toolchain for $dir (base image: ${image:-no ARG BASE_IMAGE in its Dockerfile})" >&2
    exit 1
  fi
  matrix=$(jq -c --arg dir "$dir" --argjson row "$row" '. + [$row + {dir: $dir, name: ($dir | split("/") | last)}]' <<<"$matrix")
done
if [ "$matrix" = '[]' ]; then
  echo 'error: no functions/*/Dockerfile to test' >&2
  exit 1
fi
echo "$matrix"
