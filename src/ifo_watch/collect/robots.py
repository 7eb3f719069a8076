"""robots.txt, read once per host per cycle and obeyed (RFC 9309).

A 4xx answer means no rules (fetch anything); a 5xx or an unreachable host means
"complete disallow" for this cycle, as the RFC says; the host is tried again next
cycle. `Crawl-delay` lengthens the pause between requests to the host (capped, so
a hostile file cannot stall a cycle).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

MAX_ROBOTS_BYTES = 512_000
MAX_CRAWL_DELAY = 30.0


@dataclass(frozen=True)
class Robots:
    """The rules of one host for one agent."""

    parser: RobotFileParser | None  # None: no rules, everything allowed
    disallow_all: str | None = None  # why nothing may be fetched this cycle
    crawl_delay: float | None = None

    def allows(self, url: str, agent: str) -> bool:
        """Return True when the rules let `agent` fetch `url`."""
        if self.disallow_all is not None:
            return False
        return self.parser is None or self.parser.can_fetch(agent, url)


def parse_robots(text: str, agent: str) -> Robots:
    """Return the rules of a robots.txt body for `agent` (the product token of the User-Agent)."""
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    delay = parser.crawl_delay(agent)
    seconds = min(float(delay), MAX_CRAWL_DELAY) if delay is not None else None
    return Robots(parser, crawl_delay=seconds)


def no_rules() -> Robots:
    """Return the rules of a host without a robots.txt: everything allowed."""
    return Robots(None)


def unreachable(reason: str) -> Robots:
    """Return the rules of a host whose robots.txt could not be read: nothing allowed."""
    return Robots(None, disallow_all=reason)


def agent_token(user_agent: str) -> str:
    """Return the product token robots.txt groups name ("ifo-watch" of "ifo-watch/0.1 (+...)")."""
    return user_agent.split("/", 1)[0].split(" ", 1)[0].strip() or "*"
