#!/usr/bin/env bash
# Stands in for the real deploy in this example.
set -euo pipefail
echo "deploying ${1:-unknown} to ${2:-prod}…"
sleep 0.2
echo "deployed ${1:-unknown}"
