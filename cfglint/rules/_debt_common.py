"""What several DEBT rules say about automations: their kind in words, and which fire on save."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from cfglint.model import CUSTOM_SUFFIXES, Automation, AutomationKind

#: How messages name each kind of automation.
KIND_WORDS: dict[AutomationKind, str] = {
    AutomationKind.FLOW: "flow",
    AutomationKind.PROCESS_BUILDER: "Process Builder process",
    AutomationKind.WORKFLOW_RULE: "workflow rule",
    AutomationKind.TRIGGER: "Apex trigger",
    AutomationKind.APPROVAL_PROCESS: "approval process",
    AutomationKind.HUBSPOT_WORKFLOW: "HubSpot workflow",
}

#: ``Automation.timing`` values of flows that a record save starts.
SAVE_TIMINGS = frozenset({"before-save", "after-save", "before-delete"})

#: ``Automation.trigger`` values of flows that a record save starts (when no timing is given).
SAVE_EVENTS = frozenset({"create", "update", "create-or-update", "delete"})

#: Triggers of automations that something other than a record save starts.
NOT_ON_SAVE = frozenset({"scheduled", "platform-event", "screen", "invoked"})

# In the Metadata API format before API 44 each flow *version* is a file: ``Name-3.flow``.
# Flow API names cannot hold a hyphen, so a ``-<digits>`` tail is always a version number.
_FLOW_VERSION = re.compile(r"^(?P<flow>.+)-(?P<version>\d+)$")

_FLOW_KINDS = (AutomationKind.FLOW, AutomationKind.PROCESS_BUILDER)

_NAMESPACE_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,14}?__(?=[A-Za-z0-9])")

#: ``__c``, ``__mdt``, ... without the underscores.
CUSTOM_SUFFIX_WORDS = frozenset(suffix.strip("_") for suffix in CUSTOM_SUFFIXES)


def describe(automation: Automation) -> str:
    """``workflow rule 'Flag Large Deals' on Opportunity``, ``flow 'Close_Won_Handoff'``."""
    if automation.kind is AutomationKind.HUBSPOT_WORKFLOW and automation.label:
        name = automation.label
    else:
        name = automation.name
    words = f"{KIND_WORDS[automation.kind]} '{name}'"
    return f"{words} on {automation.object_name}" if automation.object_name else words


def flow_and_version(automation: Automation) -> tuple[str, int | None]:
    """The flow a flow file belongs to, and its version number when the file is one version."""
    if automation.kind in _FLOW_KINDS:
        match = _FLOW_VERSION.match(automation.name)
        if match:
            return match["flow"], int(match["version"])
    return automation.name, None


def runs(automation: Automation) -> bool:
    """Active, and not in a status that keeps it from running (a YAML file may say
    ``status: Draft`` without ``active: false``)."""
    return automation.active and automation.status in (None, "Active")


def fires_on_save(automation: Automation) -> bool:
    """A trigger, record-triggered flow, workflow rule or record-change process: the kinds that
    Salesforce's order of execution runs when a record of their object is saved."""
    if not automation.object_name or automation.trigger in NOT_ON_SAVE:
        return False
    if automation.kind is AutomationKind.FLOW:
        return automation.timing in SAVE_TIMINGS or automation.trigger in SAVE_EVENTS
    return automation.kind in (
        AutomationKind.TRIGGER, AutomationKind.WORKFLOW_RULE, AutomationKind.PROCESS_BUILDER
    )


# Cached: the DEBT rules ask about the same names (every field, object and automation, and the
# standard and package names that come back on object after object) several times a run.
@functools.lru_cache(maxsize=1 << 16)
def is_namespaced(api_name: str) -> bool:
    """``npsp__Batch__c``, ``npe01__Contact.EmailChanged_Work``: a component of an installed
    package, which the org cannot edit. A namespace prefix is up to 15 letters, digits and
    underscores before a double underscore; ``Region__c`` only has a custom suffix."""
    prefix = _NAMESPACE_PREFIX.match(api_name)
    return prefix is not None and api_name[prefix.end():].lower() not in CUSTOM_SUFFIX_WORDS


def flow_versions(automations: Iterable[Automation]) -> dict[str, list[Automation]]:
    """Automations grouped by the flow they are versions of, oldest version first; anything
    that is not a versioned flow is a group of its own. Keys are ids without the version."""
    groups: dict[str, list[tuple[int, Automation]]] = {}
    for automation in automations:
        flow, version = flow_and_version(automation)
        key = f"{automation.kind.value}:{flow}" if version is not None else automation.id
        groups.setdefault(key, []).append((version or 0, automation))
    return {
        key: [automation for _, automation in sorted(members, key=lambda pair: pair[0])]
        for key, members in sorted(groups.items())
    }
