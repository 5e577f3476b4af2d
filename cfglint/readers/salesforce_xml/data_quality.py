"""Duplicate rules and matching rules: the data-quality safeguards against duplicate records.

A duplicate rule (``duplicateRules/<Object>.<Name>.duplicateRule``) says what happens when a
save looks like a duplicate; the matching rules it names say what "looks like" means. Matching
rules of one object share a file (``matchingRules/<Object>.matchingRule``, root
``<MatchingRules>``); decomposed projects keep one rule per file (root ``<MatchingRule>``, named
``<Object>.<Name>``). Both forms are read here.
"""

from __future__ import annotations

from lxml import etree

from cfglint.model import DuplicateRule, MatchingRule, Org
from cfglint.readers.salesforce_xml import ElementContext, ElementHandler
from cfglint.readers.xml import local_name, text


def handle_duplicate_rule(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["duplicate_rules"] += 1
    object_name, name = _object_and_name(context.name, context.object_name)
    if object_name is None:
        return  # a rule file whose name says no object cannot be placed
    rule = DuplicateRule(
        object_name=object_name,
        name=name,
        location=context.location(element),
    )
    active = None
    for node in element:
        child_name = node.tag
        value = node.text.strip() if node.text else None
        if child_name == "isActive":
            active = value
        elif child_name == "masterLabel":
            rule.label = value or None
        elif child_name == "description":
            rule.description = value or None
        elif child_name == "actionOnInsert":
            rule.action_on_insert = value or None
        elif child_name == "actionOnUpdate":
            rule.action_on_update = value or None
        elif child_name == "duplicateRuleMatchingRules":
            matching_rule = text(node, "matchingRule")
            if matching_rule:
                rule.matching_rules.append(matching_rule)
    rule.active = (active or "").lower() == "true"
    if rule.id not in org.duplicate_rules:  # first definition wins
        org.duplicate_rules[rule.id] = rule


def handle_matching_rules(element: etree._Element, context: ElementContext, org: Org) -> None:
    if local_name(element) == "MatchingRule":  # decomposed: one rule per file
        _add_matching_rule(element, context, org)
        return
    for node in element:
        child_name = node.tag
        if child_name == "matchingRules":
            _add_matching_rule(node, context, org)


def _add_matching_rule(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["matching_rules"] += 1
    full_name = text(element, "fullName")
    if full_name and "." in full_name:
        object_name, name = _object_and_name(full_name, None)
    else:
        object_name, name = _object_and_name(context.name, context.object_name)
        name = full_name or name
    if object_name is None:
        return
    rule = MatchingRule(
        object_name=object_name,
        name=name,
        label=text(element, "label"),
        active=text(element, "ruleStatus") == "Active",
        location=context.location(element),
    )
    for node in element:
        child_name = node.tag
        if child_name == "matchingRuleItems":
            field_name = text(node, "fieldName")
            if field_name:
                rule.fields.append(field_name)
    if rule.id not in org.matching_rules:  # first definition wins
        org.matching_rules[rule.id] = rule


def _object_and_name(qualified: str, object_name: str | None) -> tuple[str | None, str]:
    """``Account.Standard_Rule`` -> (``Account``, ``Standard_Rule``); a bare name keeps the
    object the path gave (``Contact`` for ``Contact.matchingRule``)."""
    head, dot, rest = qualified.partition(".")
    if dot and rest:
        return head, rest
    return object_name, qualified


def finalize(org: Org) -> None:
    """Nothing to resolve across files: duplicate rules keep matching rule names as written."""


HANDLERS: dict[str, ElementHandler] = {
    "DuplicateRule": handle_duplicate_rule,
    "MatchingRules": handle_matching_rules,
}
