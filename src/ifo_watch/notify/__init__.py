"""Notify: render changes (pure), compose digests, deliver the outbox to Slack or the terminal.

`render` formats numbers and escapes text, `digest` composes Block Kit digests, `slack`
is the only module that talks to Slack, `delivery` takes the outbox to its destinations,
`report` prints tables, JSON, CSV and Markdown for the CLI, `chart` draws a series,
`feed` writes changes as Atom, `progress` shows a cycle while it runs, and `terminal`
makes page text safe to print.
"""

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
from ifo_watch.notify.progress import (
    LiveProgress,
    PlainProgress,
    cycle_json,
    plural,
    source_line,
    summary_line,
)
from ifo_watch.notify.render import headline
from ifo_watch.notify.report import (
    changes_markdown,
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
from ifo_watch.notify.terminal import clean, columns, console

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
