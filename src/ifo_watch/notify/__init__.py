"""Notify: render changes (pure), compose digests, deliver the outbox to Slack or the terminal.

`render` formats numbers and escapes text, `digest` composes Block Kit digests, `slack`
is the only module that talks to Slack, `delivery` takes the outbox to its destinations,
`report` prints tables, JSON, CSV and Markdown for the CLI, `chart` draws a series,
`feed` writes changes as Atom, `progress` and `live` show a cycle while it runs, and `terminal`
makes page text safe to print.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ifo_watch.notify.chart import history_chart
    from ifo_watch.notify.delivery import (
        ERRORS,
        MAIN,
        DeliveryReport,
        DryRunNotifier,
        Notifier,
        SlackNotifier,
        TerminalNotifier,
        deliver,
        notifier_from_settings,
        route_destinations,
        source_notice,
    )
    from ifo_watch.notify.feed import atom_feed, entry_id
    from ifo_watch.notify.health import stale_line, stale_notice, status_json, status_lines
    from ifo_watch.notify.live import LiveProgress
    from ifo_watch.notify.progress import (
        PlainProgress,
        cycle_json,
        plural,
        source_line,
        summary_line,
    )
    from ifo_watch.notify.render import headline
    from ifo_watch.notify.report import (
        changes_markdown,
        changes_text,
        changes_view,
        decision_lines,
        figures_table,
        history_csv,
        history_heading,
        history_rows,
        history_table,
        metrics_lines,
        to_json,
    )
    from ifo_watch.notify.slack import SlackSettings
    from ifo_watch.notify.terminal import clean, columns, console, plain

# Each name's module loads when the name is first used: printing changes needs
# neither slack-sdk nor the Atom writer (`diff`, `status` and the other commands).
_WHERE: dict[str, tuple[str, str]] = {
    "DeliveryReport": ("delivery", "DeliveryReport"),
    "DryRunNotifier": ("delivery", "DryRunNotifier"),
    "ERRORS": ("delivery", "ERRORS"),
    "LiveProgress": ("live", "LiveProgress"),
    "MAIN": ("delivery", "MAIN"),
    "Notifier": ("delivery", "Notifier"),
    "PlainProgress": ("progress", "PlainProgress"),
    "SlackNotifier": ("delivery", "SlackNotifier"),
    "SlackSettings": ("slack", "SlackSettings"),
    "TerminalNotifier": ("delivery", "TerminalNotifier"),
    "atom_feed": ("feed", "atom_feed"),
    "changes_markdown": ("report", "changes_markdown"),
    "changes_text": ("report", "changes_text"),
    "changes_view": ("report", "changes_view"),
    "clean": ("terminal", "clean"),
    "columns": ("terminal", "columns"),
    "console": ("terminal", "console"),
    "plain": ("terminal", "plain"),
    "cycle_json": ("progress", "cycle_json"),
    "decision_lines": ("report", "decision_lines"),
    "deliver": ("delivery", "deliver"),
    "entry_id": ("feed", "entry_id"),
    "figures_table": ("report", "figures_table"),
    "headline": ("render", "headline"),
    "history_chart": ("chart", "history_chart"),
    "history_csv": ("report", "history_csv"),
    "history_heading": ("report", "history_heading"),
    "history_rows": ("report", "history_rows"),
    "history_table": ("report", "history_table"),
    "metrics_lines": ("report", "metrics_lines"),
    "notifier_from_settings": ("delivery", "notifier_from_settings"),
    "plural": ("progress", "plural"),
    "route_destinations": ("delivery", "route_destinations"),
    "source_line": ("progress", "source_line"),
    "source_notice": ("delivery", "source_notice"),
    "stale_line": ("health", "stale_line"),
    "stale_notice": ("health", "stale_notice"),
    "status_json": ("health", "status_json"),
    "status_lines": ("health", "status_lines"),
    "summary_line": ("progress", "summary_line"),
    "to_json": ("report", "to_json"),
}

__all__ = [
    "ERRORS",
    "MAIN",
    "DeliveryReport",
    "DryRunNotifier",
    "LiveProgress",
    "Notifier",
    "PlainProgress",
    "SlackNotifier",
    "SlackSettings",
    "TerminalNotifier",
    "atom_feed",
    "changes_markdown",
    "changes_text",
    "changes_view",
    "clean",
    "columns",
    "console",
    "cycle_json",
    "decision_lines",
    "deliver",
    "entry_id",
    "figures_table",
    "headline",
    "history_chart",
    "history_csv",
    "history_heading",
    "history_rows",
    "history_table",
    "metrics_lines",
    "notifier_from_settings",
    "plain",
    "plural",
    "route_destinations",
    "source_line",
    "source_notice",
    "stale_line",
    "stale_notice",
    "status_json",
    "status_lines",
    "summary_line",
    "to_json",
]


def __getattr__(name: str) -> Any:
    """Load the module behind a name of the door on its first use."""
    try:
        module, attr = _WHERE[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
