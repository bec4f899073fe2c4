"""The chat chart: a real PNG, wide enough for a phone, fast for a big city."""

from __future__ import annotations

import struct

from core.summary import build_summary
from reports.progress_chart import render_progress_png
from tests.summary.fixtures import (
    GENERATED_AT,
    INDICATORS,
    MEASURES,
    PLAN,
    Q1,
    q1_summary,
    synthetic_summary,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_SIGNATURE
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def test_chart_is_a_png_wide_enough_for_a_phone() -> None:
    width, height = _size(render_progress_png(q1_summary()))

    assert width >= 800
    assert 200 <= height <= width * 2


def test_chart_grows_with_the_number_of_sections() -> None:
    _, small = _size(render_progress_png(q1_summary()))
    _, large = _size(render_progress_png(synthetic_summary(20, 60)))  # ten sections

    assert large > small


def test_chart_of_an_empty_summary_still_renders() -> None:
    summary = build_summary(
        period=Q1,
        plan=PLAN,
        measures=[],
        enterprises=[],
        reports=[],
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )
    assert _size(render_progress_png(summary))[0] >= 800
    assert MEASURES  # the fixture plan itself is not empty; this summary is


def test_chart_for_400_enterprises_and_60_measures_stays_a_phone_sized_image() -> None:
    """Its speed is measured in bench/summary_scale.py; here: a big city still gets one chart."""
    png = render_progress_png(synthetic_summary(400, 60))
    width, height = struct.unpack(">II", png[16:24])
    assert png.startswith(b"\x89PNG") and 800 <= width <= 2400 and height <= 3000
