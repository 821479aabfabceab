#!/usr/bin/env bash
# Runs the unit suite with the system clock a year ahead (Debian's faketime), so a
# test that depends on today's date fails here rather than a year from now.
set -euo pipefail
if ! command -v faketime >/dev/null 2>&1; then
  echo "faketime is missing: apt-get install faketime" >&2
  exit 1
fi
export FAKETIME_DONT_FAKE_MONOTONIC=1
faketime -f +365d node -e 'console.log("clock a year ahead: " + new Date().toISOString())'
exec faketime -f +365d npx vitest run --project unit
