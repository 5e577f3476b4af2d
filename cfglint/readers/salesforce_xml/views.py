"""Views: page layouts, Lightning pages (FlexiPage) and quick actions.

A page layout lists its fields by section with a behaviour each (Required / Edit / Readonly); a
Lightning record page with Dynamic Forms lists field instances per facet region, each with a
``uiBehavior`` and an optional visibility rule; a quick action has its own small layout. All three
become :class:`~cfglint.model.ViewItem` lists so that rules can ask "which fields does a user see
and must fill" without caring where they are shown.
"""

from __future__ import annotations

import re

from lxml import etree

from cfglint.model import (
    Behavior,
    Org,
    QuickAction,
    SourceLocation,
    View,
    ViewItem,
    ViewKind,
    ViewSection,
)
from cfglint.readers.salesforce_xml import ElementContext, ElementHandler
from cfglint.readers.xml import child, line_of, stripped, text

#: ``behavior`` (layouts) and ``uiBehavior`` (FlexiPage, quick actions), lower-cased. FlexiPage
#: also writes ``none``, meaning "as the field allows": that is an editable field.
BEHAVIORS: dict[str, Behavior] = {
    "required": Behavior.REQUIRED,
    "edit": Behavior.EDIT,
    "readonly": Behavior.READONLY,
}

#: Lightning components that only arrange other content. Their content is already in the view's
#: sections, and counting them as components would inflate clutter counts with scaffolding.
STRUCTURAL_COMPONENTS = frozenset(
    {
        "flexipage:column",
        "flexipage:fieldSection",
        "flexipage:accordion",
        "flexipage:accordionSection",
        "flexipage:tab",
        "flexipage:tabset",
        "flexipage:tabset2",
    }
)

#: Dynamic Forms field items are written ``Record.<Field>``.
RECORD_PREFIX = "Record."

#: Regions nest through component properties (section -> column -> facet); a page deeper than
#: this is malformed or cyclic, and the region's own name is used as the label.
MAX_NESTING = 16

_FILTER_NUMBER = re.compile(r"\d+")

#: The children of a page layout that say which fields and components it shows.
_LAYOUT_PARTS = ("layoutSections", "relatedLists", "quickActionList", "platformActionList")


def _behavior(value: str | None) -> Behavior:
    if value is None:
        return Behavior.EDIT
    return BEHAVIORS.get(value.strip().lower(), Behavior.EDIT)


def _field_items(
    parent: etree._Element, column_tag: str, item_tag: str, behavior_tag: str, path: str
) -> list[ViewItem]:
    """The field items of a layout section or a quick action layout, column by column. Items
    without a field (blank spaces, custom links, canvases, Visualforce pages, report charts)
    are left out. Big layouts have thousands of items, so each is read in one pass over its
    children and nothing is looked up twice."""
    items: list[ViewItem] = []
    for column in parent.iterchildren(column_tag):
        for item in column.iterchildren(item_tag):
            field_name: str | None = None
            behavior: str | None = None
            for setting in item:  # the last of each wins
                tag = setting.tag
                if tag == "field":
                    field_name = setting.text
                elif tag == behavior_tag:
                    behavior = setting.text
            if field_name and (field_name := field_name.strip()):
                location = SourceLocation(path, line_of(item))
                items.append(ViewItem(field_name, _behavior(behavior), None, location))
    return items


def _add_view(org: Org, view: View) -> None:
    if view.id not in org.views:  # first definition wins
        org.views[view.id] = view


# --- page layouts ---------------------------------------------------------------------------


def handle_layout(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["layouts"] += 1
    if f"{ViewKind.LAYOUT.value}:{context.name}" in org.views:
        return
    object_name, dash, layout_label = context.name.partition("-")
    view = View(
        kind=ViewKind.LAYOUT,
        name=context.name,
        object_name=context.object_name or (object_name if dash else None),
        label=layout_label or None,
        location=context.location(element),
    )
    components: list[str] = []
    for child_element in element.iterchildren(*_LAYOUT_PARTS):  # the rest are display options
        name = child_element.tag
        if name == "layoutSections":
            view.sections.append(_layout_section(child_element, context))
        elif name == "relatedLists":
            related_list = text(child_element, "relatedList")
            if related_list is not None:
                components.append(related_list)
        elif name == "quickActionList":
            components.extend(_quick_action_list(child_element))
        elif name == "platformActionList":
            components.extend(_platform_quick_actions(child_element))
    # The classic and the Lightning action lists usually name the same actions: count each once.
    view.components = list(dict.fromkeys(components))
    _add_view(org, view)


def _layout_section(section: etree._Element, context: ElementContext) -> ViewSection:
    return ViewSection(
        label=text(section, "label"),
        items=_field_items(section, "layoutColumns", "layoutItems", "behavior", context.path),
    )


def _quick_action_list(action_list: etree._Element) -> list[str]:
    names: list[str] = []
    for item in action_list.iterchildren("quickActionListItems"):
        action = text(item, "quickActionName")
        if action is not None:
            names.append(action)
    return names


def _platform_quick_actions(action_list: etree._Element) -> list[str]:
    """Quick actions of the Lightning action bar; standard and custom buttons are not actions."""
    names: list[str] = []
    for item in action_list.iterchildren("platformActionListItems"):
        action_type = text(item, "actionType")
        action = text(item, "actionName")
        if action is not None and action_type is not None and action_type.lower() == "quickaction":
            names.append(action)
    return names


# --- Lightning pages ------------------------------------------------------------------------


def handle_flexipage(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["flexipages"] += 1
    if f"{ViewKind.FLEXIPAGE.value}:{context.name}" in org.views:
        return
    page_type = text(element, "type")
    object_name = text(element, "sobjectType") if page_type == "RecordPage" else None
    view = View(
        kind=ViewKind.FLEXIPAGE,
        name=context.name,
        object_name=object_name,
        label=text(element, "masterLabel"),
        description=text(element, "description"),
        location=context.location(element),
    )
    page = _PageRegions()
    for region in element.iterchildren("flexiPageRegions"):
        page.read_region(region, context)
    view.sections = page.sections()
    view.components = page.components
    _add_view(org, view)


class _PageRegions:
    """What one pass over a page's regions learns: field items, components, region nesting."""

    def __init__(self) -> None:
        self.fields: dict[str, list[ViewItem]] = {}  # region name -> its field instances
        self.components: list[str] = []
        # region name -> (region holding the component that shows it, that component's label)
        self.parents: dict[str, tuple[str, str | None]] = {}

    def read_region(self, region: etree._Element, context: ElementContext) -> None:
        region_name = text(region, "name") or ""
        for item in region:
            name = item.tag
            if name == "itemInstances":
                for instance in item:
                    kind = instance.tag
                    if kind == "fieldInstance":
                        self._read_field(instance, region_name, context)
                    elif kind == "componentInstance":
                        self._read_component(instance, region_name)
            elif name == "componentInstances":  # pages saved before API 47
                self._read_component(item, region_name)

    def _read_field(
        self, instance: etree._Element, region_name: str, context: ElementContext
    ) -> None:
        field_item: str | None = None
        behavior: str | None = None
        visibility: str | None = None
        for child_element in instance:
            name = child_element.tag
            if name == "fieldItem":
                field_item = stripped(child_element)
            elif name == "fieldInstanceProperties" and text(child_element, "name") == "uiBehavior":
                behavior = text(child_element, "value")
            elif name == "visibilityRule":
                visibility = visibility_text(child_element)
        if field_item is None:
            return
        if field_item.startswith(RECORD_PREFIX):
            field_item = field_item[len(RECORD_PREFIX):]
        self.fields.setdefault(region_name, []).append(
            ViewItem(
                field=field_item,
                behavior=_behavior(behavior),
                visibility=visibility,
                location=context.location(instance),
            )
        )

    def _read_component(self, instance: etree._Element, region_name: str) -> None:
        component_name: str | None = None
        label: str | None = None
        shown_regions: list[str] = []
        for child_element in instance:
            name = child_element.tag
            if name == "componentName":
                component_name = stripped(child_element)
            elif name == "componentInstanceProperties":
                property_name = text(child_element, "name")
                value = text(child_element, "value")
                if value is None:
                    continue
                if property_name == "label":
                    label = value
                else:
                    # body, columns, tabs, ... name the facet regions the component shows;
                    # any other value is harmless because only region names are looked up.
                    shown_regions.append(value)
        for shown in shown_regions:
            self.parents.setdefault(shown, (region_name, label))
        if component_name is not None and component_name not in STRUCTURAL_COMPONENTS:
            self.components.append(component_name)

    def sections(self) -> list[ViewSection]:
        """One section per labelled component: the columns of a field section become one."""
        sections: dict[tuple[str, str | None], ViewSection] = {}
        for region_name, items in self.fields.items():
            owner = self._owner(region_name)
            section = sections.get(owner)
            if section is None:
                section = sections[owner] = ViewSection(label=owner[1])
            section.items.extend(items)
        return list(sections.values())

    def _owner(self, region_name: str) -> tuple[str, str | None]:
        """The region holding the nearest labelled component (a field section) that shows
        ``region_name``, with that label; the region itself when nothing labels it."""
        current = region_name
        for _ in range(MAX_NESTING):
            parent = self.parents.get(current)
            if parent is None:
                break
            current, label = parent
            if label is not None:
                return current, label
        return region_name, region_name or None


def visibility_text(rule: etree._Element) -> str | None:
    """A visibility rule as one readable line, e.g. ``{!Record.StageName} EQUAL Proposal``."""
    criteria: list[str] = []
    boolean_filter: str | None = None
    for child_element in rule:
        name = child_element.tag
        if name == "criteria":
            parts = [
                text(child_element, "leftValue"),
                text(child_element, "operator"),
                text(child_element, "rightValue"),
            ]
            criteria.append(" ".join(part for part in parts if part is not None))
        elif name == "booleanFilter":
            boolean_filter = stripped(child_element)
    if not criteria:
        return None
    if boolean_filter is None or len(criteria) == 1:
        return " AND ".join(criteria)

    def criterion(match: re.Match[str]) -> str:
        index = int(match.group()) - 1
        return f"({criteria[index]})" if 0 <= index < len(criteria) else match.group()

    return _FILTER_NUMBER.sub(criterion, boolean_filter)


# --- quick actions --------------------------------------------------------------------------


def handle_quick_action(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["quick_actions"] += 1
    object_name = context.object_name
    name = context.name
    if object_name is not None and name.startswith(object_name + "."):
        name = name[len(object_name) + 1:]
    action_type = text(element, "type")
    target_object = text(element, "targetObject")
    if target_object is None and action_type == "Update":
        target_object = object_name  # an Update action edits the record it is launched from
    action = QuickAction(
        name=name,
        object_name=object_name,
        label=text(element, "label") or text(element, "standardLabel"),
        action_type=action_type,
        target_object=target_object,
        description=text(element, "description"),
        location=context.location(element),
    )
    if action.id in org.quick_actions:
        return
    layout = child(element, "quickActionLayout")
    if layout is not None:
        action.fields = _field_items(
            layout, "quickActionLayoutColumns", "quickActionLayoutItems", "uiBehavior", context.path
        )
    org.quick_actions[action.id] = action


HANDLERS: dict[str, ElementHandler] = {
    "Layout": handle_layout,
    "FlexiPage": handle_flexipage,
    "QuickAction": handle_quick_action,
}


def finalize(org: Org) -> None:
    """Nothing to resolve across files: views name their fields as the platform does."""
