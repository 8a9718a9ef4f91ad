"""The monthly report PDF's page comparing a province's cities (issue #16): per city the
complaints, per 10,000 inhabitants, open and overdue, SLA kept, median first response and
satisfaction, the same rows as the HTML table and the CSV (services/region_comparison.py)."""

from __future__ import annotations

from matplotlib.figure import Figure

from ticketing.formatting import number

A4_LANDSCAPE = (11.69, 8.27)
REGION_COLUMNS = (
    "Kode",
    "Kota/Kabupaten",
    "Penduduk",
    "Aduan",
    "Per 10.000",
    "Terbuka",
    "Terlambat",
    "SLA",
    "Median terima (jam)",
    "Rating",
)


def _fmt(value, digits: int = 2, suffix: str = "") -> str:
    return "–" if value is None else f"{number(value, digits)}{suffix}"


def region_table_page(report: dict) -> Figure:
    fig = Figure(figsize=A4_LANDSCAPE)
    fig.text(0.05, 0.94, f"Perbandingan kota/kabupaten — {report['label']}", fontsize=14, fontweight="bold")
    ax = fig.add_axes((0.03, 0.05, 0.94, 0.85))
    ax.axis("off")
    cells = [
        [
            r["region"],
            r["name"],
            _fmt(r["population"], 0),
            number(r["tickets"], 0),
            _fmt(r["per_10k_inhabitants"]),
            number(r["open"], 0),
            number(r["overdue"], 0),
            _fmt(None if r["sla_compliance"] is None else round(r["sla_compliance"] * 100, 1), 2, "%"),
            _fmt(r["median_hours_to_accept"]),
            _fmt(r["average_rating"]),
        ]
        for r in report["regions"]
    ]
    table = ax.table(
        cellText=cells,
        colLabels=REGION_COLUMNS,
        loc="upper center",
        cellLoc="left",
        colWidths=(0.07, 0.25, 0.09, 0.07, 0.08, 0.07, 0.08, 0.07, 0.13, 0.07),
    )
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    table.scale(1, 1.35)
    return fig
