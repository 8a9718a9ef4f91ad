#!/usr/bin/env python3
"""Split the test files into shards of about equal measured time (bin/run-tests.sh runs them).

    bin/test-shards.py split N [--ignore tests/router ...]
        N lines, one per shard: the test files of that shard, in path order (so the slow files
        of all shards do not start together). Each file's time is read from tests/durations.json;
        a file not in it yet counts as the median file.
    bin/test-shards.py record RUN.xml ...
        Refresh tests/durations.json from the JUnit reports of a run (bin/run-tests.sh writes one
        per shard and prints the command): per file, the longer of its passes (SQLite, PostgreSQL);
        files no longer in the tree are dropped.

Whole files are the unit, so a module's fixtures stay in one process. Greedy longest-first into
the shard with the least time so far: within a file's length of the best split.
"""

from __future__ import annotations

import json
import statistics
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
DURATIONS = PROJECT / "tests" / "durations.json"


def test_files(ignore: list[str]) -> list[str]:
    skipped = [(PROJECT / path).resolve() for path in ignore]
    found = []
    for path in sorted((PROJECT / "tests").rglob("test_*.py")):
        if any(path.resolve().is_relative_to(folder) for folder in skipped):
            continue
        found.append(path.relative_to(PROJECT).as_posix())
    return found


def known_durations() -> dict[str, float]:
    return json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}


def split(count: int, ignore: list[str]) -> list[list[str]]:
    files = test_files(ignore)
    known = known_durations()
    default = statistics.median(known.values()) if known else 1.0
    seconds = {path: known.get(path, default) for path in files}
    shards: list[list[str]] = [[] for _ in range(count)]
    totals = [0.0] * count
    for path in sorted(files, key=lambda p: (-seconds[p], p)):
        emptiest = totals.index(min(totals))
        shards[emptiest].append(path)
        totals[emptiest] += seconds[path]
    return [sorted(shard) for shard in shards]


def record(reports: list[str]) -> dict[str, float]:
    per_pass: dict[str, list[float]] = {}
    for report in reports:
        files: dict[str, float] = {}
        for case in ET.parse(report).iter("testcase"):
            module = case.get("classname", "")
            # "tests.security.test_logs" or "tests.security.test_logs.TestClass"
            parts = module.split(".")
            while parts and not (PROJECT / Path(*parts).with_suffix(".py")).exists():
                parts.pop()
            if not parts:
                continue
            path = Path(*parts).with_suffix(".py").as_posix()
            files[path] = files.get(path, 0.0) + float(case.get("time") or 0)
        for path, seconds in files.items():
            per_pass.setdefault(path, []).append(seconds)
    durations = known_durations()
    durations.update({path: round(max(times), 1) for path, times in per_pass.items()})
    present = set(test_files([]))
    durations = {path: seconds for path, seconds in sorted(durations.items()) if path in present}
    DURATIONS.write_text(json.dumps(durations, indent=1) + "\n")
    return durations


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "split":
        ignore = [argv[i + 1] for i, arg in enumerate(argv) if arg == "--ignore" and i + 1 < len(argv)]
        for shard in split(int(argv[1]), ignore):
            print(" ".join(shard))
        return 0
    if len(argv) >= 2 and argv[0] == "record":
        durations = record(argv[1:])
        print(f"{DURATIONS.relative_to(PROJECT)}: {len(durations)} files, {sum(durations.values()):.0f} s")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
