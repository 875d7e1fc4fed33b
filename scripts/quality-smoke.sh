#!/usr/bin/env bash
# The quality benchmark (issue #6) in its CI configuration (--tiny: tiny scratch model, 48 training and 16 test
# samples, one epoch, both datasets, one seed, alphas 10 and 1, the three base models, two child processes at a time): proves the harness runs every method on both
# datasets end to end and writes a JSON whose numbers are metrics (in [0, 1], HR@K non-decreasing in K). The
# numbers themselves say nothing at this size; docs/BENCHMARKS.md has the real run.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release benchmarks/Soft.Benchmarks >/dev/null
dotnet run -c Release --no-build --project benchmarks/Soft.Benchmarks -- quality --tiny --seeds 1 --alphas 10,1 --jobs 2 \
  --out "$work/runs" --json "$work/quality.json" --doc "$work/BENCHMARKS.md" >"$work/log" 2>&1 || { tail -40 "$work/log"; exit 1; }

python3 - "$work/quality.json" "$work/BENCHMARKS.md" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
expected = {"Guidance-only", "SFT", "SOFT", "SOFT w/o self-adaptation", "SOFT (α=10)", "SOFT soft labels (α=1)", "Popularity", "SASRec",
            "Guidance-only · titles", "SFT · titles", "SOFT · titles", "Guidance-only · stories260K", "SFT · stories260K", "SOFT · stories260K"}
for dataset in ("lastfm", "ml-100k"):
    methods = {r["Method"] for r in summary["Rows"] if r["Dataset"] == dataset}
    missing = expected - methods
    assert not missing, f"{dataset}: no row for {sorted(missing)}"
for row in summary["Rows"]:
    m = row["Metrics"]
    assert all(0 <= v <= 1 for v in m.values()), f"{row['Dataset']} {row['Method']}: a metric outside [0, 1]"
    hr = [m[f"HR@{k}"] for k in (1, 5, 10, 20, 50)]
    assert hr == sorted(hr), f"{row['Dataset']} {row['Method']}: HR@K falls as K grows: {hr}"
assert len(summary["Goals"]) == 4, "one goal check per dataset and language-model evaluator"
compared = {(d["Dataset"], d["Method"]) for d in summary["Differences"]}
for dataset in ("lastfm", "ml-100k"):
    for method in ("SOFT", "SOFT · titles", "SOFT · stories260K"):
        assert (dataset, method) in compared, f"{dataset}: no paired difference for {method}"
doc = open(sys.argv[2]).read()
assert "quality-benchmark:start" in doc and "### lastfm" in doc and "### ml-100k" in doc, "the BENCHMARKS section was not written"
assert "Why (per seed and method" in doc and "D̂ against D" in doc, "the mechanism tables were not written"
print(f"ok: quality harness, {len(summary['Rows'])} rows, wall {summary['WallSeconds']} s")
PY

# The other regimes of issue #20 on the main base model: each writes its own section with its rows and mechanism.
for regime in paper-like born-again; do
  dotnet run -c Release --no-build --project benchmarks/Soft.Benchmarks -- quality --tiny --seeds 1 --alphas 1 --base-models items --jobs 2 \
    --regime "$regime" --out "$work/runs-$regime" --json "$work/$regime.json" --doc "$work/BENCHMARKS.md" >"$work/log-$regime" 2>&1 || { tail -40 "$work/log-$regime"; exit 1; }
  python3 - "$work/$regime.json" "$work/BENCHMARKS.md" "$regime" <<'PY'
import json, sys
summary, doc, regime = json.load(open(sys.argv[1])), open(sys.argv[2]).read(), sys.argv[3]
assert summary["Regime"] == regime, f"the summary is of regime {summary['Regime']}"
for dataset in ("lastfm", "ml-100k"):
    methods = {r["Method"] for r in summary["Rows"] if r["Dataset"] == dataset}
    missing = {"SFT", "SOFT", "SOFT w/o self-adaptation", "SOFT soft labels (α=1)", "SASRec"} - methods
    assert not missing, f"{regime}, {dataset}: no row for {sorted(missing)}"
    assert any(m["Dataset"] == dataset and m["Method"] == "SOFT" for m in summary["Mechanisms"]), f"{regime}, {dataset}: no SOFT mechanism"
assert f"quality-benchmark-{regime}:start" in doc, f"{regime}: the BENCHMARKS section was not written"
assert "quality-benchmark:start" in doc, "another regime's section was overwritten"
print(f"ok: quality harness, {regime} regime, {len(summary['Rows'])} rows")
PY
done

# One summary over run roots of different rows (--runs): born-again seed 2 with the paper's rows alone in another
# root, pooled with seed 1's folder; --summary-only reads the folders as they are and trains nothing, not even the
# variant it is given that no folder holds.
dotnet run -c Release --no-build --project benchmarks/Soft.Benchmarks -- quality --tiny --seeds 2 --alphas 1 --base-models items \
  --regime born-again --variants ablation --out "$work/runs-extra" --json "$work/extra.json" >"$work/log-extra" 2>&1 || { tail -40 "$work/log-extra"; exit 1; }
before=$(cd "$work" && find runs-born-again runs-extra -type f -print0 | sort -z | xargs -0 sha256sum)
dotnet run -c Release --no-build --project benchmarks/Soft.Benchmarks -- quality --tiny --summary-only --seeds 1,2 --alphas 1 --base-models items \
  --regime born-again --variants ablation,soft-labels-half --runs "$work/runs-born-again,$work/runs-extra" \
  --json "$work/pooled.json" --doc "$work/pooled/BENCHMARKS.md" >"$work/log-pooled" 2>&1 || { tail -40 "$work/log-pooled"; exit 1; }
after=$(cd "$work" && find runs-born-again runs-extra -type f -print0 | sort -z | xargs -0 sha256sum)
[ "$before" = "$after" ] || { echo "quality --summary-only changed a run folder"; exit 1; }
python3 - "$work/pooled.json" "$work/pooled/BENCHMARKS.md" <<'PY'
import json, sys
summary, doc = json.load(open(sys.argv[1])), open(sys.argv[2]).read()
seeds = lambda method: sorted(r["Seed"] for r in summary["Rows"] if r["Dataset"] == "lastfm" and r["Method"] == method and r["Evaluator"] in ("exact", "full ranking"))
assert seeds("SFT") == [1, 2] and seeds("SASRec") == [1, 2], f"SFT seeds {seeds('SFT')}, SASRec seeds {seeds('SASRec')}"
assert seeds("SOFT soft labels (α=1)") == [1], f"soft labels: seeds {seeds('SOFT soft labels (α=1)')}, expected seed 1's folder alone"
assert seeds("SOFT soft labels (fixed λ=0.5)") == [], "--summary-only trained a variant no folder held"
pairs = {d["Method"]: d["Pairs"] for d in summary["Differences"] if d["Dataset"] == "lastfm" and d["Evaluator"] == "exact"}
assert pairs["SOFT"] == 2 * pairs["SOFT soft labels (α=1)"], f"pairs: {pairs}"
assert "| SOFT soft labels (α=1) (1 of 2 seeds) |" in doc and "Pooled from the run roots" in doc, "the summary does not say which rows are from fewer runs"
print(f"ok: quality summary over two run roots, pairs {pairs}")
PY
