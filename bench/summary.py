"""Summarizes criterion's results of benches/pipeline.rs as the tables of
BENCHMARKS.md: time per stage for each input, whole-pipeline throughput,
pipeline / parse, and the growth from 5,000 to 10,000 pools.

    python3 bench/summary.py target/criterion
"""

import json
import sys
from pathlib import Path

STAGES = ["parse", "check", "lower", "emit", "pipeline"]


def load(root: Path):
    results = {}  # (stage, input) -> (mean ns, bytes)
    for stage in STAGES:
        for bench in (root / stage).glob("*/new/benchmark.json"):
            meta = json.loads(bench.read_text())
            if meta.get("group_id") != stage or not (meta.get("throughput") or {}).get("Bytes"):
                continue
            estimates = json.loads((bench.parent / "estimates.json").read_text())
            mean = estimates["mean"]["point_estimate"]
            size = (meta.get("throughput") or {}).get("Bytes")
            results[(stage, meta["function_id"])] = (mean, size)
    return results


def duration(ns: float) -> str:
    if ns >= 1e9:
        return f"{ns / 1e9:.2f} s"
    if ns >= 1e6:
        return f"{ns / 1e6:.1f} ms"
    return f"{ns / 1e3:.0f} µs"


def order(name: str):
    if name.startswith("pools-"):
        return (1, int(name.split("-")[1]))
    return (0, name)


def main() -> None:
    results = load(Path(sys.argv[1]))
    inputs = sorted({name for (_, name) in results}, key=order)
    print("| input | bytes | parse | check | lower | emit | pipeline | MB/s | pipeline / parse |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in inputs:
        row = [name]
        size = next((s for (st, n), (_, s) in results.items() if n == name and s), None)
        row.append(f"{size:,}" if size else "")
        for stage in STAGES:
            mean = results.get((stage, name), (None, None))[0]
            row.append(duration(mean) if mean else "")
        pipeline = results.get(("pipeline", name), (None, None))[0]
        parse = results.get(("parse", name), (None, None))[0]
        row.append(f"{size / (pipeline / 1e9) / 1e6:.1f}" if pipeline and size else "")
        row.append(f"{pipeline / parse:.2f}" if pipeline and parse else "")
        print("| " + " | ".join(row) + " |")
    print()
    for stage in STAGES:
        a = results.get((stage, "pools-5000"))
        b = results.get((stage, "pools-10000"))
        if a and b:
            print(
                f"- {stage}: pools-5000 → pools-10000 (×{b[1] / a[1]:.2f} bytes): "
                f"×{b[0] / a[0]:.2f} time"
            )
    for stage in STAGES:
        a = results.get((stage, "pools-1000"))
        b = results.get((stage, "pools-10000"))
        if a and b:
            per_doubling = (b[0] / a[0]) ** (1 / 3.3219)  # log2(10)
            print(f"- {stage}: pools-1000 → pools-10000: ×{b[0] / a[0]:.1f} time, ×{per_doubling:.2f} per doubling")


if __name__ == "__main__":
    main()
