"""The report tests' month."""

from __future__ import annotations

from datetime import UTC, datetime

MONTH = "2025-03"
MONTH_START = datetime(2025, 2, 28, 17, 0, tzinfo=UTC)  # 1 March 00:00 WIB
