#!/usr/bin/env bash
# Memory soak (issue #7): trains stories260K with LoRA on LastFM prompts through the real training loop and samples
# resident memory every 50 optimizer steps (--every); after the 200-step warm-up (--warmup) it fails when the highest
# RSS of the second half exceeds the highest of the first half by more than the tolerance (16 MiB, --tolerance-mib),
# or when the live tensor count changes. Arguments go to the benchmark, e.g.
#   scripts/soak.sh                           # 1,000 steps, the run reported in docs/BENCHMARKS.md
#   scripts/soak.sh --steps 400 --every 25    # the CI configuration
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build -c Release benchmarks/Soft.Benchmarks >/dev/null
dotnet run -c Release --no-build --project benchmarks/Soft.Benchmarks -- soak "$@"
