"""The annual PPID report (services/ppid_report.py) as a PDF: one A4 page of tables, drawn with
matplotlib like the monthly report (reports/charts.py: no pyplot, TrueType text that can be
searched and extracted). Used by the console page and the `ppid-report` command alike."""

from __future__ import annotations

import io

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from ticketing import catalogue
from ticketing.formatting import number

RC = {"svg.fonttype": "none", "pdf.fonttype": 42, "font.size": 9, "font.family": "DejaVu Sans"}
A4_PORTRAIT = (8.27, 11.69)
OPD_KEYS = ("requests", "granted", "partial", "refused", "pending", "median_days", "objections")


def _value(value) -> str:
    return number(value, 2) if isinstance(value, float) else ("–" if value is None else str(value))


def _table(ax, rows: list[list[str]], labels: list[str] | None, title: str) -> None:
    ax.axis("off")
    ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    table = ax.table(
        cellText=rows or [["–"] * len(labels or ["–"])], colLabels=labels, loc="upper left", cellLoc="left"
    )
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    table.scale(1, 1.3)


def render_ppid_pdf(report: dict) -> bytes:
    from ticketing.services.ppid_report import SUMMARY_KEYS, ground_label

    buffer = io.BytesIO()
    with matplotlib.rc_context(RC):
        with PdfPages(buffer, metadata={"Title": report["title"], "Creator": "Aduan"}) as pdf:
            fig = Figure(figsize=A4_PORTRAIT, layout="constrained")
            fig.suptitle(report["title"], x=0.03, ha="left", fontsize=13, fontweight="bold")
            top, middle, grounds_axes, bottom = fig.subplots(4, 1, height_ratios=(3, 3, 2.4, 3))
            summary = [[catalogue.text(label), _value(report[key])] for key, label in SUMMARY_KEYS]
            _table(top, summary, None, catalogue.text("ppid.requests"))
            exemptions = [
                [catalogue.text("ppid.exemption_row", letter=letter), str(count)]
                for letter, count in report["exemptions"].items()
            ]
            _table(middle, exemptions, None, catalogue.text("ppid.exemptions"))
            by_ground = report["objection_grounds"].items()
            grounds = [[ground_label(letter), str(count)] for letter, count in by_ground]
            _table(grounds_axes, grounds, None, catalogue.text("ppid.objection_grounds"))
            labels = ["PPID", *(catalogue.text(dict(SUMMARY_KEYS)[key]) for key in OPD_KEYS)]
            rows = [[row["opd"], *(_value(row[key]) for key in OPD_KEYS)] for row in report["opds"]]
            _table(bottom, rows, [label[:18] for label in labels], catalogue.text("ppid.by_opd"))
            pdf.savefig(fig)
    return buffer.getvalue()
