"""A custom field nothing uses: on no view, in no report, read or written by nothing.

**Why it matters.** Orphan fields are what is left of abandoned projects and "we might need
it" requests. Each one still costs: it counts toward the object's custom-field limit, shows up
in every field picker, report builder and data export, and makes admins wonder whether it is
safe to delete — so nobody does, and the org keeps growing. A field that no page shows can only
be filled by an integration or code; if it is also empty, it is dead.

**What is checked.** A custom field with no dependent at all in the dependency graph: no layout,
Lightning page, compact layout, field set, quick action or list view shows it; no report,
formula, validation rule, duplicate-matching rule, pipeline stage, role, dependent picklist or
automation reads or writes it. With usage data (`--usage`, `fields.<id>.fill_rate`), a field
filled in more than `max-fill-rate` of records is not reported: something fills it. The rule
works without usage data, and then says it could not check whether the field is empty.

Fields of installed packages (namespaced names) are skipped unless `include-managed` is set,
and so are fields of custom metadata types (`__mdt`) and platform events (`__e`), which code
uses by design, and fields of objects none of whose views are in the project (custom settings,
which have no layouts, or a project that does not carry the object's layouts): whether those
are shown cannot be told. cfglint does not read Apex, Visualforce, Lightning components or
integrations: a field only code uses is reported, and the message says so — check before
deleting it.

**Failing example**

```yaml
objects:
  Invoice__c:
    fields:
      Legacy_Code__c: text     # on no view, in no report, read by nothing
```

**Passing example**: the same field on the invoice layout, or read by a formula or a report.

**How to fix.** Search the code base for the field name (Apex, LWC, Visualforce, integration
mappings). If nothing uses it, export its data if it has any, remove it from profiles, and
delete it; otherwise put it where the people who need it see it, and document it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from cfglint.model import Org, ViewKind
from cfglint.rules._debt_common import is_namespaced
from cfglint.rules.base import Options, Problem

ID = "DEBT011"
NAME = "debt.orphan-field"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "max-fill-rate": {
        "type": "number",
        "minimum": 0,
        "maximum": 1,
        "default": 0,
        "description": "With usage data, report only fields filled in at most this share of "
        "records.",
    },
    "include-managed": {
        "type": "boolean",
        "default": False,
        "description": "Also report fields of installed packages (namespaced names).",
    },
}

#: Objects whose fields code reads by design: custom metadata types and platform events.
CODE_OBJECT_SUFFIXES = ("__mdt", "__e")


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    # Imported here: the graph brings in networkx, which a cached lint never needs.
    from cfglint.graph import NodeKind, graph_for

    dependency_graph = graph_for(org, graph)
    fill_rates = _fill_rates(options)
    limit = float(options["max-fill-rate"])
    predecessors = dependency_graph.graph.pred
    # A marketing form says nothing about what reps see on a record.
    with_views = {view.object_name for view in org.views.values()
                  if view.kind is not ViewKind.FORM}
    include_managed = options["include-managed"]
    # Most fields are read by something (a view at least): testing that first spares the model
    # look-ups for them. An empty predecessor entry: nothing depends on the field.
    for field_id in dependency_graph.nodes_of_kind(
            NodeKind.FIELD, where=lambda node_id, _: not predecessors[node_id]):
        model_field = org.field(field_id)
        if model_field is None or not model_field.custom or model_field.system:
            continue
        object_name = model_field.object_name
        if object_name.endswith(CODE_OBJECT_SUFFIXES) or object_name not in with_views:
            continue
        if not include_managed and is_namespaced(model_field.name):
            continue
        fill_rate = fill_rates.get(field_id) if fill_rates is not None else None
        if fill_rate is not None and fill_rate > limit:
            continue
        yield Problem(
            element_id=field_id,
            message=_message(field_id, fill_rates is not None, fill_rate),
            location=model_field.location,
            data={"fill_rate": fill_rate},
        )


def _message(field_id: str, has_usage: bool, fill_rate: float | None) -> str:
    text = (f"custom field {field_id} is used by nothing cfglint can see (no view, report, "
            "list view, field set, formula, rule or automation)")
    if fill_rate is not None:
        return text + f", and it is {_percent(fill_rate)} filled"
    if has_usage:
        return text + "; the usage data has no fill rate for it"
    return text + "; check code and integrations before deleting it"


def _percent(share: float) -> str:
    value = round(share * 100, 1)
    return f"{value:g}%"


def _fill_rates(options: Options) -> dict[str, float] | None:
    """Fill rate per field id from the usage side input, or ``None`` without usage data."""
    usage = getattr(options.get("_inputs"), "usage", None)
    if usage is None:
        return None
    fields = usage.get("fields") if isinstance(usage, Mapping) else getattr(usage, "fields", None)
    rates: dict[str, float] = {}
    if isinstance(fields, Mapping):
        for field_id, entry in fields.items():
            rate = entry.get("fill_rate") if isinstance(entry, Mapping) else getattr(
                entry, "fill_rate", None)
            if isinstance(rate, int | float) and not isinstance(rate, bool):
                rates[str(field_id)] = float(rate)
    return rates
