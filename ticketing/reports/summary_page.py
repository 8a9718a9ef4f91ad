"""The one-page summary both PDFs open with, and the grouped chart pages, drawn with the same
matplotlib machinery as the monthly report (charts.py). Readable in greyscale: one dark bar
colour, a hatched light one beside it, every value written next to its bar."""

from __future__ import annotations

from textwrap import shorten

from matplotlib.figure import Figure

from ticketing.formatting import number
from ticketing.reports.charts import A4_LANDSCAPE

DARK, LIGHT = "#303030", "#b0b0b0"


def value_text(value, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "%":
        return f"{number(value * 100, 1)}%"
    if unit == "jam":
        return f"{number(value, 1)} jam"
    return number(value, 2)


def change_text(delta, unit: str, better_when_lower: bool | None = False) -> str:
    """▲/▼ and the size of a change; "(membaik)"/"(memburuk)" unless the figure has no better
    direction (`None`: more complaints is not worse service)."""
    if delta is None:
        return "–"
    if delta == 0:
        return "tetap"
    arrow = "▲" if delta > 0 else "▼"
    size = f"{number(abs(delta) * 100, 1)} poin" if unit == "%" else value_text(abs(delta), unit)
    if better_when_lower is None:
        return f"{arrow} {size}"
    good = (delta < 0) if better_when_lower else (delta > 0)
    return f"{arrow} {size} ({'membaik' if good else 'memburuk'})"


def summary_page(
    title: str, subtitle: str, headline: list[dict], labels: dict, movers: dict, notes=()
) -> Figure:
    """`headline`: rows from report_summary.headline; `labels`: key → (label, unit, lower is
    better); `movers`: report_summary.movers."""
    fig = Figure(figsize=A4_LANDSCAPE)
    fig.text(0.04, 0.94, title, fontsize=17, fontweight="bold")
    fig.text(0.04, 0.905, subtitle, fontsize=10, color="#333333")
    ax = fig.add_axes((0.04, 0.46, 0.92, 0.41))
    ax.axis("off")
    cells = []
    for row in headline:
        label, unit, lower = labels[row["key"]]
        cells.append(
            [
                label,
                value_text(row["current"], unit),
                value_text(row["previous"], unit),
                change_text(row["vs_previous"], unit, lower),
                value_text(row["year_before"], unit),
                change_text(row["vs_year_before"], unit, lower),
            ]
        )
    table = ax.table(
        cellText=cells,
        colLabels=["Ukuran", "Periode ini", "Periode lalu", "Perubahan", "Setahun lalu", "Perubahan"],
        loc="upper left",
        cellLoc="left",
        colWidths=(0.26, 0.12, 0.12, 0.19, 0.12, 0.19),
    )
    table.auto_set_font_size(False)
    table.set_fontsize(10)
    table.scale(1, 1.6)
    for (r, _), cell in table.get_celld().items():
        if r == 0:
            cell.set_text_props(fontweight="bold")
            cell.set_facecolor("#e6e6e6")
    for column, (key, heading) in enumerate((("improved", "Membaik"), ("slipped", "Menurun"))):
        x = 0.04 + column * 0.48
        fig.text(
            x, 0.41, f"Tiga OPD paling {heading.lower()} (kepatuhan SLA)", fontsize=12, fontweight="bold"
        )
        rows = movers.get(key) or []
        if not rows:
            fig.text(x, 0.37, "(belum ada OPD yang dapat dibandingkan)", fontsize=10, color="#333333")
        for i, m in enumerate(rows):
            fig.text(
                x,
                0.37 - i * 0.045,
                f"{i + 1}. {shorten(m['name'], 44, placeholder='…')}: "
                f"{value_text(m['previous'], '%')} → {value_text(m['current'], '%')} "
                f"({'+' if m['change'] > 0 else '−'}{number(abs(m['change']) * 100, 1)} poin)",
                fontsize=10,
            )
    for i, note in enumerate(notes):
        fig.text(0.04, 0.16 - i * 0.035, note, fontsize=9, color="#333333")
    return fig


def hbars(
    ax, items: list[tuple[str, float]], title: str, unit: str = "", xmax: float | None = None, fmt=None
) -> None:
    """Horizontal bars in the order given (top first), each value written beside its bar
    (`fmt(value)`, default Indonesian notation with up to two decimals)."""
    fmt = fmt or (lambda v: number(v, 2))
    items = items or [("(tidak ada data)", 0)]
    labels = [shorten(str(k), 30, placeholder="…") for k, _ in items][::-1]
    values = [v for _, v in items][::-1]
    ax.barh(labels, values, color=DARK)
    for y, v in enumerate(values):
        ax.text(v, y, f" {fmt(v)}{unit}", va="center", fontsize=7)
    # Room on the right for the value written beside the longest bar.
    ax.set_xlim(0, xmax if xmax is not None else (max(values) * 1.2 or 1))
    ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    ax.tick_params(labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)


def paired_hbars(ax, labels, first, second, names: tuple[str, str], title: str, unit: str = "") -> None:
    """Two bars per row (dark and hatched light), each with its value beside it."""
    labels = labels[::-1] or ["(tidak ada data)"]
    first, second = (first[::-1] or [0]), (second[::-1] or [0])
    positions = range(len(labels))
    ax.barh([p + 0.2 for p in positions], first, height=0.4, color=DARK, label=names[0])
    ax.barh([p - 0.2 for p in positions], second, height=0.4, color=LIGHT, hatch="///", label=names[1])
    for p, v in zip(positions, first, strict=True):
        ax.text(v, p + 0.2, f" {number(v, 1)}{unit}", va="center", fontsize=6)
    for p, v in zip(positions, second, strict=True):
        ax.text(v, p - 0.2, f" {number(v, 1)}{unit}", va="center", fontsize=6)
    ax.set_yticks(list(positions), labels)
    ax.tick_params(labelsize=7)
    ax.legend(loc="lower right", fontsize=7)
    ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    ax.spines[["top", "right"]].set_visible(False)


def grid_page(title: str) -> tuple[Figure, list]:
    """An A4 landscape page of four charts (2 × 2) under one title."""
    fig = Figure(figsize=A4_LANDSCAPE, layout="constrained")
    fig.suptitle(title, x=0.02, ha="left", fontsize=13, fontweight="bold")
    axes = fig.subplots(2, 2)
    return fig, [ax for row in axes for ax in row]
