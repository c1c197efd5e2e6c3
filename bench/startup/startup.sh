#!/usr/bin/env bash
# Issue 17, start-up rows: a bare `pipelines --version` against a `dotnet` hello-world console app, and a cached
# rerun of a 50-stage pipeline through the CLI against `pipelines --version`; interleaved hello, version, rerun,
# hello, ... for ROUNDS rounds (default 7), medians, ratios, and the load average beside each round.
# Usage: bench/startup/startup.sh [ROUNDS] [CLI]   (CLI default: the Release build's apphost)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-7}"
repo="$PWD"
work="$(mktemp -d /tmp/pipelines-startup.XXXX)"
trap 'rm -rf "$work"' EXIT
if [ -z "${2:-}" ]; then dotnet build src/Cli/Cli.csproj -c Release -v q -nologo >/dev/null; fi
cli="${2:-$repo/src/Cli/bin/Release/net10.0/linux-x64/pipelines}"

# The reference: the smallest console app the SDK makes, built Release, started the way our CLI is (its apphost).
mkdir -p "$work/hello"
cat >"$work/hello/hello.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImportDirectoryBuildProps>false</ImportDirectoryBuildProps></PropertyGroup>
</Project>
XML
echo 'System.Console.WriteLine("hello");' >"$work/hello/Program.cs"
(cd "$work/hello" && dotnet build -c Release -v q -nologo -o out >/dev/null)
hello="$work/hello/out/hello"

# 50 stages: a chain of templates over one small table, each reading the previous stage's output.
ws="$work/ws"; mkdir -p "$ws"
printf 'id,name\n' >"$ws/people.csv"; for i in $(seq 1 200); do printf '%d,person %d\n' "$i" "$i" >>"$ws/people.csv"; done
{
  echo "name: fifty"; echo "stages:"
  echo "  s0:"; echo "    uses: ingest"; echo "    inputs: {source: people.csv}"
  for i in $(seq 1 49); do
    echo "  s$i:"; echo "    uses: template"; echo "    inputs: {table: s$((i - 1)).table}"; echo "    with: {template: \"{name} $i\", column: t$i}"
  done
} >"$ws/fifty.yaml"
(cd "$ws" && "$cli" run fifty.yaml --no-color >/dev/null)
(cd "$ws" && "$cli" run fifty.yaml --no-color | grep -q "0 ran, 50 restored") || { echo "the rerun is not a no-op" >&2; exit 1; }

now() { date +%s.%N; }
declare -a h v r
for round in $(seq "$rounds"); do
  t=$(now); "$hello" >/dev/null; h+=("$(echo "$(now) - $t" | bc)")
  t=$(now); "$cli" --version >/dev/null; v+=("$(echo "$(now) - $t" | bc)")
  t=$(now); (cd "$ws" && "$cli" run fifty.yaml --no-color >/dev/null); r+=("$(echo "$(now) - $t" | bc)")
  echo "round $round: hello ${h[-1]}s, --version ${v[-1]}s, cached 50-stage rerun ${r[-1]}s; load $(cut -d' ' -f1-3 /proc/loadavg)"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mh=$(median "${h[@]}"); mv=$(median "${v[@]}"); mr=$(median "${r[@]}")
printf 'median: hello %.3fs, --version %.3fs, rerun %.3fs\n' "$mh" "$mv" "$mr"
printf 'ratio: --version / hello = %.2f (target <= 1.5); cached 50-stage rerun / --version = %.2f (target <= 1.5); load %s; cli %s\n' \
  "$(echo "$mv / $mh" | bc -l)" "$(echo "$mr / $mv" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$cli"
