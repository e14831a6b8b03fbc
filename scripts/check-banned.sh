#!/usr/bin/env bash
# Fails when a banned C function appears in the project's C sources.
set -euo pipefail
cd "$(dirname "$0")/.."
pat='\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|atoll|gets)[[:space:]]*\('
if hits=$(grep -rnE "$pat" --include='*.c' --include='*.h' src tests bench 2>/dev/null); then
  echo "check: banned functions in use:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "check: no banned functions"
