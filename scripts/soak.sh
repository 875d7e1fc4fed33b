#!/usr/bin/env bash
# Memory soak (issue #7): trains stories260K with LoRA on LastFM prompts through the real training loop and samples
# resident memory every 50 optimizer steps; fails when RSS after the 100-step warm-up grows by more than the
# tolerance (16 MiB by default), or when the live tensor count changes after it. Arguments go to the benchmark, e.g.
#   scripts/soak.sh                 # 1,000 steps, the run reported in docs/BENCHMARKS.md
#   scripts/soak.sh --steps 200     # the CI configuration
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build -c Release benchmarks/Soft.Benchmarks >/dev/null
dotnet run -c Release --no-build --project benchmarks/Soft.Benchmarks -- soak "$@"
