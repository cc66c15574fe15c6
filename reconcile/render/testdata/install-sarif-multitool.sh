#!/usr/bin/env bash
# Installs Microsoft's SARIF multitool (the validator whose "Gh" rules are
# GitHub code scanning's requirements) from npm into DIR, and prints the
# path of the executable. Used by .ci/run; the SARIF test skips without it.
#   usage: install-sarif-multitool.sh DIR
set -euo pipefail
dir=${1:?usage: install-sarif-multitool.sh DIR}
version=5.7.0
mkdir -p "$dir"
tool="$dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$tool" ]; then
  npm install --prefix "$dir" --no-audit --no-fund --silent "@microsoft/sarif-multitool-linux@$version" >&2
  chmod u+x "$tool"
fi
echo "$tool"
