#!/usr/bin/env bash
# What a serving app ships (issue #22): publishes the API sample and sizes the publish folder by kind, so that a
# change to the package graph can be judged by bytes rather than by the number of project references.
#   scripts/api-closure.sh [publish-folder] [dotnet publish options, e.g. -r linux-x64 --self-contained false]
# The folder defaults to a temporary one, removed afterwards. Prints the managed assemblies with their sizes, then one
# line per kind: managed, native for linux-x64 (libtorch; in runtimes/linux-x64/, or beside the app when published for
# that runtime), native for other platforms (what TorchSharp and SkiaSharp carry along), everything else.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-}
shift || true
if [ -z "$out" ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
dotnet publish samples/Soft.Samples.Api -c Release -o "$out" "$@" >/dev/null

cd "$out"
echo "managed assemblies:"
find . -maxdepth 1 -name '*.dll' -printf '%s %f\n' | sort -k2 | awk '{ printf "  %10d  %s\n", $1, $2 }'
sum() { awk '{ s += $1 } END { print s + 0 }'; }
managed=$(find . -maxdepth 1 -name '*.dll' -printf '%s\n' | sum)
count=$(find . -maxdepth 1 -name '*.dll' | wc -l)
native=$(find . -type f \( -path './runtimes/linux-x64/*' -o -regex '\./[^/]*\.so[^/]*' \) -printf '%s\n' | sum)
foreign=$(find . -type f -path './runtimes/*' -not -path './runtimes/linux-x64/*' -printf '%s\n' | sum)
total=$(find . -type f -printf '%s\n' | sum)
echo "managed: $count assemblies, $managed bytes"
echo "native linux-x64: $native bytes"
echo "native other platforms: $foreign bytes"
echo "other files (pdb, xml, deps.json, apphost, settings): $((total - managed - native - foreign)) bytes"
echo "total: $total bytes"
