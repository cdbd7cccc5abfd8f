"""Charts for the PDF report, drawn with matplotlib as SVG (sharp at any print size).

The web pages draw with ECharts in the browser; a PDF has no browser, so the same figures are
drawn here from the same data.
"""

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # no display on a server
from matplotlib import pyplot  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

ACCENT, SECOND = "#1f5fa8", "#d9822b"


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    pyplot.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


def bars_svg(labels: Sequence[str], values: Sequence[float], *, title: str) -> str:
    """Horizontal bars, largest on top."""
    height = max(1.6, 0.32 * len(labels) + 0.8)
    figure, axes = pyplot.subplots(figsize=(6.5, height))
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, values, color=ACCENT)
    axes.set_yticks(positions, labels)
    axes.set_title(title, fontsize=11, loc="left")
    for pos, value in zip(positions, values, strict=True):
        axes.text(value, pos, f" {value:g}", va="center", fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def series_svg(years: Sequence[int], first: Sequence[float], second: Sequence[float], *,
               labels: tuple[str, str], title: str) -> str:
    figure, axes = pyplot.subplots(figsize=(6.5, 2.8))
    axes.plot(years, first, marker="o", color=ACCENT, label=labels[0])
    axes.plot(years, second, marker="s", color=SECOND, label=labels[1])
    axes.set_xticks(list(years), [str(y) for y in years], fontsize=8)
    axes.set_title(title, fontsize=11, loc="left")
    axes.legend(frameon=False, fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)
