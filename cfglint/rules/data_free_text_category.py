"""A free-text field whose name says it holds a category (region, segment, tier, ...).

**Why it matters.** A category typed by hand comes back as "EMEA", "Emea", "Europe" and
"EU": nobody can report on it, route by it or build automation on it. When the name says the
field sorts records into a known set of buckets, a picklist is what it should be.

Checked: custom single-line text fields whose API name or label is *about* one of the
category words (option ``words``). "About" means the word is the name's head: its last word,
or the word before "of" / "for" / "by" / "in" / "per" — so ``Region__c``, ``Industry_Segment__c``
and ``Type_of_Business__c`` are reported, while ``Lead_Source_Detail__c`` (a detail) and
``Status_Reason__c`` (a reason) are not, nor are platform terms such as ``Record_Type__c``.
Unique and external-id fields (keys) are skipped, and so are the fields of custom metadata
types, platform events, external and big objects, whose records nobody types in.

This is a heuristic on names, so the rule is **opt-in** (not in the default ruleset) and
reports at info level.

**Failing example**

```xml
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Region__c</fullName>
    <label>Region</label>
    <length>80</length>
    <type>Text</type>
</CustomField>
```

**Passing example**: ``Region__c`` as a restricted picklist (``<type>Picklist</type>`` with a
``valueSet``), or a text field named for what it really holds.

**How to fix.** Look at the values stored today, pick the list, and convert the field to a
restricted picklist (Salesforce keeps the values on conversion; clean them first). If the field
really holds free text, rename it so its name says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Field, FieldType, Org
from cfglint.rules._data_common import head_word, name_words
from cfglint.rules.base import Options, Problem

ID = "DATA004"
NAME = "data.free-text-category"
SEVERITY = "info"
RECOMMENDED = False
OPTIONS: dict[str, Any] = {
    "words": {
        "type": "array",
        "items": {"type": "string"},
        "default": [
            "industry", "region", "segment", "source", "type", "status", "tier", "category",
        ],
        "description": "Words that, as the head of a text field's API name or label, say the "
        "field holds a category.",
    },
}


#: Salesforce object suffixes whose records nobody types: custom metadata, platform events,
#: external and big objects.
NON_ENTRY_SUFFIXES = ("__mdt", "__e", "__x", "__b")

#: Words that, before a category word, make the name a platform term rather than a category.
TECHNICAL_MODIFIERS = frozenset(
    {"record", "rec", "object", "sobject", "mime", "content", "file", "data", "field"}
)


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    words = {word.lower() for word in options["words"]}
    for object_name in sorted(org.objects):
        if object_name.lower().endswith(NON_ENTRY_SUFFIXES):
            continue
        crm_object = org.objects[object_name]
        for field_name in sorted(crm_object.fields):
            model_field = crm_object.fields[field_name]
            if not _is_free_text(model_field):
                continue
            word = _category_word(model_field, words)
            if word is not None:
                yield Problem(
                    element_id=model_field.id,
                    message=(
                        f"{model_field.id} is free text but its name says it is a {word}: "
                        "make it a picklist"
                    ),
                    location=model_field.location,
                    data={"word": word},
                )


def _is_free_text(model_field: Field) -> bool:
    return (
        model_field.type is FieldType.TEXT
        and model_field.custom
        and not model_field.system
        and not model_field.unique
        and not model_field.external_id
        and model_field.formula is None
    )


def _category_word(model_field: Field, words: set[str]) -> str | None:
    for name in (model_field.name, model_field.label):
        if name is None:
            continue
        name_parts = name_words(name)
        head = head_word(name_parts)
        if head in words and not _technical(name_parts, head):
            return head
    return None


def _technical(words: list[str], head: str) -> bool:
    """``Record_Type``, ``Object_Type``, ``MIME type``: the name of a platform thing."""
    position = words.index(head)
    return position > 0 and words[position - 1] in TECHNICAL_MODIFIERS
