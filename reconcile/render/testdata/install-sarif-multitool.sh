#!/usr/bin/env bash
# Installs Microsoft's SARIF multitool, the validator whose "Gh" rules are
# GitHub code scanning's requirements, from npm into DIR, checks that it
# runs, and prints the path of the executable (its only line on stdout).
# TestSARIFPassesMultitool runs it when SARIF_MULTITOOL holds that path and
# skips otherwise:
#
#   export SARIF_MULTITOOL=$(reconcile/render/testdata/install-sarif-multitool.sh /tmp/sarif)
#   go test ./reconcile/render -run SARIF
#
# About 100 MB on disk (one self-contained .NET executable, linux-x64 only)
# and a few seconds with a warm npm cache. Needs npm; no .NET SDK.
#   usage: install-sarif-multitool.sh DIR
set -euo pipefail
dir=${1:?usage: install-sarif-multitool.sh DIR}
# The version the SARIF output was validated with; change it on purpose.
version=5.7.0
tool="$dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
# .NET looks for libicu; without it, invariant globalization is enough here.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
installed=$("$tool" --version 2>&1 || true) # it prints its version on stderr
if [[ $installed != "SARIF Multitool $version+"* ]]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error \
    "@microsoft/sarif-multitool-linux@$version" >&2
  # The package's postinstall does this too, unless scripts are disabled.
  chmod u+x "$tool"
fi
if ! "$tool" --version >/dev/null 2>&1; then
  echo "install-sarif-multitool.sh: $tool does not run:" >&2
  "$tool" --version >&2 || true
  exit 1
fi
echo "$tool"
