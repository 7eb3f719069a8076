"""Notify: render changes (pure), compose digests, deliver the outbox to Slack or the terminal.

`render` formats numbers and escapes text, `digest` composes Block Kit digests, `slack`
is the only module that talks to Slack, `delivery` takes the outbox to its destinations,
`report` prints tables, JSON and Markdown for the CLI.
"""

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
from ifo_watch.notify.health import stale_line, stale_notice, status_json, status_lines
from ifo_watch.notify.render import headline
from ifo_watch.notify.report import (
    changes_markdown,
    changes_table,
    figures_table,
    history_table,
    to_json,
)
from ifo_watch.notify.slack import SlackSettings

__all__ = [
    "ERRORS",
    "MAIN",
    "DeliveryReport",
    "DryRunNotifier",
    "Notifier",
    "SlackNotifier",
    "SlackSettings",
    "TerminalNotifier",
    "changes_markdown",
    "changes_table",
    "deliver",
    "figures_table",
    "headline",
    "history_table",
    "notifier_from_settings",
    "route_destinations",
    "source_notice",
    "stale_line",
    "stale_notice",
    "status_json",
    "status_lines",
    "to_json",
]
