#!/usr/bin/env bash
# `npm test`: typecheck, lint, unit + integration tests (Vitest), production build, browser tests (Playwright with
# Debian's Chromium). Ends with one line `tests: N passed, N failed` summed over Vitest and Playwright.
set -u
cd "$(dirname "$0")/.."
mkdir -p test-results

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "== installing Debian's chromium (needed by the browser tests)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation) >/dev/null
  else
    echo "Chromium is missing: run 'sudo apt-get install -y chromium fonts-liberation' (or set CHROMIUM_PATH)." >&2
  fi
fi

status=0
step() {
  echo "== $1"
  shift
  "$@" || { echo "!! failed: $*"; status=1; }
}

step "prisma generate" npx prisma generate --no-hints
step "typecheck" npx tsc --noEmit -p .
step "lint" npx eslint .
step "unit and integration tests" npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json
step "production build" npx next build
if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  step "browser tests" npx playwright test
else
  echo "!! browser tests not run: no Chromium"
  status=1
fi

node scripts/test-summary.mjs test-results/vitest.json test-results/playwright.json || status=1
exit $status
