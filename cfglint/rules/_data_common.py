"""What the DATA rules share: the words a field's API name or label is made of."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cfglint.model import CUSTOM_SUFFIXES

#: Runs of capitals (``URL``), capitalised words (``Lead``), lower-case words and numbers:
#: ``LeadSource`` -> Lead, Source; ``hs_lead_status`` -> hs, lead, status.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")

#: Words after which a name qualifies what came before: "Type of Business" is a type.
_PREPOSITIONS = frozenset({"of", "for", "by", "in", "per"})


def name_words(name: str) -> list[str]:
    """Lower-case words of an API name or label, without the namespace and ``__c`` suffix."""
    lowered = name.lower()
    for suffix in CUSTOM_SUFFIXES:
        if lowered.endswith(suffix):
            name = name[: -len(suffix)]
            break
    name = name.rpartition("__")[2]  # drop a namespace prefix: npsp__Region -> Region
    return [word.lower() for word in _WORD.findall(name)]


def head_word(words: list[str]) -> str | None:
    """What a name is about: its last word, or the word before a preposition.

    ``Lead Source Detail`` is a detail, ``Industry Segment`` a segment, ``Type of Business``
    a type.
    """
    for index, word in enumerate(words):
        if word in _PREPOSITIONS and index > 0:
            return words[index - 1]
    return words[-1] if words else None


def contains_term(words: list[str], terms: Iterable[str]) -> str | None:
    """The first term (one or more words, e.g. ``time zone``) found as whole words."""
    for term in terms:
        term_words = term.lower().split()
        size = len(term_words)
        if size == 1:  # most terms are one word: a membership test, no slices
            if term_words[0] in words:
                return term
        elif any(words[start:start + size] == term_words for start in range(len(words))):
            return term
    return None
