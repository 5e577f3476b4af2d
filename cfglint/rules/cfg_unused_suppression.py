"""A `cfglint: ignore[...]` comment that suppresses nothing.

**Why it matters.** Suppressions outlive the problems they hid: once the field is fixed or the
rule changes, a stale comment only hides the next real problem on that line and misleads the
next admin who reads the file.

**Failing example**

```xml
<!-- cfglint: ignore[REQ001] nothing on this line breaks REQ001 -->
<label>Region</label>
```

**Passing example**: the comment stands next to a finding of the rule it names, or is removed.

**How to fix.** Delete the comment, or correct the rule id it names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Org
from cfglint.rules.base import Options, Problem

ID = "CFG002"
NAME = "config.unused-suppression"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    # The engine reports unused suppressions after applying them (cfglint.lint); a rule module
    # gives the finding its id, severity and documentation.
    return iter(())
