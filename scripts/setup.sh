#!/usr/bin/env bash
# Set-up for `npm run build` and `npm test` on a fresh machine: the system tools the pipeline
# drives (a Chromium, EPUBCheck, Poppler, Ghostscript), then the npm dependencies. Quiet when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
chrome="${PUPPETEER_EXECUTABLE_PATH:-${READER_CHROME:-}}"
if [ -n "$chrome" ]; then
  [ -x "$chrome" ] || { echo "reader: the browser at $chrome (PUPPETEER_EXECUTABLE_PATH/READER_CHROME) does not exist or is not executable." >&2; exit 1; }
else
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || missing+=(chromium)
fi
[ -f "${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}" ] || missing+=(epubcheck)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v gs >/dev/null 2>&1 || missing+=(ghostscript)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)

if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo -n"
    echo "reader: installing system packages: ${missing[*]}" >&2
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  else
    echo "reader: missing system packages: ${missing[*]}" >&2
    echo "  On Debian/Ubuntu: sudo apt-get install ${missing[*]}" >&2
    echo "  Elsewhere: install Chromium or Chrome (or set PUPPETEER_EXECUTABLE_PATH to it)," >&2
    echo "  EPUBCheck (set EPUBCHECK_JAR to its jar), Poppler's pdftoppm/pdffonts and Ghostscript (gs)." >&2
    exit 1
  fi
fi

# For the tests (`setup.sh --tests`), Calibre too, when apt can bring it: the test that converts the
# EPUB for Kindle (AZW3) and checks its fonts runs only where `ebook-convert` is. Not having it is
# no failure: that one test says it is skipped.
if [ "${1:-}" = "--tests" ] && ! command -v ebook-convert >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo -n"
  echo "reader: installing calibre for the tests (optional)" >&2
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends calibre; } >&2 || echo "reader: calibre could not be installed; the AZW3 test will be skipped" >&2
fi

# npm dependencies: install when node_modules is missing or older than the lock file.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "reader: installing npm dependencies" >&2
  # `npm install` rather than `npm ci`: the registry mirror lacks some platform-only optional
  # packages, which `npm ci` refuses to skip; the lock file still pins every version installed.
  PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund >&2
fi
