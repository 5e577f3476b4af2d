"""Two fields of one object look like the same field: their names or labels nearly match.

**Why it matters.** `Customer_Tier__c` beside `Customer_Tiers__c`, `Region__c` beside
`Region_New__c`, a custom `Annual_Revenue__c` beside the standard `AnnualRevenue`: someone
could not find the existing field, or replaced it and never retired the old one. Users then fill
in either, reports and automation read one or the other, and the data is split across both.

Two fields are near duplicates when their API names or labels read the same once case,
punctuation and `__c` are ignored, plural words are made singular, the `Id` of a standard lookup
is dropped (`AccountId` reads as `account`), and leftover words are removed: a trailing word
from the `noise-words` option (`new`, `old`, `copy`, `v2`, ...) and a leading `old`, `legacy`,
`deprecated`, `dnu`, `zz` or `copy of`. Fields are grouped by that reading, so every object is
checked in one pass however many fields it has. Groups made only of standard fields are left
alone (they are the platform's own), and so is a formula field that shows the field it reads
(`Picture_IMG__c` = `IMAGE(Picture__c)`).

**Failing example**

```yaml
objects:
  Account:
    fields:
      Customer_Tier__c: {type: picklist, label: Customer Tier}
      Customer_Tiers__c: {type: picklist, label: Customer Tiers}
```

**Passing example**

```yaml
objects:
  Account:
    fields:
      Customer_Tier__c: {type: picklist, label: Customer Tier}
      Support_Tier__c: {type: picklist, label: Support Tier}
```

**How to fix.** Decide which field is the real one, move the data and every reference (layouts,
reports, formulas, automation, integrations) to it, and delete the other. When both are needed,
give them names and labels that say how they differ.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from cfglint.model import CUSTOM_SUFFIXES, CrmObject, Field, Org
from cfglint.rules.base import Options, Problem

ID = "DEBT006"
NAME = "debt.near-duplicate-field"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "noise-words": {
        "type": "array",
        "items": {"type": "string"},
        "uniqueItems": True,
        "default": [
            "new", "old", "legacy", "copy", "temp", "tmp", "backup", "bak", "dup", "duplicate",
            "deprecated", "obsolete", "unused", "dnu", "v1", "v2", "v3", "v4", "v5",
        ],
        "description": "Words that, at the end of a name or label, do not make it a new field "
        "(lower case).",
    },
}

#: Leading words that mark a field as replaced by another.
LEADING_NOISE = frozenset({"old", "legacy", "deprecated", "obsolete", "unused", "dnu", "zz", "zzz"})

# Words of an API name: ``SLAExpirationDate`` -> SLA, Expiration, Date; ``Account1`` ->
# Account, 1. API names are ASCII; labels are split on anything that is not a letter or digit.
_NAME_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_LABEL_WORD = re.compile(r"[^\W_]+")
_SUFFIX = re.compile("(" + "|".join(re.escape(suffix) for suffix in CUSTOM_SUFFIXES) + ")$",
                     re.IGNORECASE)


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    readings = _Readings(frozenset(word.lower() for word in options["noise-words"]))
    for _, crm_object in sorted(org.objects.items()):
        for group, readings_shown in _groups(crm_object, readings):
            if any(field.custom for field in group):
                yield _problem(group, readings_shown)


def _groups(
    crm_object: CrmObject, readings: _Readings
) -> Iterator[tuple[list[Field], list[str]]]:
    """Fields that share a reading (directly or through another field), with the readings."""
    fields = [crm_object.fields[name] for name in sorted(crm_object.fields)]
    parent = list(range(len(fields)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    # Most fields share no reading with another: the loop keeps the first field per reading
    # and does more only when a second one meets it.
    first_with: dict[str, int] = {}  # reading (compared form) -> first field that has it
    joining: dict[str, str] = {}  # readings that two fields share -> the first field's spelling
    joined: set[int] = set()  # fields that share a reading with another
    for index, field in enumerate(fields):
        for compared, _shown in readings.of(field):
            other = first_with.get(compared)
            if other is None:
                first_with[compared] = index
            elif other != index and not derived(field, fields[other]):
                parent[root(index)] = root(other)
                if compared not in joining:
                    joining[compared] = dict(readings.of(fields[other]))[compared]
                joined.update((index, other))
    members: dict[int, list[Field]] = defaultdict(list)
    for index in sorted(joined):
        members[root(index)].append(fields[index])
    for root_index, group in sorted(members.items()):
        if len(group) > 1:
            shown_readings = sorted(
                {shown for compared, shown in joining.items()
                 if root(first_with[compared]) == root_index}
            )
            yield group, shown_readings


def _problem(group: list[Field], readings: list[str]) -> Problem:
    # The field to keep is the standard one, else the one with the shortest name (the others
    # add a word or a letter); the finding goes to the first custom field of the rest.
    original = min(group, key=lambda field: (field.custom, len(field.name), field.name))
    duplicates = sorted((field for field in group if field is not original),
                        key=lambda field: field.id)
    reported = next(field for field in duplicates if field.custom)
    names = ", ".join(field.id for field in duplicates)
    verb = "looks like a duplicate" if len(duplicates) == 1 else "look like duplicates"
    quantifier = "both" if len(group) == 2 else "all"
    shown = " / ".join(f"'{reading}'" for reading in readings)
    return Problem(
        element_id=reported.id,
        message=f"{names} {verb} of {original.id} ({quantifier} read as {shown})",
        location=reported.location,
        data={
            "original": original.id,
            "duplicates": [field.id for field in duplicates],
            "readings": readings,
            "types": {field.id: field.type.value for field in group},
        },
    )


def derived(field: Field, other: Field) -> bool:
    """Whether one field is a formula that shows the other (``IMAGE(Picture__c)``), which makes
    it a presentation of that field rather than a duplicate."""
    return _reads(field, other) or _reads(other, field)


def _reads(formula_field: Field, other: Field) -> bool:
    if other.id in formula_field.formula_references:
        return True
    if not formula_field.formula:
        return False
    mention = rf"(?<![A-Za-z0-9_]){re.escape(other.name)}(?![A-Za-z0-9_])"
    return re.search(mention, formula_field.formula, re.IGNORECASE) is not None


def readings_of(field: Field, noise: frozenset[str]) -> dict[str, str]:
    """How the field's API name and label read once the differences that do not matter are
    removed: the words joined without spaces (compared, so that ``PostCode`` meets
    ``Postcode``) and with spaces (shown)."""
    return dict(_Readings(noise).of(field))


class _Readings:
    """Readings of fields, remembered per API name and per label for one run: the same names
    and labels come back on object after object (``Name``, ``OwnerId``, a package's fields), and
    splitting them into words is most of this rule's time."""

    def __init__(self, noise: frozenset[str]) -> None:
        self.noise = noise
        self._of_name: dict[tuple[str, bool], tuple[str, str] | None] = {}
        self._of_label: dict[str, tuple[str, str] | None] = {}
        self._of_field: dict[tuple[str, bool, str | None], tuple[tuple[str, str], ...]] = {}

    def of(self, field: Field) -> tuple[tuple[str, str], ...]:
        """(compared, shown) of the name and then of the label; a label that compares like the
        name replaces the name's shown form, as a later key of a dict would."""
        key = (field.name, field.custom, field.label)
        known = self._of_field.get(key)
        if known is None:
            known = self._of_field[key] = self._combined(field)
        return known

    def _combined(self, field: Field) -> tuple[tuple[str, str], ...]:
        key = (field.name, field.custom)
        if key not in self._of_name:
            self._of_name[key] = _joined(_name_words(field.name, field.custom), self.noise)
        of_name = self._of_name[key]
        label = field.label
        if not label:
            return (of_name,) if of_name else ()
        if label not in self._of_label:
            self._of_label[label] = _joined(_LABEL_WORD.findall(label.lower()), self.noise)
        of_label = self._of_label[label]
        if not of_label:
            return (of_name,) if of_name else ()
        if not of_name or of_name[0] == of_label[0]:
            return (of_label,)
        return (of_name, of_label)


def _name_words(name: str, custom: bool) -> list[str]:
    words = [word.lower() for word in _NAME_WORD.findall(_SUFFIX.sub("", name))]
    if not custom and len(words) > 1 and words[-1] == "id":
        words.pop()  # AccountId is the standard lookup to Account
    return words


def _joined(words: Sequence[str], noise: frozenset[str]) -> tuple[str, str] | None:
    """(compared, shown) of the words once the noise is gone; None when no word is left."""
    kept = _reading(words, noise)
    return ("".join(kept), " ".join(kept)) if kept else None


def _reading(words: Sequence[str], noise: frozenset[str]) -> list[str]:
    kept = [singular(word) for word in words]
    while len(kept) > 1 and kept[-1] in noise:
        kept.pop()
    if len(kept) > 2 and kept[:2] == ["copy", "of"]:
        kept = kept[2:]
    while len(kept) > 1 and kept[0] in LEADING_NOISE:
        kept.pop(0)
    return kept


@functools.cache  # names repeat the same few hundred words
def singular(word: str) -> str:
    """A cheap singular for English words: tiers -> tier, categories -> category, addresses ->
    address, statuses -> status; status, class and analysis stay as they are."""
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "uses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]
