#!/usr/bin/env bash
# Consumer check (issue #11): the README's code, taken from README.md itself, compiled in fresh console apps against
# the packed Soft packages (not project references) and the CPU backend the README names, then run in a tiny
# configuration; plus an app that calls torch.* before any Soft type, which must still load the native library
# (Soft.Core's buildTransitive module initializer). Usage: scripts/readme-check.sh PACKAGE_DIR VERSION
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
packages=$(cd "$1" && pwd)
version=$2
backend_version=$(sed -n 's/.*Include="libtorch-cpu-linux-x64" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)
model="$repo/samples/Soft.Samples.Quickstart/models/stories260K"
work=$(mktemp -d /tmp/soft-consumer.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "readme-check: $1" >&2; exit 1; }
[ -n "$backend_version" ] || fail "no libtorch-cpu-linux-x64 version in Directory.Packages.props"

# The packed Soft packages come from PACKAGE_DIR only; everything else from the usual source. Restoring into a
# folder of this run (with the user cache as a read-only fallback, so libtorch is not copied again) means a Soft
# package of the same version left in the cache by an earlier run can never be used instead of this build's.
cache=$(dotnet nuget locals global-packages -l | sed 's/^global-packages: //')
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
  <packageSources>
    <clear />
    <add key="soft-packed" value="$packages" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="soft-packed"><package pattern="Soft.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
  <fallbackPackageFolders><add key="user-cache" value="$cache" /></fallbackPackageFolders>
</configuration>
XML

# app NAME PACKAGES...: a fresh console project (outside the repository, so no Directory.*.props apply).
app() {
  local name=$1; shift
  mkdir -p "$work/$name"
  {
    echo '<Project Sdk="Microsoft.NET.Sdk">'
    echo '  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable><TreatWarningsAsErrors>true</TreatWarningsAsErrors></PropertyGroup>'
    echo '  <ItemGroup>'
    for id in "$@"; do echo "    <PackageReference Include=\"$id\" Version=\"$version\" />"; done
    echo "    <PackageReference Include=\"libtorch-cpu-linux-x64\" Version=\"$backend_version\" />"
    echo '  </ItemGroup>'
    echo '</Project>'
  } > "$work/$name/$name.csproj"
}

# snippet MARKER: the csharp block right after <!-- ci:MARKER --> in README.md.
snippet() {
  awk -v marker="<!-- ci:$1 -->" '
    $0 == marker { armed = 1; next }
    armed == 1 { if ($0 != "```csharp") exit 1; armed = 2; next }
    armed == 2 { if ($0 == "```") { found = 1; exit } print }
    END { if (!found) exit 1 }' README.md || fail "README.md has no csharp block after <!-- ci:$1 -->"
}

# tiny FILE FROM TO: one exact, literal substitution that must match exactly once, so the README and this check
# cannot drift apart silently (a changed line fails here with its text).
tiny() {
  python3 - "$1" "$2" "$3" <<'PY' || fail "substitution for the tiny run not found exactly once in $1: $2"
import sys
path, old, new = sys.argv[1:]
text = open(path).read()
if text.count(old) != 1:
    sys.exit(1)
open(path, "w").write(text.replace(old, new))
PY
}

build() { dotnet build "$work/$1" -c Release -nologo -v q --configfile "$work/nuget.config" "${@:2}" >"$work/$1.build.log" 2>&1 || { cat "$work/$1.build.log"; fail "$1 does not build"; }; }

all=(Soft.Core Soft.Curriculum Soft.Distillation Soft.Metrics)
tiny_run='.Configure(o => { o.EvaluateBaseModel = false; o.ValidationSamples = 4; o.DistanceSamples = 4; o.Sft.MaxEpochs = o.Soft.MaxEpochs = 1; })'

# 1. The "Use it in your code" snippet.
app readme-snippet "${all[@]}"
snippet readme-snippet > "$work/readme-snippet/Program.cs"
tiny "$work/readme-snippet/Program.cs" '"path/to/hf-model"' "\"$model\""
tiny "$work/readme-snippet/Program.cs" 'TrainSubset = 4096, ValidSubset = 512, TestSubset = 1000' 'TrainSubset = 16, ValidSubset = 8, TestSubset = 8'
tiny "$work/readme-snippet/Program.cs" '.Configure(o => { o.Seed = 42; o.Threads = 2; })' ".Configure(o => { o.Seed = 42; o.Threads = 2; })$tiny_run"
tiny "$work/readme-snippet/Program.cs" '"runs/my-run"' "\"$work/run-readme\""
build readme-snippet
out=$(cd "$work" && dotnet readme-snippet/bin/Release/net10.0/readme-snippet.dll 2>&1) || { echo "$out"; fail "the README snippet failed to run"; }
grep -q '^SOFT ([a-z-]*): HR@10 ' <<<"$out" || { echo "$out"; fail "the README snippet printed no SOFT result"; }
echo "readme-check: README snippet compiled and ran: $(grep '^SOFT (' <<<"$out")"

# 2. The custom-scheduler example.
app custom-scheduler "${all[@]}"
snippet custom-scheduler > "$work/custom-scheduler/Program.cs"
tiny "$work/custom-scheduler/Program.cs" '"path/to/hf-model"' "\"$model\""
tiny "$work/custom-scheduler/Program.cs" 'TrainSubset = 256, ValidSubset = 64, TestSubset = 100' 'TrainSubset = 16, ValidSubset = 8, TestSubset = 8'
tiny "$work/custom-scheduler/Program.cs" '.Configure(o => o.Threads = 2)' ".Configure(o => o.Threads = 2)${tiny_run/o.Sft.MaxEpochs = o.Soft.MaxEpochs = 1/o.Sft.MaxEpochs = 1; o.Soft.MaxEpochs = 2}"
tiny "$work/custom-scheduler/Program.cs" '"runs/custom-scheduler"' "\"$work/run-scheduler\""
build custom-scheduler
out=$(cd "$work" && dotnet custom-scheduler/bin/Release/net10.0/custom-scheduler.dll 2>&1) || { echo "$out"; fail "the custom-scheduler example failed to run"; }
[ "$(grep -c '^epoch [0-9]*: lambda ' <<<"$out")" -eq 2 ] || { echo "$out"; fail "the custom-scheduler example did not print a lambda per SOFT epoch"; }
grep -q '^epoch 1: lambda 1.000$' <<<"$out" || { echo "$out"; fail "HalveOnPlateau must start at lambda 1"; }
echo "readme-check: custom-scheduler example compiled and ran: $(tr '\n' ' ' <<<"$(grep '^epoch ' <<<"$out")")"

# 3. torch.* before any Soft type: the package's module initializer must patch the native library first.
app torch-first Soft.Core
cat > "$work/torch-first/Program.cs" <<'CS'
using TorchSharp;

// No Soft type is named anywhere in this program: only the Soft.Core package's buildTransitive initializer runs.
using var x = torch.ones(3);
Console.WriteLine($"torch-first: sum {x.sum().item<float>()}");
CS
build torch-first
out=$(cd "$work" && dotnet torch-first/bin/Release/net10.0/torch-first.dll 2>&1) || { echo "$out"; fail "an app calling torch.* before any Soft type does not load the native library"; }
[ "$out" = "torch-first: sum 3" ] || { echo "$out"; fail "torch-first printed something else"; }
# On a host that lacks GCC 13's libstdc++ the same app without the initializer must fail, or the check above proves nothing.
# awk reads to the end: an early exit can close the pipe while ldconfig still writes, and with pipefail the SIGPIPE
# ends this script silently on a busy host.
libstdcxx=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ && !found { found = $NF } END { print found }')
if [ -n "$libstdcxx" ] && ! grep -q GLIBCXX_3.4.32 "$libstdcxx"; then
  build torch-first -p:SoftNativeLibraryInitializer=false -o "$work/torch-first-off"
  # The subshell's exit status is printed, not waited on here, so the shell does not report the expected abort.
  if [ "$( (cd "$work" && dotnet torch-first-off/torch-first.dll >/dev/null 2>&1; echo $?) 2>/dev/null)" -eq 0 ]; then
    fail "without the initializer the app still loaded the native library on a host lacking GLIBCXX_3.4.32: the check is void"
  fi
  echo "readme-check: torch-first ran with the package's initializer and failed without it (host lacks GLIBCXX_3.4.32)"
else
  echo "readme-check: torch-first ran (host libstdc++ provides GLIBCXX_3.4.32, so there was nothing to patch)"
fi
