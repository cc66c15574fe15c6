#!/usr/bin/env bash
# Installs what TestMermaidRenders needs to draw orgctl's Mermaid output for
# real: Debian's chromium (apt-get, as root, when no chromium is found) and
# @mermaid-js/mermaid-cli (mmdc) from npm into DIR, without the browser
# puppeteer would download (only registries are reachable). It writes
# DIR/puppeteer.json (chromium headless, no sandbox) and prints the settings
# the test reads, as shell assignments:
#
#   eval "$(reconcile/render/testdata/install-mermaid.sh /tmp/orgctl-mermaid)"
#   go test ./reconcile/render -run Mermaid -v
#
# Cost, measured on a fresh Debian 12 machine (2 cores): chromium about
# 55 s, 155 MB downloaded and 480 MB on disk with its libraries (apt);
# mermaid-cli and puppeteer about 45 s and 500 MB in DIR (npm, 261
# packages, mostly mermaid's optional layouts, katex and fonts); a second
# run with both present takes about 4 s (it draws a test diagram). Needs
# Node.js 18.19 or newer and npm.
#   usage: install-mermaid.sh DIR
set -euo pipefail
dir=${1:?usage: install-mermaid.sh DIR}
# The versions the output was checked with; change them on purpose.
# mermaid-cli 12 needs Node.js 22; 11.17 runs on Node.js 18.19 and 20.
mmdc_version=11.17.0
puppeteer_version=24.43.1

log() { echo "install-mermaid.sh: $*" >&2; }

# A chromium: $CHROMIUM_PATH, else one on PATH, else Debian's.
chromium=${CHROMIUM_PATH:-}
if [[ -z $chromium ]]; then
  chromium=$(command -v chromium || command -v chromium-browser || true)
fi
if [[ -z $chromium ]]; then
  if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null; then
    log "no chromium found: install one (Debian: apt-get install chromium) or set CHROMIUM_PATH"
    exit 1
  fi
  log "installing chromium with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
  chromium=$(command -v chromium)
fi

mmdc="$dir/node_modules/.bin/mmdc"
installed=$("$mmdc" --version 2>/dev/null || true)
if [[ $installed != "$mmdc_version" ]]; then
  log "installing @mermaid-js/mermaid-cli@$mmdc_version with npm into $dir"
  mkdir -p "$dir"
  PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error \
    "@mermaid-js/mermaid-cli@$mmdc_version" "puppeteer@$puppeteer_version" >&2
fi

config="$dir/puppeteer.json"
cat >"$config" <<EOF
{
  "executablePath": "$chromium",
  "args": ["--no-sandbox", "--headless", "--disable-gpu"]
}
EOF

# Check that it draws before saying it does.
check="$dir/check"
mkdir -p "$check"
printf 'flowchart TD\n  a["it"] --> b["works"]\n' >"$check/check.mmd"
if ! "$mmdc" --quiet --puppeteerConfigFile "$config" -i "$check/check.mmd" -o "$check/check.svg" >&2; then
  log "$mmdc could not draw a diagram with $chromium"
  exit 1
fi

printf 'export MMDC=%q\n' "$mmdc"
printf 'export PUPPETEER_EXECUTABLE_PATH=%q\n' "$chromium"
printf 'export MMDC_PUPPETEER_CONFIG=%q\n' "$config"
