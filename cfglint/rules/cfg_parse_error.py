"""A file could not be read, so part of the configuration was not linted.

**Why it matters.** A malformed, non-UTF-8 or refused file (one with a DTD or entity
declarations) is left out of every other check: the findings you see are about the rest of the
project only. Deploying it would fail too.

**Failing example**

```xml
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Region__c</fullName>
    <label>Region
</CustomField>
```

**Passing example**

```xml
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Region__c</fullName>
    <label>Region</label>
</CustomField>
```

**How to fix.** Open the file at the line given and repair it; re-retrieve it from the org when
in doubt (`sf project retrieve start`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Org
from cfglint.rules.base import Options, Problem

ID = "CFG001"
NAME = "config.parse-error"
SEVERITY = "error"
OPTIONS: dict[str, Any] = {}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    for problem in org.problems:
        yield Problem(
            element_id=f"file:{problem.location.path}",
            message=f"{problem.kind.value}: {problem.message}",
            location=problem.location,
        )
