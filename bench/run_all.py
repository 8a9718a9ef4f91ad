"""`make bench`: run every benchmark and write BENCHMARKS.md (machine, date, commands, figures).

Each benchmark is a script that prints its figures; this file records exactly what they printed.
`--only NAME` runs a subset; `--quick` passes each script its short-run flags (a smoke run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from bench.common import machine

# (name, script arguments, quick-run arguments, what it shows)
BENCHMARKS = [
    (
        "intake",
        ["bench/intake.py"],
        ["--requests", "300"],
        "web form intake: complaints/s and latency, `make run` setup and production setup",
    ),
    (
        "floor",
        ["bench/floor.py"],
        ["--requests", "300"],
        "Aduan vs a minimal Flask app doing one INSERT + one enqueue (same services)",
    ),
    ("routing", ["bench/routing.py"], [], "router latency per complaint in the worker"),
    (
        "triage_with_pick",
        ["bench/triage_with_pick.py"],
        [],
        "share of dev.csv sent to triage, today and when the citizen picks from the offered categories",
    ),
    (
        "end_to_end",
        ["bench/end_to_end.py"],
        ["--seconds", "10"],
        "webhook accepted → ticket.routed seen on /wall at 50 complaints/s (the target rate)",
    ),
    (
        "end_to_end_40",
        ["bench/end_to_end.py", "--rate", "40"],
        ["--seconds", "10"],
        "the same at 40 complaints/s: where this 2-core machine tips over within the minute",
    ),
    (
        "end_to_end_30",
        ["bench/end_to_end.py", "--rate", "30"],
        ["--seconds", "10"],
        "the same at 30 complaints/s, which this machine sustains with every citizen message sent",
    ),
    (
        "flood",
        ["bench/flood.py"],
        ["--messages", "1000"],
        "flood day: WhatsApp webhooks with redeliveries, backlog drain, exactly-once",
    ),
    (
        "wall_fanout",
        ["bench/wall_fanout.py"],
        ["--clients", "50", "--duration", "10"],
        "500 /wall clients, 20 tickets/s for 60 s: delivery latency and lost events",
    ),
    (
        "wall_fanout_5",
        ["bench/wall_fanout.py", "--rate", "5"],
        ["--clients", "50", "--duration", "10"],
        "500 /wall clients at 5 tickets/s: what this 2-core machine sustains with its own clients",
    ),
    (
        "officer_queue",
        ["bench/officer_queue.py"],
        ["--tickets", "100000"],
        "1,000,000 tickets in PostgreSQL: officer queue pages, search, stats",
    ),
    (
        "province",
        ["bench/province.py"],
        ["--tickets", "200000", "--repeat", "100"],
        "a province of 38 cities x 18 OPDs, 2,000,000 tickets: city officer queue, city and all-city stats",
    ),
    (
        "citizen_page",
        ["bench/citizen_page.py"],
        ["--runs", "3"],
        "the citizen's /lapor on a 390x844 phone: first-load bytes, usable on slow 4G, Lighthouse",
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--output", default=str(PROJECT_DIR / "BENCHMARKS.md"))
    args = parser.parse_args()
    sections = []
    for name, script, quick, what in BENCHMARKS:
        if args.only and name not in args.only:
            continue
        if not (PROJECT_DIR / script[0]).exists():
            sections.append(f"## {name}\n\n{what}\n\nNot run: `{script[0]}` does not exist yet.\n")
            continue
        command = [sys.executable, *script, *(quick if args.quick else [])]
        shown = "python " + " ".join(command[1:])
        print(f"== {name}: {shown}", flush=True)
        started = time.monotonic()
        result = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True)
        took = time.monotonic() - started
        output = result.stdout.strip() or "(no output)"
        print(output, flush=True)
        if result.returncode != 0:
            print(result.stderr[-3000:], file=sys.stderr)
            output += f"\n\n(exit code {result.returncode}; stderr tail)\n" + result.stderr[-1500:]
        sections.append(f"## {name}\n\n{what}\n\n`{shown}` ({took:.0f} s)\n\n```\n{output}\n```\n")
    header = (
        f"# Benchmarks\n\nWritten by `make bench` (`python bench/run_all.py`) on "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.\n\n"
        f"Machine: {machine()}. Services on the same machine: PostgreSQL, Redis; load "
        f"generators share the 2 cores with the service, so figures are a lower bound.\n\n"
    )
    Path(args.output).write_text(header + "\n".join(sections))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
