"""``--with-usage`` for HubSpot: fill rates and open records per stage from search totals.

HubSpot has no aggregate queries; its CRM search returns a ``total`` for any filter, so:

* records per object: a search with no filter;
* fill rate of a property: a search for ``HAS_PROPERTY`` divided by the records;
* placeholder share of an enumeration: one search ``IN`` its placeholder-like options ("n/a",
  "tbd", "-", ...) divided by the filled records; an enumeration with no such option has none
  (0.0, no call), since HubSpot accepts only listed options;
* open records per stage: a search ``EQ`` the stage id on ``dealstage`` / ``hs_pipeline_stage``.

What HubSpot cannot give without reading records, and so is never written: the most common
value (one search per option would be needed), median text lengths, and placeholder shares of
free-text properties. Only totals reach the snapshot, never a record.

Search has its own rate limit (plan for at most 4 requests a second per token, api-pull.md §7):
a :class:`Throttle` spaces the searches out. Custom properties are measured first, since they
are the ones a consultant can change.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

#: Values that mean "nobody knew" (issue 6; the REQ placeholder rule uses the same idea).
PLACEHOLDERS = frozenset({"n/a", "na", "tbd", "-", ".", "unknown", "0", "none"})
SEARCHES_PER_SECOND = 4.0
#: The property holding a record's stage, per object with pipelines.
STAGE_PROPERTIES = {"deals": "dealstage", "tickets": "hs_pipeline_stage"}


class Searcher(Protocol):
    def search(self, object_type: str, body: dict[str, Any]) -> Any: ...


class Throttle:
    """At most ``per_second`` calls a second: :meth:`wait` before each. Clock and sleep are
    injectable, so tests check the pauses without waiting."""

    def __init__(self, per_second: float = SEARCHES_PER_SECOND,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], object] = time.sleep) -> None:
        self.interval = 1.0 / per_second
        self.clock = clock
        self.sleep = sleep
        self.next_at: float | None = None

    def wait(self) -> None:
        now = self.clock()
        if self.next_at is not None and now < self.next_at:
            self.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval


@dataclass(frozen=True)
class MeasuredObject:
    """An object to measure: its model name, its API type and its properties (raw JSON)."""

    name: str
    object_type: str
    properties: list[dict[str, Any]]


@dataclass
class Usage:
    objects: dict[str, dict[str, int]] = field(default_factory=dict)
    fields: dict[str, dict[str, float]] = field(default_factory=dict)
    stages: dict[str, dict[str, int]] = field(default_factory=dict)
    searches: int = 0

    def as_document(self, pulled_at: str) -> dict[str, Any]:
        return {"version": 1, "source": "hubspot", "pulled_at": pulled_at,
                "objects": self.objects, "fields": self.fields, "stages": self.stages}


class UsageMeter:
    def __init__(self, client: Searcher, throttle: Throttle) -> None:
        self.client = client
        self.throttle = throttle
        self.usage = Usage()

    def total(self, object_type: str, filters: list[dict[str, Any]]) -> int:
        self.throttle.wait()
        self.usage.searches += 1
        body = {"filterGroups": [{"filters": filters}] if filters else [],
                "properties": ["hs_object_id"], "limit": 1}
        answer = self.client.search(object_type, body)
        total = answer.get("total") if isinstance(answer, dict) else None
        return total if isinstance(total, int) and total >= 0 else 0

    def measure_object(self, measured: MeasuredObject) -> None:
        records = self.total(measured.object_type, [])
        self.usage.objects[measured.name] = {"records": records}
        if records == 0:
            return  # no fill rate of nothing
        for prop in measurement_order(measured.properties):
            self._measure_property(measured, prop, records)

    def _measure_property(self, measured: MeasuredObject, prop: dict[str, Any],
                          records: int) -> None:
        name = str(prop["name"])
        filled = self.total(measured.object_type,
                            [{"propertyName": name, "operator": "HAS_PROPERTY"}])
        figures: dict[str, float] = {"fill_rate": share(filled, records)}
        if prop.get("type") == "enumeration" and filled:
            placeholders = placeholder_values(prop.get("options"))
            counted = self.total(measured.object_type, [
                {"propertyName": name, "operator": "IN", "values": placeholders},
            ]) if placeholders else 0
            figures["placeholder_share"] = share(counted, filled)
        self.usage.fields[f"{measured.name}.{name}"] = figures

    def measure_stages(self, object_name: str, pipelines: Iterable[dict[str, Any]]) -> None:
        stage_property = STAGE_PROPERTIES[object_name]
        for pipeline in pipelines:
            for stage in open_stages(pipeline):
                stage_id = str(stage["id"])
                count = self.total(object_name, [
                    {"propertyName": stage_property, "operator": "EQ", "value": stage_id},
                ])
                key = f"{object_name}.{stage_property}={stage_id}"
                self.usage.stages[key] = {"open_records": count}


def measurement_order(properties: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The properties worth measuring, custom ones first, each group by name.

    Left out: archived properties and those whose value HubSpot sets (ids, create dates,
    calculations: ``modificationMetadata.readOnlyValue``) — nobody fills those in.
    """
    kept = [prop for prop in properties
            if isinstance(prop, dict) and prop.get("name") and not prop.get("archived")
            and not _mapping(prop.get("modificationMetadata")).get("readOnlyValue")]
    return sorted(kept, key=lambda prop: (bool(prop.get("hubspotDefined")), str(prop["name"])))


def placeholder_values(options: Any) -> list[str]:
    """The option values whose value or label reads as a placeholder, in option order."""
    found = []
    for option in options if isinstance(options, list) else []:
        if not isinstance(option, dict) or option.get("value") is None:
            continue
        words = {str(option.get(key, "")).strip().lower() for key in ("value", "label")}
        if words & PLACEHOLDERS:
            found.append(str(option["value"]))
    return found


def open_stages(pipeline: dict[str, Any]) -> list[dict[str, Any]]:
    stages = pipeline.get("stages") if isinstance(pipeline, dict) else None
    kept = []
    for stage in stages if isinstance(stages, list) else []:
        if not isinstance(stage, dict) or stage.get("archived") or stage.get("id") is None:
            continue
        metadata = _mapping(stage.get("metadata"))
        closed = (str(metadata.get("isClosed", "false")).lower() == "true"
                  or str(metadata.get("ticketState", "")).upper() == "CLOSED")
        if not closed:
            kept.append(stage)
    return kept


def share(part: int, whole: int) -> float:
    """``part / whole`` rounded to four places (0 when there is no whole), at most 1."""
    return 0.0 if whole <= 0 else round(min(part / whole, 1.0), 4)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
