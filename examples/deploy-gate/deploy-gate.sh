#!/usr/bin/env bash
# A CI deploy step that waits for a human over plain HTTP (the Ambedo-style pause API), no SDK:
#   deploy-gate.sh "Deploy v2.4.1 to prod" -- ./deploy.sh v2.4.1
# POST /api/pause creates the request; GET /api/pause/:watchId is polled until a human decides.
# Runs the command after `--` only when approved. Exit codes: the command's own when approved,
# 10 rejected, 11 expired or timed out, 12 usage or configuration, 13 server unreachable or erroring.
# Env: COUNTERSIGN_URL, COUNTERSIGN_API_KEY (required); POLL_INTERVAL seconds (default 5);
# PAUSE_TIMEOUT seconds to wait at most (default 3600); DEPLOY_CONTEXT extra JSON object (optional).
set -euo pipefail

fail() { echo "deploy-gate: $2" >&2; exit "$1"; }
[ $# -ge 1 ] || fail 12 'usage: deploy-gate.sh "what will happen" [-- command args…]'
action=$1; shift
if [ $# -gt 0 ]; then
  [ "$1" = "--" ] || fail 12 'put the deploy command after --'
  shift
fi
: "${COUNTERSIGN_URL:?set COUNTERSIGN_URL, e.g. http://127.0.0.1:8787}"
: "${COUNTERSIGN_API_KEY:?set COUNTERSIGN_API_KEY to an agent key}"
interval=${POLL_INTERVAL:-5}
limit=${PAUSE_TIMEOUT:-3600}
base=${COUNTERSIGN_URL%/}

# JSON string escaping for the few characters a shell variable may carry.
json_string() { printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | tr '\n\t\r' '   ')"; }
field() { grep -o "\"$1\":\"[^\"]*\"" | head -n 1 | sed -e "s/^\"$1\":\"//" -e 's/"$//'; }

# Sends a request; prints the body; fails with 13 when the server is unreachable or not 2xx.
call() {
  local method=$1 path=$2 body=${3:-} out status
  out=$(mktemp)
  status=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "$base$path" \
    -H "authorization: Bearer $COUNTERSIGN_API_KEY" -H 'content-type: application/json' \
    ${body:+--data "$body"}) || { rm -f "$out"; fail 13 "cannot reach $base"; }
  if [ "${status:0:1}" != 2 ]; then
    echo "deploy-gate: $method $path answered $status: $(cat "$out")" >&2
    rm -f "$out"; exit 13
  fi
  cat "$out"; rm -f "$out"
}

context="{\"commit\":$(json_string "${GITHUB_SHA:-${CI_COMMIT_SHA:-local}}"),\"repository\":$(json_string "${GITHUB_REPOSITORY:-${CI_PROJECT_PATH:-local}}"),\"actor\":$(json_string "${GITHUB_ACTOR:-${USER:-ci}}"),\"command\":$(json_string "$*")}"
[ -n "${DEPLOY_CONTEXT:-}" ] && context=$DEPLOY_CONTEXT
created=$(call POST /api/pause "{\"action\":$(json_string "$action"),\"context\":$context}")
watch=$(printf '%s' "$created" | field watchId)
[ -n "$watch" ] || fail 13 "no watchId in the answer: $created"
echo "Paused for approval: $action"
echo "watchId: $watch (decide in the dashboard at $base/ or: countersign approve $watch)"

started=$(date +%s)
while :; do
  status=$(call GET "/api/pause/$watch" | field status)
  case $status in
    approved) echo "Approved ($watch)"; break ;;
    rejected)
      reason=$(call GET "/api/pause/$watch" | field reason)
      fail 10 "rejected: ${reason:-no reason given}" ;;
    expired) fail 11 "the request expired without a decision; not deploying" ;;
    pending) ;;
    *) fail 13 "unexpected status \"$status\"" ;;
  esac
  if [ $(( $(date +%s) - started )) -ge "$limit" ]; then
    fail 11 "no decision within ${limit}s; not deploying (the request stays open: $watch)"
  fi
  sleep "$interval"
done

[ $# -gt 0 ] || exit 0
exec "$@"
