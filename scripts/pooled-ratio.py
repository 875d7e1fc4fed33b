#!/usr/bin/env python3
"""One method's exact NDCG@10 against SFT, pooled over run folders of different seeds (issue #20).

The quality benchmark's summary pools seeds only over folders of one configuration. This pools any run folders that
share a test split and a method: each test sample of each folder is one pair (SFT, METHOD), and the ratio of the
means gets a paired bootstrap interval (2,000 resamples, 95 %): the benchmark table's statistic, with its own random
resamples, so an interval can differ from the table's in the last digit.

Usage: python3 scripts/pooled-ratio.py METHOD RUN_FOLDER...   (METHOD as in predictions/, e.g. SOFT)
Needs only the standard library.
"""
import json
import math
import random
import sys


def ndcg_at_10(path, folder):
    values = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            rank = row.get("rank")
            values[(folder, row["sampleIndex"])] = 1 / math.log2(rank + 2) if rank is not None and rank < 10 else 0.0
    return values


def main(method, folders):
    sft, other = {}, {}
    for folder in folders:
        sft.update(ndcg_at_10(f"{folder}/predictions/SFT-exact-test.jsonl", folder))
        other.update(ndcg_at_10(f"{folder}/predictions/{method}-exact-test.jsonl", folder))
    keys = sorted(set(sft) & set(other), key=str)
    if not keys:
        sys.exit(f"no test sample is in both SFT's and {method}'s predictions of {', '.join(folders)}")
    a = [sft[k] for k in keys]
    b = [other[k] for k in keys]
    rng = random.Random(1)
    ratios = []
    for _ in range(2000):
        picks = [rng.randrange(len(keys)) for _ in keys]
        ratios.append(sum(b[i] for i in picks) / sum(a[i] for i in picks))
    ratios.sort()
    print(f"{method}: {len(keys)} pairs, SFT {sum(a) / len(a):.4f}, {method} {sum(b) / len(b):.4f}, "
          f"ratio {sum(b) / sum(a):.3f} [{ratios[49]:.3f}, {ratios[1949]:.3f}]")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
