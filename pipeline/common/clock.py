"""The time as the pipeline records and shows it: local time to the second, ISO 8601
(the ledger's receipts and judgements, the run report, the book's and pantau's stamps)."""

from __future__ import annotations

import time


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime())
