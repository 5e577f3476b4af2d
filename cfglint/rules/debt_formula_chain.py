"""A formula field on a chain of formula fields deeper than `max-depth`.

**Why it matters.** Each formula that reads another formula hides the logic one level further
away. To know what `Net_Margin__c` shows, an admin opens it, then the three formulas it reads,
then the formulas those read. Every level multiplies the ways a change breaks something, and
Salesforce compiles the whole chain into one expression: deep chains hit the 5,000-character
compiled-size limit and slow every query and report that touches the field. "Formulas on
formulas" is one of the classic customization-debt smells.

**What is checked.** The depth of each formula field (roll-up summaries count as formulas): a
formula over plain fields has depth 1, a formula that reads it depth 2, and so on along the
longest chain. A field deeper than `max-depth` is reported with the chain, innermost first.
Fields of installed packages (namespaced names) are skipped unless `include-managed` is set.

**Failing example**

```yaml
fields:
  F1__c: {type: formula, formula: Amount * 2}
  F2__c: {type: formula, formula: F1__c + 1}
  F3__c: {type: formula, formula: F2__c * F1__c}
  F4__c: {type: formula, formula: IF(F3__c > 10, F3__c, 0)}   # depth 4
```

**Passing example**: `F4__c` computed from `Amount` directly,
`IF(Amount * 2 * (Amount * 2 + 1) > 10, ...)`, or the intermediate values stored by a
before-save flow.

**How to fix.** Flatten the chain: compute the final value from plain fields, or have one
before-save flow store intermediate results in real fields, which reports can also use.
Delete intermediate formulas that nothing else reads (see `cfglint impact`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Org
from cfglint.rules._debt_common import is_namespaced
from cfglint.rules.base import Options, Problem

ID = "DEBT010"
NAME = "debt.formula-chain"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "max-depth": {
        "type": "integer",
        "minimum": 1,
        "default": 3,
        "description": "Report a formula field on a chain of more formula fields than this.",
    },
    "include-managed": {
        "type": "boolean",
        "default": False,
        "description": "Also report fields of installed packages (namespaced names).",
    },
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    # Imported here: the graph brings in networkx, which a cached lint never needs.
    from cfglint.graph import NodeKind, graph_for

    dependency_graph = graph_for(org, graph)
    limit = int(options["max-depth"])
    include_managed = options["include-managed"]
    for field_id in dependency_graph.nodes_of_kind(
            NodeKind.FIELD, where=lambda _, data: data.get("formula") and data["declared"]):
        if not include_managed and is_namespaced(field_id.partition(".")[2]):
            continue
        chain = dependency_graph.formula_chain(field_id)
        if len(chain) <= limit:
            continue
        yield Problem(
            element_id=field_id,
            message=(f"formula field {field_id} is {len(chain)} formulas deep "
                     f"(max {limit}): {' -> '.join(chain)}"),
            location=dependency_graph.location(field_id),
            data={"depth": len(chain), "max": limit, "chain": chain},
        )
