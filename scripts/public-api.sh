#!/usr/bin/env bash
# Brings each library's PublicAPI.Unshipped.txt in line with its code (issue #22), for when the build fails with
# RS0016 (a public symbol the files do not list) or RS0017 (a listed symbol that is gone or no longer public), as an
# IDE's code fix would. New symbols are appended to PublicAPI.Unshipped.txt; a vanished symbol is deleted from
# Unshipped, or, if it had shipped, marked *REMOVED* there, which is how the analyzer records a break. Review the
# diff: it is the change to what users may call. At a release, move Unshipped's lines into Shipped by hand.
#   scripts/public-api.sh
set -euo pipefail
cd "$(dirname "$0")/.."

libraries=(Soft.Core Soft.Curriculum Soft.Distillation Soft.Metrics)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# An up-to-date project is not compiled again and then reports nothing: touching its PublicAPI files (inputs of the
# compile) forces one compile each, without the rebuild of Soft.Core per library that --no-incremental would cost.
# Warnings stay warnings so that every library compiles and reports, not only the first one that fails.
touch "${libraries[@]/%//PublicAPI.Shipped.txt}"
for library in "${libraries[@]}"; do
  dotnet build "$library/$library.csproj" -c Release -p:TreatWarningsAsErrors=false -nologo -v q \
    -p:ErrorLog="$work/$library.sarif" >/dev/null || true
  [ -s "$work/$library.sarif" ] || { echo "public-api: $library did not compile; see dotnet build $library" >&2; exit 1; }
done

python3 - "$work" "${libraries[@]}" <<'PY'
import json, re, sys
work, libraries = sys.argv[1], sys.argv[2:]
symbol = re.compile(r"Symbol '(.+)' is (?:not part of the declared public API|part of the declared API, but is either not public or could not be found)")
for library in libraries:
    added, removed = set(), set()
    for run in json.load(open(f"{work}/{library}.sarif"))["runs"]:
        for result in run.get("results", []):
            rule = result.get("ruleId")
            if rule not in ("RS0016", "RS0017"):
                continue
            message = result["message"]
            text = message if isinstance(message, str) else message["text"]
            match = symbol.search(text)
            if match is None:
                sys.exit(f"public-api: {library}: cannot read the symbol of {rule}: {text}")
            (added if rule == "RS0016" else removed).add(match.group(1))
    shipped_path, unshipped_path = f"{library}/PublicAPI.Shipped.txt", f"{library}/PublicAPI.Unshipped.txt"
    shipped = set(open(shipped_path).read().splitlines())
    lines = open(unshipped_path).read().splitlines()
    header = [l for l in lines if l.startswith("#")]
    entries = {l for l in lines if l and not l.startswith("#")}
    entries = (entries - removed) | added | {"*REMOVED*" + s for s in removed if s in shipped}
    # Ordinal order, so that two people adding symbols produce the same file.
    open(unshipped_path, "w").write("\n".join(header + sorted(entries, key=lambda l: l.encode())) + "\n")
    print(f"public-api: {library}: {len(added)} added, {len(removed)} removed")
PY
