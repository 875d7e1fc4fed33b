#!/usr/bin/env python3
"""Is the curriculum's distance d graded? (issue #20)

For one method of a finished run, each test sample's grounded answer (the nearest item to the top beam, i.e. the
answered item) is compared with the true item in the run's item table (items.safetensors), and that distance is set
against the true item's rank under the exact evaluator. A graded d grows with the rank: near misses land nearer than
far misses. A d that only says right or wrong is flat past rank 0.

Usage: python3 scripts/d-check.py RUN_FOLDER [METHOD]   (METHOD as in predictions/, default SFT)
Needs only the standard library.
"""
import json
import math
import struct
import sys


def item_table(path):
    with open(path, "rb") as f:
        header = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))
        tensor = header["items"]
        rows, width = tensor["shape"]
        start, end = tensor["data_offsets"]
        data = f.read()[start:end]
    values = struct.unpack(f"<{rows * width}f", data)
    return header.get("__metadata__", {}).get("vectors", "Title"), [values[i * width:(i + 1) * width] for i in range(rows)]


def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0] * len(values)
    for position, i in enumerate(order):
        result[i] = position
    return result


def spearman(x, y):
    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    return cov / math.sqrt(sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry))


def main():
    run = sys.argv[1]
    method = sys.argv[2] if len(sys.argv) > 2 else "SFT"
    vectors, rows = item_table(f"{run}/items.safetensors")
    grounded = [json.loads(line) for line in open(f"{run}/predictions/{method}-grounding-test.jsonl")]
    exact = {p["sampleIndex"]: p for p in (json.loads(line) for line in open(f"{run}/predictions/{method}-exact-test.jsonl"))}
    pairs, empty = [], 0
    for p in grounded:
        if not p["topItems"]:
            empty += 1  # an empty answer names no item
            continue
        answer, target = p["topItems"][0], p["target"]
        distance = math.dist(rows[answer], rows[target])
        rank = exact[p["sampleIndex"]]["rank"]
        pairs.append((rank if rank is not None else math.inf, distance))
    print(f"{run}, {method}: item vectors {vectors}; {len(pairs)} answered test samples, {empty} empty answers")
    for low, high in [(0, 1), (1, 10), (10, 100), (100, math.inf)]:
        ds = [d for r, d in pairs if low <= r < high]
        if ds:
            print(f"  true item's exact rank in [{low}, {high}): {len(ds):4d} samples, mean d(answer, true item) {sum(ds) / len(ds):.3f}")
    print(f"  Spearman(exact rank, d) = {spearman([r for r, _ in pairs], [d for _, d in pairs]):.3f}")


if __name__ == "__main__":
    main()
