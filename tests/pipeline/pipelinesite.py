"""The served site of the pipeline tests (its own module: test files import it by name,
which "conftest" would make ambiguous beside the other folders' conftest modules)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pytest_httpserver import HTTPServer


@dataclass
class Site:
    """The served site: its base URL and a sources file pointing at it."""

    server: HTTPServer
    base: str
    sources: Path

    def page(self, path: str, body: str) -> None:
        """Serve another body at a path from now on."""
        self.server.expect_request(path).respond_with_data(
            body.replace("{BASE}", self.base), content_type="text/html; charset=utf-8"
        )
