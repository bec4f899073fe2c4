"""A PNG chart of the summary for the chat: status shares per section, readable on a phone."""

from __future__ import annotations

import io
import textwrap

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from core.models import MeasureStatus
from core.summary import Summary
from reports.summary_digest import period_label, status_label, word
from templates import render

# Same colours as the XLSX matrix, a little stronger so they survive a dark chat theme.
_COLOURS: dict[MeasureStatus | None, str] = {
    MeasureStatus.DONE: "#4CAF50",
    MeasureStatus.IN_PROGRESS: "#FFC107",
    MeasureStatus.NOT_DONE: "#E53935",
    MeasureStatus.NOT_APPLICABLE: "#B0BEC5",
    None: "#FF8A65",
}
_STATUS_ORDER: tuple[MeasureStatus | None, ...] = (*MeasureStatus, None)
WIDTH_INCHES = 10.0
DPI = 110
_LABEL_WIDTH = 28  # characters per line of a section label
_LABEL_LINES = 2


def _section_label(number: str, title: str) -> str:
    lines = textwrap.wrap(f"{number} {title}".strip(), _LABEL_WIDTH) or [""]
    if len(lines) > _LABEL_LINES:
        lines = lines[:_LABEL_LINES]
        lines[-1] = lines[-1][: _LABEL_WIDTH - 1] + "…"
    return "\n".join(lines)


def render_progress_png(summary: Summary) -> bytes:
    """One horizontal bar per section: the share of each status among its answers, in %.

    Uses Figure with the Agg canvas directly (no pyplot), so it is thread-safe and leaves no
    open figures behind.
    """
    sections = summary.sections
    rows = max(len(sections), 1)
    figure = Figure(figsize=(WIDTH_INCHES, 1.6 + 0.75 * rows), dpi=DPI)
    FigureCanvasAgg(figure)  # attaches the Agg canvas; no pyplot, no global state
    axes = figure.add_subplot()

    labels = [_section_label(s.number, s.title) for s in sections]
    positions = list(range(len(sections)))
    left = [0.0] * len(sections)
    for status in _STATUS_ORDER:
        shares = []
        for section in sections:
            counts = section.counts
            shares.append(100.0 * counts.of(status) / counts.total if counts.total else 0.0)
        bars = axes.barh(
            positions,
            shares,
            left=left,
            color=_COLOURS[status],
            label=status_label(status),
            height=0.7,
        )
        for bar, share in zip(bars, shares, strict=True):
            if share >= 8:  # narrower segments cannot hold a readable number
                axes.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    f"{share:.0f}",
                    ha="center",
                    va="center",
                    fontsize=11,
                )
        left = [a + b for a, b in zip(left, shares, strict=True)]

    axes.set_yticks(positions, labels, fontsize=12)
    axes.invert_yaxis()  # the first section on top, as in the plan
    axes.set_xlim(0, 100)
    axes.set_xlabel(word("chart_axis"), fontsize=12)
    axes.tick_params(axis="x", labelsize=11)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    title = render(
        "summary/chart_title.txt",
        submission=summary.submission,
        period_label=period_label(summary.period),
    )
    figure.suptitle(title, fontsize=16, fontweight="bold")
    figure.legend(
        loc="lower center",
        ncol=len(_STATUS_ORDER),
        fontsize=10,
        frameon=False,
        handlelength=1.2,
        columnspacing=1.0,
    )
    figure.tight_layout(rect=(0, 0.07, 1, 0.95))

    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
