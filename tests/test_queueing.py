"""Every job the web, the services and the ticker enqueue by dotted path is named once in
ticketing/queueing.py, and each name resolves to a job function in workers/."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from ticketing import queueing

PROJECT = Path(__file__).resolve().parents[1]


def test_every_job_path_resolves_to_a_job():
    assert len(set(queueing.ALL_JOBS)) == len(queueing.ALL_JOBS)
    for path in queueing.ALL_JOBS:
        module_name, _, function_name = path.rpartition(".")
        function = getattr(importlib.import_module(module_name), function_name, None)
        assert callable(function), path
        assert function.__module__ == module_name and function.__name__ == function_name, path


def test_every_periodic_job_is_a_named_job():
    from workers.schedule import PERIODIC_JOBS

    assert {job.job_path for job in PERIODIC_JOBS} <= set(queueing.ALL_JOBS)


def test_no_job_path_is_written_out_anywhere_else():
    """A dotted path typed into a service or a worker would escape the check above."""
    pattern = re.compile(r"""["']workers\.[a-z_]+\.[a-z_]+["']""")
    offenders = [
        f"{path.relative_to(PROJECT)}:{number}"
        for folder in ("ticketing", "workers")
        for path in sorted((PROJECT / folder).rglob("*.py"))
        if path.name != "queueing.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
