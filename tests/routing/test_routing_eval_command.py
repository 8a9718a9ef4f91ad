"""`flask --app wsgi routing-eval FILE.csv [--cv K]` as API.md §1 says, run as a real process."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.support.processes import PROJECT_DIR

LAST_LINE = re.compile(r"^accuracy=(\d\.\d{3}) auto_accuracy=(\d\.\d{3}) triage=(\d\.\d{3}) n=(\d+)$")
ROWS = [
    ("e1", "sms", "lampu jln mati sdh 3 hari di gang 5", "DISHUB", "pju"),
    ("e2", "web", "Jalan berlubang besar di depan SD, banyak pengendara jatuh", "PUPR", "jalan-rusak"),
    ("e3", "whatsapp", "Sampah numpuk di TPS gak diangkut seminggu 😡", "DLHKP", "sampah"),
    ("e4", "sms", "air pdam mati dr pagi", "PDAM", "air-bersih"),
    ("e5", "web", "Selamat pagi admin, terima kasih", "NONE", "lainnya"),
    ("e6", "sms", "KEBAKARAN rumah di gang 3 api sdh besar", "DAMKAR", "kebakaran"),
    ("e7", "web", "Got depan rumah mampet, kalau hujan air meluap ke jalan", "PUPR", "drainase"),
    ("e8", "whatsapp", "Lampu lalu lintas di perempatan mati, macet parah", "DISHUB", "lalu-lintas"),
    ("e9", "sms", "halo min", "NONE", "lainnya"),
    ("e10", "web", "Pipa PDAM bocor di depan rumah, air muncrat ke jalan", "PDAM", "air-bersih"),
]


@pytest.fixture
def small_csv(tmp_path) -> Path:
    path = tmp_path / "small.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "channel", "text", "opd", "category"])
        writer.writerows(ROWS)
    return path


def _run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    flask = str(Path(sys.executable).parent / "flask")
    return subprocess.run(
        [flask, "--app", "wsgi", "routing-eval", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _run_side_by_side(*runs: list[str], env: dict) -> list[subprocess.CompletedProcess]:
    """Independent commands (each only reads) as processes side by side: most of each one's
    time is starting Python and training, so together they take about as long as the longest."""
    with ThreadPoolExecutor(len(runs)) as pool:
        return list(pool.map(lambda args: _run(args, env), runs))


@pytest.mark.parametrize("extra", [[], ["--cv", "2"]])
def test_routing_eval_prints_per_opd_figures_and_the_last_line(
    app_ctx, process_env, router_model, small_csv, extra
):
    from ticketing.extensions import db
    from ticketing.models import Ticket, TicketEvent

    result = _run([str(small_csv), *extra], process_env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    match = LAST_LINE.match(lines[-1])
    assert match, lines[-1]
    accuracy, auto_accuracy, triage, n = match.groups()
    assert int(n) == len(ROWS)
    assert 0.6 <= float(accuracy) <= 1 and 0 <= float(triage) <= 1 and float(auto_accuracy) <= 1
    assert lines[0].split() == ["OPD", "prec", "recall", "support", "predicted"]
    per_opd = {line.split()[0]: line.split()[1:] for line in lines[1:-2]}
    assert {"DISHUB", "PUPR", "PDAM", "NONE", "DAMKAR", "DLHKP"} <= set(per_opd)
    assert per_opd["DISHUB"][2] == "2"  # support
    assert all(0 <= float(v[0]) <= 1 and 0 <= float(v[1]) <= 1 for v in per_opd.values())
    # It stores nothing.
    db.session.rollback()
    assert db.session.query(Ticket).count() == 0 and db.session.query(TicketEvent).count() == 0


def test_routing_eval_refuses_bad_input(process_env, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,words\n1,halo\n", encoding="utf-8")
    result, one_fold, missing = _run_side_by_side(
        [str(bad)], [str(bad), "--cv", "1"], [str(tmp_path / "nope.csv")], env=process_env
    )
    assert result.returncode != 0 and "missing columns" in result.stderr
    assert one_fold.returncode != 0
    assert missing.returncode != 0


# A city whose fallen trees are BPBD's: an export from a legacy system that knows the OPD only.
HISTORY_TEXTS = [
    "pohon tumbang menutup jalan di {}",
    "ada pohon roboh melintang di {}, tolong dievakuasi",
    "min pohon besar tumbang di {} habis hujan, jalan tertutup",
]
HISTORY_PLACES = [
    "jl dhoho",
    "gang 3 bandar lor",
    "depan sd ngronggo",
    "jl brawijaya",
    "dekat pasar bandar",
    "jl hayam wuruk",
    "perumahan sukorame",
    "depan masjid agung",
    "jl kawi",
    "dekat stasiun",
]
TREE_ROWS = [  # the history's phrases, at places it never named
    ("t1", "web", "Pohon tumbang menutup jalan di jl joyoboyo", "BPBD", ""),
    ("t2", "sms", "ada pohon roboh melintang di gang 7 semampir, tolong dievakuasi", "BPBD", ""),
    ("t3", "whatsapp", "min pohon besar tumbang di depan puskesmas habis hujan, jalan tertutup", "BPBD", ""),
    ("t4", "web", "Lampu lalu lintas di perempatan mati sejak pagi", "DISHUB", "lalu-lintas"),
    ("t5", "sms", "lampu merah di perempatan dkt pasar mati, macet parah", "DISHUB", "lalu-lintas"),
]


def _write(path: Path, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "channel", "text", "opd", "category"])
        writer.writerows(rows)
    return path


def test_routing_eval_train_learns_from_a_history_labelled_by_opd_only(
    app_ctx, process_env, router_model, tmp_path
):
    from ticketing.extensions import db
    from ticketing.models import Ticket, TicketEvent

    history = _write(
        tmp_path / "history.csv",
        [
            (f"h{i}", "web", text.format(place), "BPBD", "")  # no category: the row teaches its OPD only
            for i, (text, place) in enumerate((t, p) for t in HISTORY_TEXTS for p in HISTORY_PLACES)
        ],
    )
    trees = _write(tmp_path / "trees.csv", TREE_ROWS)

    before, after, folded = _run_side_by_side(
        [str(trees)],
        [str(trees), "--train", str(history)],
        [str(trees), "--train", str(history), "--cv", "2"],
        env=process_env,
    )
    assert before.returncode == 0 and after.returncode == 0, after.stderr
    last_before, last_after = before.stdout.strip().splitlines()[-1], after.stdout.strip().splitlines()[-1]
    assert LAST_LINE.match(last_after) and LAST_LINE.match(last_before)
    assert LAST_LINE.match(last_after).group(4) == str(len(TREE_ROWS))
    per_opd = {line.split()[0]: line.split()[1:] for line in after.stdout.strip().splitlines()[1:-2]}
    assert per_opd["BPBD"][1] == "1.000"  # recall: every fallen tree now goes where this city sends it
    assert float(LAST_LINE.match(last_after).group(1)) > float(LAST_LINE.match(last_before).group(1))
    # With --cv too, each fold trains on the history plus the other folds.
    assert folded.returncode == 0 and LAST_LINE.match(folded.stdout.strip().splitlines()[-1]), folded.stderr
    db.session.rollback()
    assert db.session.query(Ticket).count() == 0 and db.session.query(TicketEvent).count() == 0


def test_routing_eval_train_refuses_a_bad_history(process_env, small_csv, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,words\n1,halo\n", encoding="utf-8")
    result, missing = _run_side_by_side(
        [str(small_csv), "--train", str(bad)],
        [str(small_csv), "--train", str(tmp_path / "nope.csv")],
        env=process_env,
    )
    assert result.returncode != 0 and "missing columns" in result.stderr
    assert missing.returncode != 0
