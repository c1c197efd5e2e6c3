#!/usr/bin/env bash
# Checks report pages in a real headless browser (Debian's Chromium): each page renders and every chart draws.
#   bench/check-report.sh [PAGE.html...]
# Default: .pipelines/report.html (run a pipeline first), .pipelines/plots/diff.html when it exists
# (`pipelines plots diff`), and every stage's report under .pipelines/out/ (validate, dedup, bias, synthesize, tune,
# eval). Installs chromium with apt-get when missing. Prints, per page, the charts declared, drawn
# and holding data; exit 1 if any page misses one.
set -euo pipefail
pages=("$@")
if [ "${#pages[@]}" -eq 0 ]; then
  pages=(.pipelines/report.html)
  [ -f .pipelines/plots/diff.html ] && pages+=(.pipelines/plots/diff.html)
  if [ -d .pipelines/out ]; then
    while IFS= read -r page; do pages+=("$page"); done < <(find .pipelines/out -name report.html | sort)
  fi
fi
for page in "${pages[@]}"; do
  [ -f "$page" ] || { echo "no page at $page: run a pipeline first (dotnet run --project src/Cli -- run pipelines/quickstart.yaml)" >&2; exit 2; }
done
if ! command -v chromium >/dev/null; then
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile" --virtual-time-budget=10000)
failed=0
for page in "${pages[@]}"; do
  url="file://$(realpath "$page")"
  # Pages built with Core's HtmlReport mark each chart with <div class="chart">; other pages that call Plotly must draw
  # at least one, and a page with no chart at all (a validate report whose rules all hold) must simply render.
  declared=$( (grep -o '<div class="chart"' "$page" || true) | wc -l)
  if [ "$declared" -eq 0 ] && grep -q 'Plotly\.' "$page"; then declared=1; fi
  dom=$(chromium "${flags[@]}" --dump-dom "$url" 2>/dev/null || true)
  # --dump-dom prints the DOM after the scripts ran: Plotly adds one "plot-container" per drawn chart, and one
  # "trace" group per series it drew, so a chart that drew axes but no data (an empty series) is caught too.
  drawn=$( (grep -o 'class="plot-container plotly"' <<<"$dom" || true) | wc -l)
  # Heatmaps (<g class="hm">) and parallel coordinates (class="parcoords") draw their data without a trace group.
  traced=$( (grep -o 'class="plot-container plotly"\|<g class="trace \|<g class="hm"\|class="parcoords"' <<<"$dom" || true) |
    awk '/plot-container/ { chart++; next } chart && !seen[chart]++ { n++ } END { print n + 0 }')
  chromium "${flags[@]}" --window-size=1280,1800 --screenshot="${page%.html}.png" "$url" >/dev/null 2>&1 || true
  echo "$page: charts declared: $declared, drawn: $drawn, with data: $traced, screenshot: ${page%.html}.png"
  { [ "$drawn" -ge "$declared" ] && [ "$traced" -ge "$declared" ]; } || failed=1
done
exit "$failed"
