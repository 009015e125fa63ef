"""The book's charts as PNG pictures (matplotlib, Agg backend: no display needed).

Imported only by `masterplan book`: matplotlib takes about a second to import.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
# Labels are names from the config and the plans: "$" must stay a dollar sign, not math.
matplotlib.rcParams["text.parse_math"] = False
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from ...assemble.consolidate import TOTAL, Consolidated  # noqa: E402
from ...common.idtext import decimal  # noqa: E402
from ...config import Config  # noqa: E402

TOP_OPDS = 10
DPI = 150
SIZE = (7.5, 3.3)  # inches; 15.5 cm wide in the book, two charts fit a page


def _scale(largest: float) -> tuple[float, str]:
    """Axis unit: miliar Rupiah for big amounts, juta otherwise."""
    return (1e9, "miliar Rp") if largest >= 1e9 else (1e6, "juta Rp")


def _axis(ax, divisor: float, axis: str = "y") -> None:
    formatter = FuncFormatter(
        lambda v, _: decimal(v / divisor, 1))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)
    ax.grid(axis=axis, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _png(figure) -> io.BytesIO:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=DPI)
    plt.close(figure)
    buffer.seek(0)
    return buffer


def charts(cfg: Config, cons: Consolidated) -> list[tuple[str, io.BytesIO]]:
    """(caption, PNG) of each chart: budget per year by dimension (stacked), total per
    dimension, and the largest OPDs."""
    by_dimension = cons.by_dimension.drop(index=TOTAL)
    years = cons.years
    divisor, unit = _scale(float(cons.by_dimension.loc[TOTAL, years].max()))
    colours = plt.get_cmap("tab10").colors

    figure, ax = plt.subplots(figsize=SIZE)
    bottom = [0.0] * len(years)
    for i, (dimension, row) in enumerate(by_dimension.iterrows()):
        values = [float(row[y]) for y in years]
        ax.bar([str(y) for y in years], values, bottom=bottom, label=str(dimension),
               color=colours[i % len(colours)])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel(unit)
    _axis(ax, divisor)
    ax.legend(fontsize=7, ncol=3, frameon=False, loc="upper center",
              bbox_to_anchor=(0.5, -0.12))
    stacked = _png(figure)

    totals = by_dimension[TOTAL].astype(float)
    divisor, unit = _scale(float(totals.max()))
    figure, ax = plt.subplots(figsize=SIZE)
    labels = [str(d) for d in totals.index][::-1]
    ax.barh(labels, totals.to_list()[::-1], color=colours[0])
    ax.set_xlabel(unit)
    _axis(ax, divisor, "x")
    per_dimension = _png(figure)

    opds = cons.by_opd.drop(index=TOTAL)[TOTAL].astype(float).sort_values(ascending=False)
    largest = opds.head(TOP_OPDS)[::-1]
    divisor, unit = _scale(float(largest.max()))
    figure, ax = plt.subplots(figsize=SIZE)
    ax.barh([str(label) for label in largest.index], largest.to_list(), color=colours[1])
    ax.set_xlabel(unit)
    _axis(ax, divisor, "x")
    top = _png(figure)

    return [(f"Anggaran per tahun menurut dimensi {cfg.period_label}", stacked),
            (f"Total anggaran per dimensi {cfg.period_label}", per_dimension),
            (f"{min(TOP_OPDS, len(opds))} OPD dengan anggaran terbesar", top)]
