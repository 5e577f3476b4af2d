"""Which Salesforce metadata type a file holds, from its name and place in the tree.

SFDX source format names files ``<name>.<suffix>-meta.xml`` and splits objects into
``objects/<Object>/<children>/``; the Metadata API format names them ``<name>.<suffix>`` and keeps
object children inside ``objects/<Object>.object``. Code types (Apex classes and triggers) carry a
``-meta.xml`` companion in both formats.
"""

from __future__ import annotations

from typing import NamedTuple

#: File suffix -> Metadata API type name, for every type cfglint recognizes. Whether a type is
#: analysed is decided by the handler registry in ``salesforce_xml``.
SUFFIX_TYPES: dict[str, str] = {
    "object": "CustomObject",
    "field": "CustomField",
    "recordType": "RecordType",
    "businessProcess": "BusinessProcess",
    "validationRule": "ValidationRule",
    "listView": "ListView",
    "compactLayout": "CompactLayout",
    "fieldSet": "FieldSet",
    "webLink": "WebLink",
    "sharingReason": "SharingReason",
    "index": "Index",
    "layout": "Layout",
    "flexipage": "FlexiPage",
    "quickAction": "QuickAction",
    "flow": "Flow",
    "flowDefinition": "FlowDefinition",
    "workflow": "Workflow",
    "trigger": "ApexTrigger",
    "approvalProcess": "ApprovalProcess",
    "assignmentRules": "AssignmentRules",
    "autoResponseRules": "AutoResponseRules",
    "escalationRules": "EscalationRules",
    "sharingRules": "SharingRules",
    "profile": "Profile",
    "permissionset": "PermissionSet",
    "permissionsetgroup": "PermissionSetGroup",
    "globalValueSet": "GlobalValueSet",
    "standardValueSet": "StandardValueSet",
    "globalValueSetTranslation": "GlobalValueSetTranslation",
    "standardValueSetTranslation": "StandardValueSetTranslation",
    "duplicateRule": "DuplicateRule",
    "matchingRule": "MatchingRules",
    "report": "Report",
    "reportType": "ReportType",
    "dashboard": "Dashboard",
    "tab": "CustomTab",
    "app": "CustomApplication",
    "labels": "CustomLabels",
    "objectTranslation": "CustomObjectTranslation",
    "translation": "Translations",
    "customPermission": "CustomPermission",
    "customMetadata": "CustomMetadata",
    "settings": "Settings",
    "role": "Role",
    "group": "Group",
    "queue": "Queue",
    "email": "EmailTemplate",
    "emailTemplate": "EmailTemplate",
    "letter": "Letterhead",
    "remoteSite": "RemoteSiteSetting",
    "namedCredential": "NamedCredential",
    "connectedApp": "ConnectedApp",
    "cspTrustedSite": "CspTrustedSite",
    "site": "CustomSite",
    "network": "Network",
    "community": "Community",
    "homePageLayout": "HomePageLayout",
    "homePageComponent": "HomePageComponent",
    "pathAssistant": "PathAssistant",
    "territory2": "Territory2",
    "territory2Model": "Territory2Model",
    "notificationtype": "CustomNotificationType",
    "lightningExperienceTheme": "LightningExperienceTheme",
    "contentasset": "ContentAsset",
    "documentFolder": "DocumentFolder",
    "reportFolder": "ReportFolder",
    "dashboardFolder": "DashboardFolder",
    "emailFolder": "EmailFolder",
    "customApplicationComponent": "CustomApplicationComponent",
    "weblink": "CustomPageWebLink",
    "platformEventChannel": "PlatformEventChannel",
    "platformEventChannelMember": "PlatformEventChannelMember",
    "topicsForObjects": "TopicsForObjects",
    "experience": "ExperienceBundle",
    "md": "CustomMetadata",
}

#: Object children in SFDX source format live in ``objects/<Object>/<folder>/``.
OBJECT_CHILD_SUFFIXES = frozenset(
    {
        "field",
        "recordType",
        "businessProcess",
        "validationRule",
        "listView",
        "compactLayout",
        "fieldSet",
        "webLink",
        "sharingReason",
        "index",
    }
)

#: Source code and web bundle files: part of a Salesforce project, not configuration.
SOURCE_CODE_SUFFIXES = frozenset(
    {
        ".cls", ".trigger", ".page", ".component", ".js", ".ts", ".html", ".css", ".cmp",
        ".app", ".evt", ".intf", ".design", ".svg", ".auradoc", ".tokens", ".resource",
        ".apex", ".soql", ".mjs", ".json5",
    }
)

SFDX_SUFFIX = "-meta.xml"


class MetadataFile(NamedTuple):
    """A file that holds one metadata component (or, for MDAPI objects, several).

    A named tuple rather than a frozen dataclass: one is built for every file of a project, and
    a frozen dataclass costs three times as much to build.
    """

    path: str  # repo-relative POSIX path
    type_name: str  # Metadata API type name
    suffix: str  # ``field``, ``layout``, ...
    name: str  # component name from the file name
    object_name: str | None
    folder: str | None
    source_format: bool  # True for SFDX ``-meta.xml`` files

    @property
    def is_decomposed_child(self) -> bool:
        return self.suffix in OBJECT_CHILD_SUFFIXES


def classify(relative_path: str) -> MetadataFile | None:
    """The metadata component a file holds, or ``None`` when its name is no metadata suffix."""
    directory, _, file_name = relative_path.rpartition("/")
    is_sfdx = file_name.endswith(SFDX_SUFFIX)
    stem = file_name[: -len(SFDX_SUFFIX)] if is_sfdx else file_name
    name, dot, suffix = stem.rpartition(".")
    type_name = SUFFIX_TYPES.get(suffix)
    if not dot or not name or type_name is None:
        return None
    if suffix == "md" and not is_sfdx:
        return None  # a Markdown file, not custom metadata
    return MetadataFile(
        relative_path,
        type_name,
        suffix,
        name,
        _object_name(directory, suffix, name),
        _folder(relative_path, suffix),
        is_sfdx,
    )


def _object_name(directory: str, suffix: str, name: str) -> str | None:
    if suffix in OBJECT_CHILD_SUFFIXES:
        # objects/<Object>/<children folder>/<file>: the folder above the file's own.
        above, slash, _ = directory.rpartition("/")
        return above.rpartition("/")[2] if slash else None
    if suffix == "object":
        return name
    if suffix in ("workflow", "sharingRules", "assignmentRules", "autoResponseRules",
                  "escalationRules", "matchingRule", "objectTranslation"):
        return name.split("-")[0] if suffix == "objectTranslation" else name
    if suffix == "layout":
        return name.split("-", 1)[0]
    if suffix in ("duplicateRule", "approvalProcess", "quickAction"):
        object_name, dot, _ = name.partition(".")
        return object_name if dot else None
    return None


def _folder(path: str, suffix: str) -> str | None:
    if suffix not in ("report", "dashboard", "email"):
        return None
    parts = path.split("/")
    if len(parts) >= 2:
        # reports/<Folder>/<Report>.report: the folder may be nested.
        for index in range(len(parts) - 1, -1, -1):
            if parts[index] in ("reports", "dashboards", "email"):
                return "/".join(parts[index + 1 : -1]) or None
        return parts[-2]
    return None
