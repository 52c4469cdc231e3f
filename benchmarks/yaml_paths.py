"""The two YAML paths on one data folder: libyaml's and the fast path (rapidyaml, libyaml where unsure).

Usage: python benchmarks/yaml_paths.py DATA_FOLDER [ROUNDS]

Each round reads every ``*.yaml`` file of the folder from bytes to the node tree build/load.py
consumes, with every check, once by each path (alternating, in the same run); the medians and
their ratio are printed, and how many files the fast path read itself. Figures only, no verdict.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from edugraph.build import yamlfast, yamlread


def read_all(files: list[tuple[bytes, str]], engine: yamlread.Engine) -> float:
    """Seconds to read every file, decoding included, by one engine."""
    start = time.perf_counter()
    for data, name in files:
        yamlread.parse_text(data.decode("utf-8"), name, engine=engine, data=data)
    return time.perf_counter() - start


def main(argv: list[str]) -> None:
    folder = Path(argv[0])
    rounds = int(argv[1]) if len(argv) > 1 else 3
    files = [(path.read_bytes(), str(path)) for path in sorted(folder.rglob("*.yaml"))]
    fast_read = sum(yamlfast.parse(data, data.decode("utf-8")) is not yamlfast.UNSURE for data, _ in files)
    slow, fast = [], []
    for _ in range(rounds):
        slow.append(read_all(files, "libyaml"))
        fast.append(read_all(files, "auto"))
    size = sum(len(data) for data, _ in files)
    print(f"{folder}: {len(files)} files, {size / 1e6:.1f} MB, {fast_read} read by the fast path itself")
    print(f"libyaml path  {statistics.median(slow):.3f} s  (rounds: {', '.join(f'{t:.3f}' for t in slow)})")
    print(f"fast path     {statistics.median(fast):.3f} s  (rounds: {', '.join(f'{t:.3f}' for t in fast)})")
    print(f"ratio         {statistics.median(slow) / statistics.median(fast):.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
