"""Metadata API format: ``package.xml`` bundles and monolithic files.

A Metadata API project keeps each object in one ``objects/<Object>.object`` file with its fields,
record types, validation rules, list views, compact layouts, field sets and business processes
embedded; the ``CustomObject`` handler in :mod:`cfglint.readers.salesforce_xml.objects` splits
them and hands each to the same handler the SFDX format's separate files go to.
"""

from __future__ import annotations

from collections.abc import Iterable

from cfglint.readers.metadata_types import MetadataFile

MANIFEST = "package.xml"

#: Files whose root element is not named after their Metadata API type.
_ROOT_ALIASES: dict[str, frozenset[str]] = {
    # matchingRules/Account.matchingRule holds <MatchingRules>; some tools write <MatchingRule>.
    "MatchingRules": frozenset({"MatchingRule"}),
}


def bundle_roots(relative_paths: Iterable[str]) -> list[str]:
    """Folders (relative, POSIX) that hold a ``package.xml``: Metadata API deployment roots."""
    return sorted(
        relative.rpartition("/")[0]
        for relative in relative_paths
        if relative.rpartition("/")[2] == MANIFEST
    )


def accepts_root(metadata_file: MetadataFile, root_name: str) -> bool:
    """Whether a document root other than the type name is still the right type."""
    return root_name in _ROOT_ALIASES.get(metadata_file.type_name, frozenset())
