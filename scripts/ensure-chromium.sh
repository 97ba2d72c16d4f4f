#!/usr/bin/env bash
# The browser tests (test/e2e) drive Debian's Chromium through playwright-core (no browser download).
# Installs it when missing, so `npm ci && npm test` needs nothing by hand. Never skips: if the
# install fails, the browser tests fail and say that Chromium is missing.
set -u
command -v chromium >/dev/null 2>&1 && exit 0
echo "== installing Debian's chromium for the browser tests (apt-get)"
as_root=""
[ "$(id -u)" -eq 0 ] || as_root="sudo"
if ! { $as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq chromium >/dev/null; }; then
  echo "!! Could not install chromium: the browser tests in test/e2e will fail. Install it with: apt-get install -y chromium" >&2
fi
exit 0
