#!/usr/bin/env python3
"""Rebuild ../gold.jsonl and ../negatives.jsonl for batch 32 from the two writers' files.

The script is shared by batches 5 to 19: see ../../merge_writers.py for its inputs, the
fixes it applies and the checks it makes.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from merge_writers import main  # noqa: E402

if __name__ == "__main__":
    main(HERE)
