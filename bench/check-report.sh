#!/usr/bin/env bash
# Checks a run report in a real headless browser (Debian's Chromium): the page renders and every chart draws.
#   bench/check-report.sh [REPORT.html]      (default: .pipelines/report.html; run a pipeline first)
# Installs chromium with apt-get when missing. Prints the number of charts declared and drawn; exit 1 if any is missing.
set -euo pipefail
report="${1:-.pipelines/report.html}"
[ -f "$report" ] || { echo "no report at $report: run a pipeline first (dotnet run --project src/Cli -- run pipelines/quickstart.yaml)" >&2; exit 2; }
if ! command -v chromium >/dev/null; then
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
profile=$(mktemp -d)
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile" --virtual-time-budget=10000)
url="file://$(realpath "$report")"
# Reports built with Core's HtmlReport mark each chart with <div class="chart">; others must draw at least one.
declared=$( (grep -o '<div class="chart"' "$report" || true) | wc -l)
[ "$declared" -gt 0 ] || declared=1
# --dump-dom prints the DOM after the scripts ran: Plotly adds one "plot-container" per drawn chart.
drawn=$( (chromium "${flags[@]}" --dump-dom "$url" 2>/dev/null | grep -o 'class="plot-container plotly"' || true) | wc -l)
chromium "${flags[@]}" --window-size=1280,1800 --screenshot="${report%.html}.png" "$url" >/dev/null 2>&1 || true
rm -rf "$profile"
echo "charts declared: $declared, drawn: $drawn, screenshot: ${report%.html}.png"
[ "$declared" -gt 0 ] && [ "$drawn" -ge "$declared" ]
