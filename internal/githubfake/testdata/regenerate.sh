#!/usr/bin/env bash
# Regenerates api.github.com.subset.json: the part of GitHub's own OpenAPI
# description that internal/githubfake serves (see subset/main.go).
#
# Run it after adding a route to the fake (routes.go), or to move to a newer
# description: change VERSION and INTEGRITY together (INTEGRITY is what
# `npm view @octokit/openapi@VERSION dist.integrity` prints), run this, then
# `go test ./internal/githubfake` and review the diff of the subset.
#
# Needs npm (the registry) and go. Usage: internal/githubfake/testdata/regenerate.sh
set -euo pipefail

PACKAGE=@octokit/openapi
VERSION=23.0.2
INTEGRITY=sha512-pV8M7L9GY23AybNvTmo2nyjmpmnt6+2sRE/tqr0ZLQcPS4lnw7u5eZGNmwRNkBC3D7gZXbFx5AHzLUVRBXGDhg==
FILE=generated/api.github.com.json

here="$(cd "$(dirname "$0")" && pwd)"
module_root="$(cd "$here/../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# npm pack downloads the package tarball without installing or running anything.
(cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
tarball="$(ls "$work"/*.tgz)"

got="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$got" != "$INTEGRITY" ]; then
  echo "regenerate.sh: $PACKAGE@$VERSION has integrity $got, expected $INTEGRITY" >&2
  exit 1
fi

tar -xzf "$tarball" -C "$work" "package/$FILE"

cd "$module_root"
go run ./internal/githubfake/testdata/subset \
  -in "$work/package/$FILE" \
  -source "$PACKAGE@$VERSION" \
  -out "$here/api.github.com.subset.json"
