"""Per-metadata-type XML handling shared by the SFDX and Metadata API readers.

A handler takes the element that holds one component's settings and adds model pieces to the
:class:`~cfglint.model.Org`. In SFDX source format that element is the document root
(``<CustomField>`` in ``Amount__c.field-meta.xml``); in a Metadata API ``.object`` file it is the
embedded child (``<fields>``). Both have the same children, so one handler serves both formats.

Handlers never raise on odd content: a missing value is ``None``; a component that cannot be
understood at all is recorded as a problem by the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from lxml import etree

from cfglint.model import Org, SourceLocation
from cfglint.readers.xml import line_of, text


class ElementContext(NamedTuple):
    """What the file's path says about the component an element describes.

    A named tuple rather than a frozen dataclass: one is built per file and per embedded
    element, and a frozen dataclass costs twice as much to build.
    """

    path: str  # repo-relative POSIX path of the file
    name: str  # component name from the file name (or ``fullName`` for embedded elements)
    object_name: str | None = None  # owning object, for object children and per-object files
    folder: str | None = None  # report folder
    code: str | None = None  # the head of an Apex body beside a code type's -meta.xml

    def location(self, element: etree._Element) -> SourceLocation:
        return SourceLocation(self.path, line_of(element))

    def embedded(self, element: etree._Element, object_name: str | None = None) -> ElementContext:
        """Context for an element embedded in a larger file, named by its ``fullName``."""
        return ElementContext(
            self.path,
            text(element, "fullName") or "",
            object_name if object_name is not None else self.object_name,
            self.folder,
        )


ElementHandler = Callable[[etree._Element, ElementContext, Org], None]


def _handlers() -> dict[str, ElementHandler]:
    # Imported here so that each family module can import ElementContext from this package.
    from cfglint.readers.salesforce_xml import (
        access,
        automation,
        data_quality,
        objects,
        reports,
        values,
        views,
    )

    registry: dict[str, ElementHandler] = {}
    for module in (objects, values, views, access, automation, data_quality, reports):
        registry.update(module.HANDLERS)
    return registry


#: Metadata API type name -> handler. Types not listed here are inventoried as not analysed.
HANDLERS: dict[str, ElementHandler] = _handlers()


def finalize(org: Org) -> None:
    """Cross-file resolution once every file is read (global value sets, pipelines, ...)."""
    from cfglint.readers.salesforce_xml import access, automation, data_quality, reports, values

    for module in (values, access, automation, data_quality, reports):
        module.finalize(org)
