"""The house chart theme and the one finishing step every chart goes through.

``apply()`` sets a matplotlib style (DejaVu Sans, shipped with matplotlib, so
bytes do not depend on system fonts; text drawn as paths in SVG; a fixed SVG
hash salt). ``finish(fig, title, subtitle, source)`` adds the headline (the
finding), the subtitle (the measure) and the source line, as bbcstyle's
``finalise_plot`` does. ``save(fig, stem)`` writes SVG and PNG with no date or
software metadata, so two runs give identical bytes.
"""

from __future__ import annotations

import io
import textwrap
from contextlib import contextmanager

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

INK = "#222222"
MUTED = "#6b6b6b"
GRID = "#dddddd"
ACCENT = "#c0392b"      # the declared / official figure, a flag
BLUE = "#1f5f99"        # the independent tally
GREY = "#9a9a9a"
BAND = "#c9d6e3"
PALETTE = [BLUE, ACCENT, "#e09f3e", "#4a7c59", "#7d5ba6", GREY]

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 5.0, 100

RC = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "legend.frameon": False,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "svg.fonttype": "path",
    "svg.hashsalt": "electcheck",
    "path.simplify": True,
}


@contextmanager
def house():
    """Use the house style for the charts made inside the block."""
    with matplotlib.rc_context(RC):
        yield


def figure(height: float = HEIGHT_IN, width: float = WIDTH_IN):
    fig = plt.figure(figsize=(width, height))
    return fig


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) if text else ""


def _auto_left(fig) -> float:
    """Left margin (figure fraction) that fits the widest y tick label and the y axis label."""
    r = fig.canvas.get_renderer()
    need = 0.0
    for ax in fig.axes:
        if not ax.axison:
            continue
        w = max((lab.get_window_extent(r).width for lab in ax.get_yticklabels() if lab.get_text()), default=0.0)
        if ax.yaxis.label.get_text():
            w += ax.yaxis.label.get_window_extent(r).width + 6
        need = max(need, w)
    w_px = fig.get_size_inches()[0] * fig.dpi
    return min(0.5, max(0.06, (need + 22) / w_px))


def finish(fig, title: str, subtitle: str, source: str, left: float | None = None) -> None:
    """Headline (the finding), subtitle (the measure) and a source line, always.

    ``left``: the plot's left edge as a figure fraction; by default it is computed from the
    widest y tick label, so long region names are neither cut nor given a wasted margin.
    """
    w_in, h_in = fig.get_size_inches()
    t = _wrap(title, int(w_in * 8.2))
    s = _wrap(subtitle, int(w_in * 12.5))
    src = _wrap("Source: " + source, int(w_in * 14.5))
    nt, ns, nsrc = t.count("\n") + 1, s.count("\n") + 1 if s else 0, src.count("\n") + 1
    top_in = 0.25 + 0.27 * nt + 0.2 * ns + 0.15
    bot_in = 0.45 + 0.16 * nsrc
    fig.text(0.02, 1 - 0.15 / h_in, t, ha="left", va="top", fontsize=14, fontweight="bold", color=INK)
    if s:
        fig.text(0.02, 1 - (0.2 + 0.27 * nt) / h_in, s, ha="left", va="top", fontsize=10, color=MUTED)
    fig.text(0.02, 0.1 / h_in, src, ha="left", va="bottom", fontsize=8, color=MUTED)
    xlab = any(ax.axison and ax.xaxis.label.get_text() for ax in fig.axes)
    bottom = (bot_in + 0.32 + (0.2 if xlab else 0.0)) / h_in
    fig.subplots_adjust(top=max(0.3, 1 - top_in / h_in), bottom=min(0.5, bottom),
                        left=_auto_left(fig) if left is None else left, right=0.96)


def save_bytes(fig) -> tuple[bytes, bytes]:
    """(SVG, PNG) bytes, deterministic: no date, no software name, fixed hash salt."""
    svg, png = io.BytesIO(), io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "electcheck", "svg.fonttype": "path"}):
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None, "Format": None,
                                                 "Type": None})
        fig.savefig(png, format="png", metadata={"Software": None})
    plt.close(fig)
    return svg.getvalue(), png.getvalue()
