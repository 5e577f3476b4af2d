"""No active duplicate rule guards accounts, contacts or leads.

**Why it matters.** Duplicates are the first thing users notice in a new CRM: two accounts for
one customer, each with half the history. Reports double-count, owners step on each other, and
trust goes. A duplicate rule (with its matching rule) warns or blocks at save time, before the
damage; cleaning afterwards costs far more.

Checked objects, each only when the configuration has it:

- **Salesforce**: Account, Contact and Lead need an active duplicate rule (a matching rule on
  its own does nothing at save time). New orgs come with standard duplicate rules switched on,
  but a project that does not hold them cannot show they are still on: retrieve them
  (``DuplicateRule:Account.Standard_Account_Duplicate_Rule`` and friends) so that the safeguard
  is versioned with the rest of the configuration.
- **HubSpot**: contacts are never reported — HubSpot refuses a second contact with the same
  email everywhere. Companies are reported unless a duplicate rule is declared for them:
  HubSpot matches companies by domain on imports and automatic company creation only, and
  companies created by hand or through the API with an existing domain become duplicates.
  Declare what guards them (a duplicate-management tool, a de-duplication app, a workflow) as a
  ``duplicate_rules`` entry on ``companies``.
- **cfglint YAML** lists duplicate rules explicitly, so no entry means no rule.

**Failing example**

```yaml
objects:
  Account: {fields: {Name: text}}
```

**Passing example**

```yaml
objects:
  Account:
    fields: {Name: text}
    duplicate_rules:
      Account_Name_Website: {action_on_insert: Block, matching_rules: [Account_Name_Website]}
    matching_rules:
      Account_Name_Website: {fields: [Name, Website]}
```

**How to fix.** In Salesforce Setup, activate (or create) a matching rule and a duplicate rule
for the object — the standard ones are a good start — and retrieve both into the project. In
HubSpot, set up duplicate management for companies and declare it in the YAML.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import CrmObject, Org
from cfglint.rules.base import Options, Problem

ID = "DATA001"
NAME = "data.no-duplicate-rules"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {}

#: Objects that need a duplicate rule, per platform, with the word for their records.
GUARDED_OBJECTS: dict[str, dict[str, str]] = {
    "salesforce": {"Account": "accounts", "Contact": "contacts", "Lead": "leads"},
    # HubSpot contacts are unique by email natively; see the docstring.
    "hubspot": {"companies": "companies"},
}

HUBSPOT_COMPANIES_NOTE = (
    "HubSpot matches companies by domain only on imports and automatic company creation, so "
    "companies created by hand or through the API can be duplicates"
)


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    for object_name, records in sorted(GUARDED_OBJECTS.get(org.platform, {}).items()):
        crm_object = org.objects.get(object_name)
        if crm_object is None:
            continue
        rules = [rule for rule in org.duplicate_rules.values() if rule.object_name == object_name]
        if any(rule.active for rule in rules):
            continue
        yield _problem(org, crm_object, records, sorted(rule.name for rule in rules))


def _problem(org: Org, crm_object: CrmObject, records: str, inactive: list[str]) -> Problem:
    name = crm_object.name
    matching = sorted(
        rule.name for rule in org.matching_rules.values() if rule.object_name == name
    )
    if org.platform == "hubspot":
        message = f"{name} has no duplicate rule: {HUBSPOT_COMPANIES_NOTE}"
    else:
        message = f"{name} has no active duplicate rule: duplicate {records} are saved unchecked"
    if inactive:
        message += f" (inactive duplicate rules: {', '.join(inactive)})"
    elif matching:
        message += f" (matching rules used by no duplicate rule: {', '.join(matching)})"
    return Problem(
        element_id=crm_object.id,
        message=message,
        location=crm_object.location,
        data={"inactive_duplicate_rules": inactive, "matching_rules": matching},
    )
