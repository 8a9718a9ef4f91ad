"""`make bench`: run every benchmark and write BENCHMARKS.md (machine, date, commands, figures).

Each benchmark is a script that prints its figures; this file records exactly what they printed,
into the existing BENCHMARKS.md: what is written there by hand (the summary against the targets,
the analysis, notes beside a section's figures) stays, and a section not run keeps its figures.
`--only NAME` runs a subset; `--quick` passes each script its short-run flags (a smoke run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
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
    (
        "intake_cpu",
        ["bench/intake_cpu.py"],
        ["--requests", "200"],
        "CPU per web complaint inside the process, Aduan vs the floor (no HTTP, no load generator)",
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
        "province_wall",
        ["bench/province_wall.py"],
        ["--cities", "2", "--duration", "10"],
        "province wall fan-out: 10 cities, 50 /wall?region=35 screens + 10 per city, 10 complaints/s"
        " for 60 s, every 10th moved (to the province, the neighbour, and back): lost, leaked, latency",
    ),
    (
        "province_wall_web2",
        ["bench/province_wall.py", "--web", "2"],
        ["--cities", "2", "--duration", "10"],
        "the same over 2 web processes (one per core): screens and requests spread, events cross Redis",
    ),
    (
        "citizen_page",
        ["bench/citizen_page.py"],
        ["--runs", "3"],
        "the citizen's /lapor on a 390x844 phone: first-load bytes, usable on slow 4G, Lighthouse",
    ),
]


RUN_HEADING = "# The run"
STAMP = re.compile(r"^Written by `make bench`.*$", re.MULTILINE)


def split_sections(text: str) -> tuple[str, dict[str, str]]:
    """The text before the first `## ` heading, and each `## name` section (heading included),
    in order. A `## ` line inside a code fence is output, not a heading."""
    preamble, sections, name, lines, fenced = "", {}, None, [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            if name is None:
                preamble = "".join(lines)
            else:
                sections[name] = "".join(lines)
            name, lines = line[3:].strip(), []
        lines.append(line)
    if name is None:
        preamble = "".join(lines)
    else:
        sections[name] = "".join(lines)
    return preamble, sections


def replace_figures(section: str, figures: str) -> str | None:
    """`section` with its generated part (the command line and the fenced output after it)
    replaced by `figures`; the notes written around it by hand stay."""
    lines = section.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("`python ")), None)
    if start is None:
        return None
    fences = [i for i in range(start + 1, len(lines)) if lines[i].startswith("```")][:2]
    if len(fences) < 2:
        return None
    return "".join(lines[:start]) + figures + "".join(lines[fences[1] + 1 :])


def merge(existing: str, runs: dict[str, str], header: str) -> str:
    """BENCHMARKS.md with this run's sections: the summary and analysis above `# The run` and
    every note written beside a section's figures are kept, each section run gets its new figures
    (its whole text when it has none yet), and the sections not run keep their last figures."""
    head, found, run = existing.partition(f"\n{RUN_HEADING}\n")
    if not found:
        head, run = header, ""
    head = STAMP.sub(header.splitlines()[2], head, count=1)
    _, sections = split_sections(run)
    for name, (section, figures) in runs.items():
        kept = sections.get(name)
        sections[name] = (kept and replace_figures(kept, figures)) or section
    # In the file's order; a section new to it goes last.
    body = "\n".join(section.rstrip("\n") + "\n" for section in sections.values())
    return f"{head.rstrip()}\n\n{RUN_HEADING}\n\n{body}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--output", default=str(PROJECT_DIR / "BENCHMARKS.md"))
    args = parser.parse_args()
    runs: dict[str, tuple[str, str]] = {}
    today = f"{dt.datetime.now(dt.UTC):%Y-%m-%d}"
    for name, script, quick, what in BENCHMARKS:
        if args.only and name not in args.only:
            continue
        if not (PROJECT_DIR / script[0]).exists():
            text = f"Not run: `{script[0]}` does not exist yet.\n"
            runs[name] = (f"## {name}\n\n{what}\n\n{text}", text)
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
        figures = f"`{shown}` ({took:.0f} s, {today})\n\n```\n{output}\n```\n"
        runs[name] = (f"## {name}\n\n{what}\n\n{figures}", figures)
    header = (
        f"# Benchmarks\n\nWritten by `make bench` (`python bench/run_all.py`) on "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.\n\n"
        f"Machine: {machine()}. Services on the same machine: PostgreSQL, Redis; load "
        f"generators share the 2 cores with the service, so figures are a lower bound.\n\n"
    )
    output = Path(args.output)
    existing = output.read_text() if output.exists() else ""
    output.write_text(merge(existing, runs, header))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
