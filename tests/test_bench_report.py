"""`make bench` writes its figures into BENCHMARKS.md without losing what is written there by
hand: the summary and analysis above `# The run`, notes beside a section's figures, and the
sections of benchmarks not run this time (bench/run_all.py)."""

from __future__ import annotations

from bench.run_all import merge

EXISTING = """# Benchmarks

Written by `make bench` (`python bench/run_all.py`) on 2026-11-01 10:00 UTC.

## Summary against the targets

| what | target | measured |
|---|---|---|
| router latency | p99 < 20 ms | p99 2.5 ms (kept by hand) |

# The run

## routing

router latency per complaint in the worker

`python bench/routing.py` (3 s)

```
p50=0.44ms p99=2.55ms
## not a heading: output
```

A note on an earlier run, by hand.

## flood_day

Hand-run only.

```
0 lost
```
"""
HEADER = "# Benchmarks\n\nWritten by `make bench` (`python bench/run_all.py`) on 2026-11-30 12:00 UTC.\n\n"


def test_a_run_replaces_only_its_own_figures():
    figures = "`python bench/routing.py` (2 s, 2026-11-30)\n\n```\np50=0.30ms p99=1.10ms\n```\n"
    merged = merge(EXISTING, {"routing": ("## routing\n\nnew\n\n" + figures, figures)}, HEADER)
    assert "on 2026-11-30 12:00 UTC" in merged and "2026-11-01" not in merged
    assert "p99 2.5 ms (kept by hand)" in merged  # the summary
    assert "p50=0.30ms p99=1.10ms" in merged and "p50=0.44ms" not in merged
    assert "## not a heading" not in merged  # the old output went with its figures
    assert "A note on an earlier run, by hand." in merged
    assert merged.index("## routing") < merged.index("## flood_day")  # the file's order
    assert "Hand-run only.\n\n```\n0 lost\n```" in merged


def test_a_new_benchmark_and_a_fresh_file_get_whole_sections():
    figures = "`python bench/new.py` (1 s, 2026-11-30)\n\n```\nok\n```\n"
    section = "## new\n\nwhat it shows\n\n" + figures
    merged = merge(EXISTING, {"new": (section, figures)}, HEADER)
    assert merged.rstrip().endswith(section.rstrip()) and "A note on an earlier run" in merged
    fresh = merge("", {"new": (section, figures)}, HEADER)
    assert fresh.startswith(HEADER.rstrip()) and "# The run\n\n## new" in fresh
