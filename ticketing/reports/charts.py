"""Charts and the PDF of the monthly report, drawn with matplotlib (no pyplot: no global state,
safe in a threaded or gevent web process). SVG keeps text as text; the PDF embeds TrueType
fonts so its text can be searched and extracted."""

from __future__ import annotations

import io
import logging
from textwrap import shorten

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from ticketing.formatting import number, zone_label

# fontTools logs every table it subsets at INFO: noise in the web log on each PDF.
logging.getLogger("fontTools").setLevel(logging.WARNING)

RC = {"svg.fonttype": "none", "pdf.fonttype": 42, "font.size": 9, "font.family": "DejaVu Sans"}
BAR = "#2f6db5"
LIGHT = "#c8d7ea"
A4_LANDSCAPE = (11.69, 8.27)


def _bars(ax, data: dict, title: str, unit: str = "", horizontal: bool = True, limit: int = 25):
    items = sorted(data.items(), key=lambda kv: kv[1], reverse=True)[:limit]
    labels = [shorten(str(k), 38, placeholder="…") for k, _ in items] or ["(tidak ada data)"]
    values = [v for _, v in items] or [0]
    if horizontal:
        ax.barh(labels[::-1], values[::-1], color=BAR)
        for y, v in enumerate(values[::-1]):
            ax.text(v, y, f" {number(v, 2)}{unit}", va="center", fontsize=7)
    else:
        ax.bar(labels, values, color=BAR)
        for x, v in enumerate(values):
            ax.text(x, v, f"{number(v, 2)}{unit}", ha="center", va="bottom", fontsize=8)
    ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    ax.spines[["top", "right"]].set_visible(False)


def _figure(size=(7.5, 3.2)) -> Figure:
    return Figure(figsize=size, layout="constrained")


def _speed(ax, opds: list[dict]) -> None:
    rows = [
        o for o in opds if o["median_hours_to_resolve"] is not None or o["median_hours_to_accept"] is not None
    ]
    labels = [o["code"] for o in rows][::-1] or ["(tidak ada data)"]
    accept = [o["median_hours_to_accept"] or 0 for o in rows][::-1] or [0]
    resolve = [o["median_hours_to_resolve"] or 0 for o in rows][::-1] or [0]
    positions = range(len(labels))
    # A dark bar and a hatched light one: the two stay apart when printed in greyscale.
    ax.barh([p + 0.2 for p in positions], accept, height=0.4, color=LIGHT, hatch="///", label="diterima")
    ax.barh([p - 0.2 for p in positions], resolve, height=0.4, color=BAR, label="selesai")
    for p, a, r in zip(positions, accept, resolve, strict=True):
        ax.text(a, p + 0.2, f" {number(a, 1)}", va="center", fontsize=6)
        ax.text(r, p - 0.2, f" {number(r, 1)}", va="center", fontsize=6)
    ax.set_yticks(list(positions), labels)
    ax.set_xlabel("median jam sejak diteruskan")
    ax.legend(loc="lower right", fontsize=7)
    ax.set_title("Waktu menerima dan menyelesaikan", loc="left", fontsize=10, fontweight="bold")
    ax.spines[["top", "right"]].set_visible(False)


def draw_chart(ax, report: dict, name: str) -> None:
    """One of the report's charts (CHARTS) on `ax`, its numbers written beside its bars."""
    opds = report["opds"]
    if name == "channel":
        _bars(ax, report["by_channel"], "Volume per kanal", horizontal=False)
    elif name == "category":
        _bars(ax, report["by_category"], "Volume per kategori", limit=15)
    elif name == "opd":
        _bars(ax, report["by_opd"], "Volume per OPD", limit=15)
    elif name == "speed":
        _speed(ax, opds)
    elif name == "sla":
        compliance = {
            o["code"]: round(o["sla_compliance"] * 100, 1) for o in opds if o["sla_compliance"] is not None
        }
        _bars(ax, compliance, "Kepatuhan SLA (% selesai tepat waktu)", unit="%")
        ax.set_xlim(0, 115)
    elif name == "rating":
        _bars(
            ax,
            {f"{k} ★": v for k, v in report["ratings"].items()},
            "Kepuasan pelapor (jumlah penilaian)",
            horizontal=False,
        )


CHARTS = {
    "channel": (7.5, 2.6),
    "category": (7.5, 5.2),
    "opd": (7.5, 4.6),
    "speed": (7.5, 4.6),
    "sla": (7.5, 4.6),
    "rating": (7.5, 2.6),
}
# The PDF's chart pages: related charts side by side, four to a page at most.
PDF_CHART_PAGES = (
    ("Volume", ("channel", "rating", "opd", "category")),
    ("Kecepatan dan ketepatan waktu", ("speed", "sla")),
)


def chart_figures(report: dict) -> dict[str, Figure]:
    figures = {}
    for name, size in CHARTS.items():
        fig = _figure(size)
        draw_chart(fig.add_subplot(), report, name)
        figures[name] = fig
    return figures


def svg_charts(report: dict) -> dict[str, str]:
    out = {}
    with matplotlib.rc_context(RC):
        for name, fig in chart_figures(report).items():
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg")
            svg = buffer.getvalue()
            out[name] = svg[svg.index("<svg") :]  # drop the XML prolog and doctype
    return out


def _fmt(value, suffix: str = "") -> str:
    return "–" if value is None else f"{number(value, 2)}{suffix}"


OPD_COLUMNS = (
    "Kode",
    "OPD",
    "Aduan",
    "Terbuka",
    "Terlambat",
    "Med. terima (j)",
    "Med. selesai (j)",
    "SLA",
    "Rating",
)


def opd_table_pages(report: dict, per_page: int = 22) -> list[Figure]:
    pages = []
    rows = report["opds"]
    for first in range(0, max(len(rows), 1), per_page):
        fig = Figure(figsize=A4_LANDSCAPE)
        fig.text(0.05, 0.94, f"Kinerja per OPD — {report['label']}", fontsize=14, fontweight="bold")
        ax = fig.add_axes((0.03, 0.05, 0.94, 0.85))
        ax.axis("off")
        cells = [
            [
                o["code"],
                shorten(o["name"], 64, placeholder="…"),
                number(o["tickets"], 0),
                number(o["open"], 0),
                number(o["overdue"], 0),
                _fmt(o["median_hours_to_accept"]),
                _fmt(o["median_hours_to_resolve"]),
                _fmt(None if o["sla_compliance"] is None else round(o["sla_compliance"] * 100, 1), "%"),
                _fmt(o["average_rating"]),
            ]
            for o in rows[first : first + per_page]
        ]
        table = ax.table(
            cellText=cells or [["–"] * len(OPD_COLUMNS)],
            colLabels=OPD_COLUMNS,
            loc="upper center",
            cellLoc="left",
            colWidths=(0.12, 0.38, 0.05, 0.06, 0.07, 0.09, 0.09, 0.07, 0.06),
        )
        table.auto_set_font_size(False)
        table.set_fontsize(8)
        table.scale(1, 1.35)
        pages.append(fig)
    return pages


def _summary_page(report: dict) -> Figure:
    from ticketing.reports.summary_page import summary_page

    summary = report["summary"]
    labels = {
        "tickets": ("Pengaduan masuk", "", None),
        "median_hours_to_accept": ("Median diterima OPD", "jam", True),
        "median_hours_to_resolve": ("Median selesai", "jam", True),
        "sla_compliance": ("Kepatuhan SLA", "%", False),
        "average_rating": ("Rata-rata kepuasan (1–5)", "", False),
    }
    channels = ", ".join(f"{k} {v}" for k, v in report["by_channel"].items()) or "–"
    return summary_page(
        f"Laporan Kinerja Penanganan Pengaduan — {report['label']}",
        f"Pengaduan masuk {report['period']} ({zone_label()}) · per kanal: {channels}",
        summary["headline"],
        labels,
        summary["movers"],
        [f"Periode lalu: {summary['previous_label']}; setahun lalu: {summary['year_before_label']}."],
    )


def render_pdf(report: dict) -> bytes:
    """The summary page (when the report carries one: services/report_summary.py), the charts
    grouped on two pages, then the OPD table."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(RC):
        with PdfPages(
            buffer, metadata={"Title": f"Laporan Kinerja OPD {report['label']}", "Creator": "Aduan"}
        ) as pdf:
            if "summary" in report:
                pdf.savefig(_summary_page(report))
            for title, names in PDF_CHART_PAGES:
                fig = Figure(figsize=A4_LANDSCAPE, layout="constrained")
                fig.suptitle(
                    f"{title} — {report['label']}", x=0.02, ha="left", fontsize=13, fontweight="bold"
                )
                axes = fig.subplots(2, 2).flatten() if len(names) > 2 else fig.subplots(1, 2).flatten()
                for ax, name in zip(axes, names, strict=True):
                    draw_chart(ax, report, name)
                pdf.savefig(fig)
            for page in opd_table_pages(report):
                pdf.savefig(page)
            if report.get("regions"):  # a province's comparison of its cities (issue #16)
                from ticketing.reports.region_page import region_table_page

                pdf.savefig(region_table_page(report))
    return buffer.getvalue()
