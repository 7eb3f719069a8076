"""The exception tree: one base class, turned into one line only at the edges."""

from __future__ import annotations


class IfoWatchError(Exception):
    """Base of every error ifo-watch raises on purpose."""


class UsageError(IfoWatchError):
    """Wrong usage or unreadable input: exit status 2."""


class DocumentError(UsageError):
    """A file or response that is not a readable document."""


class SourcesError(UsageError):
    """A sources file that cannot be read or is invalid."""


class FetchError(IfoWatchError):
    """A URL that could not be fetched (network, HTTP status, size cap)."""


class NotifyError(IfoWatchError):
    """A notification that could not be delivered."""


class StoreError(IfoWatchError):
    """The state database is unusable."""


class StateBusy(StoreError):
    """Another watch cycle holds the state folder (the state has one writer)."""
