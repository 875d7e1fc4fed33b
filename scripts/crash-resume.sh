#!/usr/bin/env bash
# Kills the quickstart with SIGKILL during SFT, during distillation and during SOFT training, runs the same command
# again each time, and checks that the resumed run's report.json has exactly the metrics and training of an
# uninterrupted run with the same seed (issue #7). Small configuration so that it fits in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build -c Release samples/Soft.Samples.Quickstart >/dev/null
app=samples/Soft.Samples.Quickstart/bin/Release/net10.0/Soft.Samples.Quickstart
args=(--threads 2 --model stories260K --train-samples 64 --test-samples 32 --seed 7)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

numbers() {  # the report's method metrics and training (λ, d, losses; not wall-clock seconds) and D̂'s diagnostics, canonical JSON
  python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
clock = {"seconds", "trainSeconds"}
training = {m: {**t, "epochRecords": [{k: v for k, v in e.items() if k not in clock} for e in t["epochRecords"]]} for m, t in r["training"].items()}
print(json.dumps({"results": r["results"], "training": training, "distillation": r.get("distillation")}, sort_keys=True))' "$1"
}

"$app" "${args[@]}" --out "$work/reference" >"$work/reference.log" 2>&1
expected=$(numbers "$work/reference/report.json")

# Each kill waits for a file that only exists once the run is inside the stage: the progress display redraws at
# intervals, so a short epoch may never show in the log, but the artifacts are always written.
for stage in sft distill soft; do
  dir="$work/killed-$stage"
  case $stage in
    sft | soft) marker="$dir/$stage/epoch-1/trainer_state.json" ;;  # epoch 1 finished: epoch 2 is running
    distill) marker="$dir/distilled.partial.jsonl" ;;               # the first answers are in, the rest are not
  esac
  "$app" "${args[@]}" --out "$dir" >"$dir.log" 2>&1 &
  pid=$!
  until [ -f "$marker" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "FAIL: the run ended before reaching $stage ($marker)"; exit 1; }
    sleep 0.05
  done
  kill -9 "$pid"
  wait "$pid" 2>/dev/null || true
  [ ! -f "$dir/report.json" ] || { echo "FAIL: a report exists although the run was killed during '$stage'"; exit 1; }
  "$app" "${args[@]}" --out "$dir" >"$dir.resume.log" 2>&1
  actual=$(numbers "$dir/report.json")
  if [ "$actual" != "$expected" ]; then
    echo "FAIL: killed during '$stage', the resumed report differs from the uninterrupted one"
    diff <(echo "$expected" | tr ',' '\n') <(echo "$actual" | tr ',' '\n') || true
    exit 1
  fi
  echo "ok: killed during '$stage' (SIGKILL), resumed, same numbers"
done
