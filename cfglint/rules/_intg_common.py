"""What the INTG rules share: which integration kinds capture which activity."""

from __future__ import annotations

#: Activity channel -> the integration kinds that capture it automatically. Einstein Activity
#: Capture and similar products capture both, and are declared as ``activity-capture``.
CAPTURE_KINDS: dict[str, frozenset[str]] = {
    "email": frozenset({"email-capture", "activity-capture"}),
    "calendar": frozenset({"calendar-sync", "activity-capture"}),
}

#: The kind to declare for each channel, as the YAML format names it.
DECLARED_KIND: dict[str, str] = {"email": "email-capture", "calendar": "calendar-sync"}

#: What is lost without capture, per channel.
LOST: dict[str, str] = {
    "email": "emails with customers stay out of the CRM unless reps log each one by hand",
    "calendar": "meetings stay out of the CRM unless reps log each one by hand",
}
