"""Print the figures of one document as JSON, for score_extraction.py --cmd.

Usage: .venv/bin/python bench/extract_json.py PATH
Same output as `ifo-watch extract PATH --format json`, without the CLI in between.
"""

from __future__ import annotations

import json
import sys

from ifo_watch.collect.documents import load
from ifo_watch.extract.figures import extract


def main(path: str) -> None:
    """Load a document, extract its figures and print them as a JSON array."""
    figures = extract(load(path))
    print(json.dumps([f.to_json() for f in figures], ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
