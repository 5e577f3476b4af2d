"""A formula, validation rule, flow or workflow rule hard-codes a Salesforce record id.

**Why it matters.** Record ids differ between production and every sandbox, and a record that is
deleted and re-created gets a new one. A rule that compares `$User.ProfileId` with
`"00e5g000004XyZ1AAK"` silently stops working after a refresh, a deployment to another org or a
profile clean-up, and nobody reading it can tell which profile was meant.

cfglint looks for 15- and 18-character ids in field formulas and default values, validation
rule formulas, flow formulas, filters and literal values, and workflow criteria and field
updates. A string counts as an id when it has the shape Salesforce gives them: a three-character
key prefix (`001` Account, `005` User, `00e` Profile, `012` RecordType, ...), a two-character
instance code and `00` (a reserved character and the start of the record counter); an
18-character id must also end in the right checksum. Ordinary words and numbers do not have that
shape.

**Failing example**

```xml
<errorConditionFormula>AND(
    Discount_Percent__c &gt; 0.2,
    $User.ProfileId &lt;&gt; &quot;00e5g000004XyZ1AAK&quot;
)</errorConditionFormula>
```

**Passing example**

```xml
<errorConditionFormula>AND(
    Discount_Percent__c &gt; 0.2,
    NOT($Permission.Approve_Large_Discounts)
)</errorConditionFormula>
```

**How to fix.** Refer to the record by something stable: a custom permission
(`$Permission.Name`), a profile or role name (`$Profile.Name`), a record type's developer name,
a custom metadata record or a custom label that holds the value per org; in flows, look the
record up by its name or developer name with Get Records.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator
from typing import Any

from cfglint.model import Org, SourceLocation
from cfglint.rules._debt_common import describe
from cfglint.rules.base import Options, Problem

ID = "DEBT005"
NAME = "debt.hard-coded-id"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "allowed-ids": {
        "type": "array",
        "items": {"type": "string", "pattern": "^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$"},
        "uniqueItems": True,
        "default": [],
        "description": "Ids that may appear (15- or 18-character; either form allows both).",
    },
}

#: Key prefixes (the first three characters of an id) of the records most often hard-coded.
KEY_PREFIXES: dict[str, str] = {
    "001": "Account", "003": "Contact", "005": "User", "006": "Opportunity",
    "00D": "Organization", "00E": "UserRole", "00G": "Group or queue", "00N": "CustomField",
    "00O": "Report", "00Q": "Lead", "00T": "Task", "00U": "Event", "00X": "EmailTemplate",
    "00e": "Profile", "00h": "Layout", "00l": "Folder", "012": "RecordType", "015": "Document",
    "01I": "CustomObject", "01Z": "Dashboard", "01p": "ApexClass", "01q": "ApexTrigger",
    "01s": "Pricebook2", "01t": "Product2", "02i": "Asset", "0PS": "PermissionSet",
    "0Q0": "Quote", "500": "Case", "701": "Campaign", "800": "Contract", "801": "Order",
}

# A run of exactly 15 or 18 letters and digits, not part of a longer name.
_CANDIDATE = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?(?![A-Za-z0-9_])")

_CHECKSUM_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    allowed = {value[:15] for value in options["allowed-ids"]}
    found = []
    for element_id, what, texts, location in _sources(org):
        ids = [record_id for record_id in record_ids(texts) if record_id[:15] not in allowed]
        if ids:
            found.append((element_id, what, ids, location))
    # Sorted after the search, which keeps few sources: a stable sort gives the order that
    # sorting every source first gave.
    found.sort(key=operator.itemgetter(0))
    for element_id, what, ids, location in found:
        yield _problem(element_id, what, ids, location)


def _sources(
    org: Org,
) -> Iterator[tuple[str, str, list[str], SourceLocation | None]]:
    """(element id, how to name it, the texts to search, location) of everything with formulas
    or literal values."""
    for field in org.fields():
        if field.formula or field.default:  # most fields have neither: no list for them
            texts = [text for text in (field.formula, field.default) if text]
            field_id = field.id
            yield field_id, f"field {field_id}", texts, field.location
    for rule in org.validation_rules():
        if rule.formula:
            name = f"validation rule {rule.object_name}.{rule.name}"
            yield rule.id, name, [rule.formula], rule.location
    for automation_id, automation in org.automations.items():
        texts = [*automation.expressions, *automation.literals]
        if texts:
            yield automation_id, describe(automation), texts, automation.location


def _problem(
    element_id: str, what: str, ids: list[str], location: SourceLocation | None
) -> Problem:
    kinds = {record_id: KEY_PREFIXES.get(record_id[:3]) for record_id in ids}
    listed = ", ".join(
        f"{record_id} ({kind})" if kind else record_id for record_id, kind in kinds.items()
    )
    count = "a record id" if len(ids) == 1 else f"{len(ids)} record ids"
    return Problem(
        element_id=element_id,
        message=f"{what} hard-codes {count}: {listed}",
        location=location,
        data={"ids": ids, "objects": {key: kind for key, kind in kinds.items() if kind}},
    )


def record_ids(texts: Iterable[str]) -> list[str]:
    """The Salesforce record ids in the texts, each once, in the order met."""
    found: dict[str, None] = {}
    for text in texts:
        for match in _CANDIDATE.finditer(text):
            if is_record_id(match.group()):
                found.setdefault(match.group(), None)
    return list(found)


def is_record_id(token: str) -> bool:
    """Whether a 15- or 18-character token has the shape of a Salesforce record id.

    The 6th character is reserved and always ``0``, and the 9-character record counter that
    follows starts with ``0`` in any org with fewer than 62^8 records of the object; together
    they rule out words and ordinary numbers (``CastorTemplate2017``, ``100000000000000``).
    """
    if len(token) not in (15, 18) or token[5:7] != "00" or token.isdigit():
        return False
    if not any(character.isalpha() for character in token[:15]):
        return False
    return len(token) == 15 or token[15:] == checksum(token[:15])


def checksum(record_id: str) -> str:
    """The three characters that make a 15-character id an 18-character one: for each block of
    five characters, a bit per upper-case letter, read as an index into A-Z0-5."""
    suffix = ""
    for start in (0, 5, 10):
        bits = sum(1 << index for index, character in enumerate(record_id[start:start + 5])
                   if "A" <= character <= "Z")
        suffix += _CHECKSUM_ALPHABET[bits]
    return suffix
