#!/usr/bin/env bash
# Runs a short lab, checks in headless Chromium that its live dashboard updates, and saves a screenshot of it
# (docs/dashboard.png). The lab always stops when this script ends, whatever the outcome. See --help.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$INFRA_DIR")"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

PORT=""
OUTPUT="$REPO_DIR/docs/dashboard.png"
DURATION="${DURATION:-40}"
TIMEOUT=600
MIN_COMPLETED=1

usage() {
  cat <<EOF
Usage: infra/dashboard-screenshot.sh [OPTIONS]

Starts a short lab in the background (./edgeweave lab --duration \$DURATION), waits until its dashboard
reports a completed prompt, loads the dashboard twice in headless Chromium to check that it polls and that
the lab's state moves between loads, then saves a 1400x1800 screenshot. Stops the lab on exit.

Options:
  --port N        the dashboard's port, passed to the lab as --dashboard-port N (default: the lab's, 8080)
  --output FILE   where the PNG goes (default: docs/dashboard.png)
  --duration S    wall seconds of workload (default: \$DURATION or 40)
  --timeout S     how long to wait for the completed prompts, the lab's build included (default: $TIMEOUT)
  --min-completed N  prompts completed before the pictures are taken (default: $MIN_COMPLETED; the README's
                  screenshot: --duration 60 --min-completed 3000)
  --help          this text

Needs curl and Chromium ($CHROMIUM; on Debian: apt-get install chromium). Exits non-zero, saying
why, when the lab fails, the dashboard does not update, or no screenshot is written.
EOF
}

fail() {
  echo "dashboard-screenshot: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case "$1" in
    --port) [ $# -ge 2 ] || fail "--port needs a value"; PORT="$2"; shift 2 ;;
    --output) [ $# -ge 2 ] || fail "--output needs a value"; OUTPUT="$2"; shift 2 ;;
    --duration) [ $# -ge 2 ] || fail "--duration needs a value"; DURATION="$2"; shift 2 ;;
    --timeout) [ $# -ge 2 ] || fail "--timeout needs a value"; TIMEOUT="$2"; shift 2 ;;
    --min-completed) [ $# -ge 2 ] || fail "--min-completed needs a value"; MIN_COMPLETED="$2"; shift 2 ;;
    --help|-h) usage; exit 0 ;;
    *) usage >&2; fail "unknown option: $1" ;;
  esac
done

for n in "${PORT:-8080}" "$DURATION" "$TIMEOUT" "$MIN_COMPLETED"; do
  [[ "$n" =~ ^[0-9]+$ ]] || fail "not a whole number: $n"
done
[ -x "$CHROMIUM" ] || fail "no Chromium at $CHROMIUM: install it with 'apt-get install chromium' (or set CHROMIUM)"
command -v curl >/dev/null || fail "curl is missing: apt-get install curl"
case "$OUTPUT" in /*) ;; *) OUTPUT="$PWD/$OUTPUT" ;; esac
mkdir -p "$(dirname "$OUTPUT")"

DASHBOARD="http://127.0.0.1:${PORT:-8080}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/edgeweave-dashboard.XXXXXX")"
LAB_LOG="$WORK/lab.log"
LAB_PID=""

stop_lab() {
  if [ -n "$LAB_PID" ] && kill -0 "$LAB_PID" 2>/dev/null; then
    echo "dashboard-screenshot: stopping the lab (pid $LAB_PID)" >&2
    # The lab runs in its own process group (setsid below): its build and JVM go together.
    kill -TERM -- "-$LAB_PID" 2>/dev/null || true
    for _ in $(seq 1 20); do
      kill -0 "$LAB_PID" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL -- "-$LAB_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap stop_lab EXIT
trap 'exit 130' INT TERM

lab_tail() {
  echo "--- last lines of the lab's log ($LAB_LOG) ---" >&2
  tail -n 40 "$LAB_LOG" >&2 || true
  echo "---" >&2
}

# Something already answering on the port would be screenshotted in the lab's place.
if curl -s -o /dev/null --max-time 2 "$DASHBOARD/"; then
  fail "something already answers on $DASHBOARD: stop it or choose another port with --port N"
fi

lab_args=(lab --duration "$DURATION" --out "$WORK/lab")
[ -n "$PORT" ] && lab_args+=(--dashboard-port "$PORT")
echo "dashboard-screenshot: starting ./edgeweave ${lab_args[*]} (log: $LAB_LOG)" >&2
(cd "$REPO_DIR" && exec setsid ./edgeweave "${lab_args[@]}") >"$LAB_LOG" 2>&1 &
LAB_PID=$!

# The "completed" count in the state's progress, or nothing while there is none.
completed() {
  curl -s --max-time 2 "$DASHBOARD/api/state" 2>/dev/null \
    | grep -oE '"completed"[[:space:]]*:[[:space:]]*[0-9]+' | head -n 1 | grep -oE '[0-9]+$' || true
}

echo "dashboard-screenshot: waiting up to ${TIMEOUT}s for $DASHBOARD/api/state to show $MIN_COMPLETED completed prompt(s)" >&2
deadline=$((SECONDS + TIMEOUT))
while :; do
  if ! kill -0 "$LAB_PID" 2>/dev/null; then
    wait "$LAB_PID" && status=0 || status=$?
    lab_tail
    fail "the lab exited (status $status) before its dashboard showed $MIN_COMPLETED completed prompt(s)"
  fi
  n="$(completed)"
  if [ -n "$n" ] && [ "$n" -ge "$MIN_COMPLETED" ] && [ "$n" -gt 0 ]; then
    echo "dashboard-screenshot: $n prompt(s) completed" >&2
    break
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    lab_tail
    fail "fewer than $MIN_COMPLETED completed prompt(s) on $DASHBOARD/api/state after ${TIMEOUT}s"
  fi
  sleep 1
done

# Headless Chromium with what this machine needs: no sandbox (root), no GPU, no network of its own, a fresh
# profile per run. The virtual-time budget lets the page poll a few times before the DOM or the picture is taken.
browser() {
  local profile
  profile="$(mktemp -d "$WORK/chromium.XXXXXX")"
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" \
    --virtual-time-budget=3500 "$@" 2>>"$WORK/chromium.log"
}

# What a loaded page shows: its successful polls (body's data-updates) and the city time it last drew.
dom_updates() { grep -oE 'data-updates="[0-9]+"' "$1" | head -n 1 | grep -oE '[0-9]+' || echo 0; }
dom_city_seconds() {
  grep -oE 'id="city-seconds"[^>]*>[^<]*' "$1" | head -n 1 | sed -E 's/.*>//; s/[^0-9.]//g'
}

check_dom() {
  local dom="$1" label="$2"
  browser --dump-dom "$DASHBOARD/" >"$dom" || { tail -n 20 "$WORK/chromium.log" >&2; fail "Chromium could not load $DASHBOARD/"; }
  local updates city canvases
  updates="$(dom_updates "$dom")"
  city="$(dom_city_seconds "$dom")"
  canvases="$(grep -o '<canvas' "$dom" | wc -l)"
  echo "dashboard-screenshot: $label: ${updates} successful poll(s), city time ${city:-none} s, ${canvases} chart canvas(es)" >&2
  if grep -qE 'id="connection"[^>]*>[^<]' "$dom"; then
    fail "$label: the page shows a problem: $(grep -oE 'id="connection"[^>]*>[^<]*' "$dom" | sed -E 's/.*>//')"
  fi
  [ "$updates" -ge 2 ] || fail "$label: the page polled the lab's state successfully only $updates time(s) in 3.5 s"
  [ "$canvases" -ge 2 ] || fail "$label: the charts did not render (uPlot draws on canvases; found $canvases)"
}

# "Updates" means both: within one load the page keeps polling (data-updates >= 2), and between two loads a few
# seconds apart the lab's city time has moved on (the state is live, not a frozen answer).
check_dom "$WORK/dom1.html" "first load"
city1="$(dom_city_seconds "$WORK/dom1.html")"
sleep 3
check_dom "$WORK/dom2.html" "second load, 3 s later"
city2="$(dom_city_seconds "$WORK/dom2.html")"
if [ -z "$city1" ] || [ -z "$city2" ] || ! awk -v a="$city1" -v b="$city2" 'BEGIN { exit !(b > a) }'; then
  fail "the lab's city time did not advance between the two loads (${city1:-none} s, then ${city2:-none} s)"
fi
echo "dashboard-screenshot: the dashboard updates: city time ${city1} s, then ${city2} s" >&2

rm -f "$OUTPUT"
browser --screenshot="$OUTPUT" --window-size=1400,1800 "$DASHBOARD/" >/dev/null \
  || { tail -n 20 "$WORK/chromium.log" >&2; fail "Chromium could not take the screenshot"; }
if [ ! -s "$OUTPUT" ] || [ "$(head -c 4 "$OUTPUT" | tail -c 3)" != "PNG" ]; then
  fail "no PNG written to $OUTPUT"
fi
echo "dashboard-screenshot: saved $OUTPUT ($(wc -c <"$OUTPUT") bytes)" >&2
echo "$OUTPUT"
