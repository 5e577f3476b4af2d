"""(to be written)"""

from __future__ import annotations

from cfglint.model import Org
from cfglint.readers.salesforce_xml import ElementHandler

HANDLERS: dict[str, ElementHandler] = {}


def finalize(org: Org) -> None:
    """Cross-file resolution after every file is read."""
