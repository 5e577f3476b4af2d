"""``--with-usage`` for Salesforce: aggregate SOQL only, never a record (api-pull.md §4).

Per object, from its describe:

* records and fill rates: one ``SELECT COUNT(Id) total, COUNT(f) c0, ... FROM X`` per
  :data:`COUNTS_PER_QUERY` nillable, aggregatable fields (``COUNT(f)`` counts non-null values);
* nillable fields that are filterable but not aggregatable (multi-select picklists):
  ``SELECT COUNT() FROM X WHERE f != null`` each;
* long text, rich text and other fields that are neither: unmeasurable without reading records,
  which cfglint never does — listed as skipped in the manifest;
* required picklists and short text fields: ``SELECT f v, COUNT(Id) n ... GROUP BY f`` gives the
  share of the most common value and of placeholder values ("n/a", "tbd", "-", ...). Only a
  picklist's top value is stored: a text field's values are customer data;
* open records per stage (``Opportunity.StageName``, ``Lead.Status``, ``Case.Status``).

Counts follow the running user's sharing: pull as a user with View All Data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

#: ``COUNT(f)`` terms per aggregate query: keeps the query URL far below Salesforce's 16 KB.
COUNTS_PER_QUERY = 150
#: GROUP BY rows read per field: Salesforce answers aggregate queries with at most 2,000 rows.
GROUP_LIMIT = 2000
#: A short text field holds at most this many characters; longer ones are free text.
SHORT_TEXT_LENGTH = 255
#: Values that stand for "nothing entered", compared trimmed and in lower case.
PLACEHOLDERS = frozenset({"n/a", "na", "tbd", "-", ".", "unknown", "0", "none", "?"})
#: Object -> (stage field, condition for an open record).
STAGE_FIELDS: dict[str, tuple[str, str]] = {
    "Opportunity": ("StageName", "IsClosed = false"),
    "Lead": ("Status", "IsConverted = false"),
    "Case": ("Status", "IsClosed = false"),
}
PICKLIST_TYPES = frozenset({"picklist"})
SHORT_TEXT_TYPES = frozenset({"string", "email", "phone", "url"})
#: Types that have no single value to count: compounds are counted through their components.
UNCOUNTED_TYPES = frozenset({"address", "location", "id"})
DECIMALS = 4


class QueryClient(Protocol):
    def query(self, query: str) -> Any: ...

    def query_all(self, query: str) -> Any: ...


@dataclass
class UsageResult:
    objects: dict[str, dict[str, int]] = field(default_factory=dict)
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    stages: dict[str, dict[str, int]] = field(default_factory=dict)
    #: (field id, why) for every field that could not be measured.
    unmeasured: list[tuple[str, str]] = field(default_factory=list)

    def as_document(self, pulled_at: str) -> dict[str, Any]:
        return {"version": 1, "source": "salesforce", "pulled_at": pulled_at,
                "objects": self.objects, "fields": self.fields, "stages": self.stages}


def measure(client: QueryClient, describes: dict[str, dict[str, Any]],
            required_elsewhere: set[str],
            progress: Callable[[str], None] | None = None) -> UsageResult:
    """Usage figures for every queryable object in ``describes``.

    ``required_elsewhere`` holds ids of fields a layout requires; with the fields the API
    requires they are the ones whose placeholder share is measured.
    """
    result = UsageResult()
    for name in sorted(describes):
        describe = describes[name]
        if describe.get("queryable") is False:
            continue
        if progress is not None:
            progress(name)
        _measure_object(client, name, describe, required_elsewhere, result)
    return result


def _measure_object(client: QueryClient, name: str, describe: dict[str, Any],
                    required_elsewhere: set[str], result: UsageResult) -> None:
    fields = [entry for entry in describe.get("fields", []) if isinstance(entry, dict)]
    aggregated = [entry["name"] for entry in fields if _nillable(entry)
                  and entry.get("aggregatable") is True]
    total, counts = _aggregate_counts(client, name, aggregated)
    result.objects[name] = {"records": total}
    for entry in fields:
        field_id = f"{name}.{entry['name']}"
        if not _nillable(entry):
            continue  # always filled: nothing to measure
        if entry["name"] in counts:
            filled: int | None = counts[entry["name"]]
        elif entry.get("filterable") is True:
            filled = _count(client, f"SELECT COUNT() FROM {name} WHERE {entry['name']} != null")
        else:
            result.unmeasured.append((field_id, "not filterable (long or rich text): only "
                                      "reading records could measure it"))
            continue
        figures = result.fields.setdefault(field_id, {})
        if total and filled is not None:
            figures["fill_rate"] = _share(filled, total)
    for entry in fields:
        if _wants_value_shares(name, entry, required_elsewhere):
            _value_shares(client, name, entry, result)
    if name in STAGE_FIELDS and any(entry["name"] == STAGE_FIELDS[name][0] for entry in fields):
        _open_records(client, name, result)
    result.fields = {key: value for key, value in result.fields.items() if value}


def _nillable(entry: dict[str, Any]) -> bool:
    return entry.get("nillable") is True and str(entry.get("type")) not in UNCOUNTED_TYPES


def _aggregate_counts(client: QueryClient, name: str,
                      field_names: list[str]) -> tuple[int, dict[str, int]]:
    """Records of the object and non-null values per field, in as few queries as fit."""
    counts: dict[str, int] = {}
    total = 0
    for chunk in _chunks(field_names, COUNTS_PER_QUERY) or [[]]:
        terms = ", ".join(f"COUNT({field_name}) c{index}"
                          for index, field_name in enumerate(chunk))
        soql = f"SELECT COUNT(Id) total{', ' if terms else ''}{terms} FROM {name}"
        row = _first_row(client.query_all(soql))
        total = int(row.get("total") or 0)
        for index, field_name in enumerate(chunk):
            counts[field_name] = int(row.get(f"c{index}") or 0)
    return total, counts


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[start:start + size] for start in range(0, len(items), size)]


def _first_row(answer: Any) -> dict[str, Any]:
    records = answer.get("records") if isinstance(answer, dict) else None
    if records and isinstance(records[0], dict):
        return dict(records[0])
    return {}


def _count(client: QueryClient, soql: str) -> int:
    # query, not query_all: query_all recounts totalSize from the records, and COUNT() has none.
    answer = client.query(soql)
    return int(answer.get("totalSize") or 0) if isinstance(answer, dict) else 0


def _wants_value_shares(name: str, entry: dict[str, Any], required_elsewhere: set[str]) -> bool:
    field_type = str(entry.get("type"))
    short_text = field_type in SHORT_TEXT_TYPES and int(entry.get("length") or 0) <= \
        SHORT_TEXT_LENGTH
    if not (field_type in PICKLIST_TYPES or short_text) or entry.get("groupable") is not True:
        return False
    api_required = (entry.get("nillable") is False and entry.get("createable") is True
                    and entry.get("defaultedOnCreate") is not True)
    return api_required or f"{name}.{entry['name']}" in required_elsewhere


def _value_shares(client: QueryClient, name: str, entry: dict[str, Any],
                  result: UsageResult) -> None:
    field_name = entry["name"]
    soql = (f"SELECT {field_name} v, COUNT(Id) n FROM {name} WHERE {field_name} != null "
            f"GROUP BY {field_name} ORDER BY COUNT(Id) DESC LIMIT {GROUP_LIMIT}")
    groups = _groups(client.query_all(soql))
    filled = sum(count for _, count in groups)
    if not filled:
        return
    figures = result.fields.setdefault(f"{name}.{field_name}", {})
    placeholders = sum(count for value, count in groups
                       if value.strip().lower() in PLACEHOLDERS)
    figures["placeholder_share"] = _share(placeholders, filled)
    # The most common value; a tie goes to the alphabetically first, for the same bytes.
    top_value, top_count = min(groups, key=lambda group: (-group[1], group[0]))
    figures["top_value_share"] = _share(top_count, filled)
    if str(entry.get("type")) in PICKLIST_TYPES:
        figures["top_value"] = top_value  # a configured value, never free text


def _groups(answer: Any) -> list[tuple[str, int]]:
    records: Iterable[Any] = answer.get("records", []) if isinstance(answer, dict) else []
    return [(str(record.get("v")), int(record.get("n") or 0)) for record in records
            if isinstance(record, dict) and record.get("v") is not None]


def _open_records(client: QueryClient, name: str, result: UsageResult) -> None:
    field_name, open_condition = STAGE_FIELDS[name]
    soql = (f"SELECT {field_name} v, COUNT(Id) n FROM {name} WHERE {open_condition} "
            f"GROUP BY {field_name}")
    for value, count in sorted(_groups(client.query_all(soql))):
        result.stages[f"{name}.{field_name}={value}"] = {"open_records": count}


def _share(part: int, whole: int) -> float:
    return round(min(part / whole, 1.0), DECIMALS)
