"""How long to wait before asking a rate-limited or failing API again.

Both vendors answer 429 when a rate limit is hit and 5xx when something is briefly wrong; both
may say how long to wait in ``Retry-After`` (RFC 9110: a number of seconds or an HTTP date).
When they say, we wait that long; otherwise we back off exponentially, with jitter so that
several pulls started together do not retry in step.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

#: HTTP statuses worth asking again for: rate limited, or a server that may recover.
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Delta-seconds; float() alone would also take "nan", "inf" and "1e9".
_SECONDS = re.compile(r"\d+(\.\d+)?")


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class RetryPolicy:
    """``max_attempts`` counts the first request: 5 means one request and up to four retries.

    ``sleep``, ``random`` and ``now`` are injectable so tests run without waiting.
    """

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    jitter: bool = True
    sleep: Callable[[float], object] = time.sleep
    #: A server's ``Retry-After`` is honoured up to this many seconds (a misconfigured proxy
    #: saying "come back tomorrow" should end the pull through max_attempts, not hang it).
    max_retry_after: float = 300.0
    random: Callable[[], float] = field(default=random.random, repr=False)
    now: Callable[[], datetime] = field(default=_utc_now, repr=False)

    def should_retry(self, attempt: int, status: int) -> bool:
        """Whether attempt number ``attempt`` (1-based), answered ``status``, gets another."""
        return attempt < self.max_attempts and status in TRANSIENT_STATUSES

    def delay_for(self, attempt: int, retry_after_header: str | None = None) -> float:
        """Seconds to wait after attempt number ``attempt`` (1-based) failed."""
        told = self.retry_after_seconds(retry_after_header)
        if told is not None:
            return min(told, self.max_retry_after)
        backoff = min(self.base_delay * 2.0 ** max(attempt - 1, 0), self.max_delay)
        if not self.jitter:
            return backoff
        # "Equal jitter": never less than half the backoff, so retries still slow down.
        return backoff / 2 + self.random() * backoff / 2

    def retry_after_seconds(self, header: str | None) -> float | None:
        """A ``Retry-After`` value in seconds (never negative), or None if absent or unreadable."""
        if header is None or not header.strip():
            return None
        text = header.strip()
        if _SECONDS.fullmatch(text):
            return float(text)
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # RFC 9110 dates are GMT; some servers omit the zone
            when = when.replace(tzinfo=timezone.utc)
        return max((when - self.now()).total_seconds(), 0.0)
