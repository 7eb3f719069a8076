"""Notify: render changes (pure), post them to Slack, print them to the terminal.

`render` builds texts and blocks, `slack` is the only module that talks to Slack,
`report` prints tables, JSON and Markdown for the CLI.
"""

from ifo_watch.notify.render import Notifier, TerminalNotifier, headline
from ifo_watch.notify.report import (
    changes_markdown,
    changes_table,
    figures_table,
    history_table,
    to_json,
)
from ifo_watch.notify.slack import (
    SlackSettings,
    error_notifier_from_settings,
    notifier_from_settings,
)

__all__ = [
    "Notifier",
    "SlackSettings",
    "TerminalNotifier",
    "changes_markdown",
    "changes_table",
    "error_notifier_from_settings",
    "figures_table",
    "headline",
    "history_table",
    "notifier_from_settings",
    "to_json",
]
