"""A series drawn as a line chart in the terminal (plotext), periods placed by their dates.

One point per period: where several publications give a figure for one period, the
last in the series (the latest publication) is drawn. Figures without a period have
no place on a time axis and are left out of the chart (the table lists them). The
text is plain: no colour codes, so it reads the same in a pipe, a log or a test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from ifo_watch.models import Observation
from ifo_watch.notify.render import format_number
from ifo_watch.track import period_end

MIN_WIDTH = 40
HEIGHT = 12
_Y_TICKS = 4


def history_chart(series: Sequence[Observation], *, width: int = 80, height: int = HEIGHT) -> str:
    """Return the series as a chart `width` columns wide, or "" with fewer than two periods."""
    points = _points(series)
    if len(points) < 2:
        return ""
    import plotext as plt  # only `history` draws: every other command starts without it

    xs = [x for x, _, _ in points]
    ys = [y for _, y, _ in points]
    plt.clear_figure()
    plt.plotsize(max(MIN_WIDTH, width), height)
    plt.theme("clear")
    plt.plot(xs, ys, marker="braille")
    plt.scatter(xs, ys, marker="●")
    ticks, labels = _x_ticks(points, width=max(MIN_WIDTH, width))
    plt.xticks(ticks, labels)
    yticks, ylabels = _y_ticks(ys)
    plt.yticks(yticks, ylabels)
    if len(yticks) > 1:
        plt.ylim(yticks[0], yticks[-1])
    pad = (xs[-1] - xs[0]) * 0.04
    plt.xlim(xs[0] - pad, xs[-1] + pad)
    lines = plt.uncolorize(plt.build()).splitlines()
    plt.clear_figure()
    return "\n".join(line.rstrip() for line in lines)


def _points(series: Sequence[Observation]) -> list[tuple[float, float, str]]:
    """Return (x as a fractional year, value, period label) per period, oldest first."""
    by_period: dict[str, tuple[float, float]] = {}
    for obs in series:
        period = obs.figure.period
        end = period_end(period)
        if period is None or end is None:
            continue
        by_period[period] = (_year(end), obs.figure.value)
    return sorted((x, y, p) for p, (x, y) in by_period.items())


def _year(day: date) -> float:
    return day.year + (day.timetuple().tm_yday - 1) / 366


def _x_ticks(
    points: list[tuple[float, float, str]], *, width: int
) -> tuple[list[float], list[str]]:
    """Return the ticks whose labels fit side by side: the newest always, then leftwards."""
    span = (points[-1][0] - points[0][0]) or 1.0
    columns = width - 12  # the y labels and the frame
    kept: list[tuple[float, str]] = []
    for x, _, label in reversed(points):
        column = (x - points[0][0]) / span * columns
        if kept:
            last = (kept[-1][0] - points[0][0]) / span * columns
            if last - column < len(label) + 2:
                continue
        kept.append((x, label))
    kept.reverse()
    return [x for x, _ in kept], [label for _, label in kept]


def _y_ticks(ys: list[float]) -> tuple[list[float], list[str]]:
    """Return round ticks around the values: 3 to 5 steps of 1, 2, 2.5 or 5 times a power of ten."""
    low, high = min(ys), max(ys)
    if low == high:
        return [low], [format_number(low)]
    raw = (high - low) / (_Y_TICKS - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    count = math.ceil((high - first) / step - 1e-9)
    values = [first + step * i for i in range(count + 1)]
    return values, [format_number(round(v, 6)) for v in values]
