"""The evaluation pack's charts (SVG for the page) and its PDF: the summary page, two pages of
charts grouped four to a page with their numbers beside them, then the tables."""

from __future__ import annotations

import io
from textwrap import shorten

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from ticketing import catalogue
from ticketing.formatting import number
from ticketing.reports.charts import A4_LANDSCAPE, RC
from ticketing.reports.summary_page import grid_page, hbars, paired_hbars, summary_page
from ticketing.services.report_summary import headline


def ikm_text(value: float) -> str:
    """Two decimals, as the regulation prints an index: 55,00."""
    return f"{value:.2f}".replace(".", ",")


HEADLINE = {
    "complaints": ("Pengaduan masuk", "", None),
    "median_hours_to_accept": ("Median respons pertama OPD", "jam", True),
    "median_hours_to_resolve": ("Median waktu selesai", "jam", True),
    "sla_compliance": ("Kepatuhan SLA", "%", False),
    "reopen_rate": ("Dibuka kembali", "%", True),
    "average_rating": ("Rata-rata penilaian pelapor (1–5)", "", False),
    "ikm": ("Indeks Kepuasan Masyarakat (IKM)", "", False),
}


def _active(pack: dict) -> list[dict]:
    return [o for o in pack["opds"] if o["complaints"] or o["skm_respondents"]]


def _summary(pack: dict) -> Figure:
    notes = [
        "Periode lalu: " + pack["previous_label"] + "; setahun lalu: " + pack["year_before_label"] + ".",
        "IKM menurut Permenpan RB 14/2017: rata-rata nilai unsur yang berlaku × 25 (A ≥ 88,31; B ≥ 76,61; "
        "C ≥ 65,00; D < 65,00).",
    ]
    if not pack["kinds_recorded"]:
        notes.append("Jenis tiket (aspirasi, informasi) belum tercatat di sistem ini: ditampilkan 0.")
    return summary_page(
        f"Paket Evaluasi Kota Cerdas — {pack['label']}",
        f"{pack['period']} · pengaduan, kinerja OPD dan Survei Kepuasan Masyarakat",
        headline(pack["city"], pack["previous"], pack["year_before"], tuple(HEADLINE)),
        HEADLINE,
        pack["movers"],
        notes,
    )


def _draw(axes: list, pack: dict, which: str) -> None:
    opds = _active(pack)
    if which == "volume":
        hbars(
            axes[0],
            sorted(((o["code"], o["complaints"]) for o in opds if o["complaints"]), key=lambda kv: -kv[1])[
                :15
            ],
            "Pengaduan masuk per OPD",
        )
        sla = [
            (o["code"], round(o["sla_compliance"] * 100, 1)) for o in opds if o["sla_compliance"] is not None
        ]
        hbars(axes[1], sorted(sla, key=lambda kv: -kv[1])[:15], "Kepatuhan SLA (%)", "%", xmax=115)
        rows = [o for o in opds if o["median_hours_to_resolve"] is not None][:15]
        paired_hbars(
            axes[2],
            [o["code"] for o in rows],
            [o["median_hours_to_accept"] or 0 for o in rows],
            [o["median_hours_to_resolve"] or 0 for o in rows],
            ("respons pertama", "selesai"),
            "Median jam sejak diteruskan",
        )
        rated = [(o["code"], o["average_rating"]) for o in opds if o["average_rating"] is not None]
        hbars(axes[3], sorted(rated, key=lambda kv: -kv[1])[:15], "Penilaian pelapor (1–5)", xmax=5.8)
        return
    ikm = [(f"{o['code']} ({o['grade']})", o["ikm"]) for o in opds if o["ikm"] is not None]
    hbars(axes[0], sorted(ikm, key=lambda kv: -kv[1])[:15], "IKM per OPD (mutu)", xmax=115, fmt=ikm_text)
    services = [
        (f"{s['service']} ({s['grade']})", s["ikm"]) for s in pack["services"] if s["ikm"] is not None
    ]
    hbars(
        axes[1],
        sorted(services, key=lambda kv: -kv[1])[:15],
        "IKM per layanan (mutu)",
        xmax=115,
        fmt=ikm_text,
    )
    elements = [
        (catalogue.text(f"skm.short.{e}"), m) for e, m in pack["city_elements"].items() if m is not None
    ]
    hbars(
        axes[2],
        sorted(elements, key=lambda kv: kv[1]),
        "Nilai unsur SKM kota (1–4), terlemah di atas",
        xmax=4.6,
    )
    progress = [
        (s["service"], round(100 * (s["progress"] or 0), 1))
        for s in pack["services"]
        if s["sample_size"] and s["respondents"]
    ]
    hbars(
        axes[3],
        sorted(progress, key=lambda kv: kv[1])[:15],
        "Responden terhadap sampel minimal (%)",
        "%",
        xmax=115,
    )


def _table_page(pack: dict) -> Figure:
    fig = Figure(figsize=A4_LANDSCAPE)
    fig.text(0.03, 0.95, f"Kinerja per OPD — {pack['label']}", fontsize=13, fontweight="bold")
    ax = fig.add_axes((0.02, 0.03, 0.96, 0.89))
    ax.axis("off")

    def pct(v):
        return "–" if v is None else f"{number(v * 100, 1)}%"

    cells = [
        [
            o["code"],
            shorten(o["name"], 40, placeholder="…"),
            number(o["complaints"], 0),
            number(o["median_hours_to_accept"], 1),
            number(o["median_hours_to_resolve"], 1),
            pct(o["sla_compliance"]),
            pct(o["reopen_rate"]),
            number(o["average_rating"], 2),
            f"{o['aspirations_answered']}/{o['information_answered']}",
            "–" if o["ikm"] is None else f"{ikm_text(o['ikm'])} {o['grade']}",
            ", ".join(catalogue.text(f"skm.short.{w['element']}") for w in o["weakest"][:2]) or "–",
        ]
        for o in _active(pack)[:26]
    ]
    table = ax.table(
        cellText=cells or [["–"] * 11],
        colLabels=[
            "Kode",
            "OPD",
            "Aduan",
            "Respons (j)",
            "Selesai (j)",
            "SLA",
            "Dibuka lagi",
            "Nilai",
            "Asp./Info",
            "IKM",
            "Unsur terlemah",
        ],
        loc="upper center",
        cellLoc="left",
        colWidths=(0.09, 0.22, 0.05, 0.07, 0.07, 0.06, 0.07, 0.05, 0.06, 0.08, 0.18),
    )
    table.auto_set_font_size(False)
    table.set_fontsize(7)
    table.scale(1, 1.3)
    return fig


def chart_figures(pack: dict) -> dict[str, Figure]:
    figures = {}
    for which in ("volume", "skm"):
        fig = Figure(figsize=(11, 7), layout="constrained")
        axes = [ax for row in fig.subplots(2, 2) for ax in row]
        _draw(axes, pack, which)
        figures[which] = fig
    return figures


def svg_charts(pack: dict) -> dict[str, str]:
    out = {}
    with matplotlib.rc_context(RC):
        for name, fig in chart_figures(pack).items():
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg")
            svg = buffer.getvalue()
            out[name] = svg[svg.index("<svg") :]
    return out


def render_pdf(pack: dict) -> bytes:
    buffer = io.BytesIO()
    with matplotlib.rc_context(RC):
        with PdfPages(
            buffer, metadata={"Title": f"Paket Evaluasi {pack['label']}", "Creator": "Aduan"}
        ) as pdf:
            pdf.savefig(_summary(pack))
            for which, title in (
                ("volume", "Pengaduan dan kinerja OPD"),
                ("skm", "Survei Kepuasan Masyarakat"),
            ):
                fig, axes = grid_page(f"{title} — {pack['label']}")
                _draw(axes, pack, which)
                pdf.savefig(fig)
            pdf.savefig(_table_page(pack))
    return buffer.getvalue()
