"""Duplicate rules and matching rules."""

from __future__ import annotations

import pytest

from cfglint.model import Org
from cfglint.readers import read
from cfglint.readers.salesforce_xml import ElementContext
from cfglint.readers.salesforce_xml.data_quality import (
    handle_duplicate_rule,
    handle_matching_rules,
)
from cfglint.readers.xml import parse_xml_bytes
from tests.conftest import corpus_path

NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"'


def new_org() -> Org:
    return Org(platform="salesforce", source_format="sfdx")


def document(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()


DUPLICATE_RULE = document(f"""<DuplicateRule {NS} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
    <actionOnInsert>Block</actionOnInsert>
    <actionOnUpdate>Allow</actionOnUpdate>
    <alertText>Use one of these records?</alertText>
    <description>Blocks duplicate accounts</description>
    <duplicateRuleFilter xsi:nil="true"/>
    <duplicateRuleMatchingRules>
        <matchingRule>Standard_Account_Match_Rule_v1_0</matchingRule>
        <objectMapping xsi:nil="true"/>
    </duplicateRuleMatchingRules>
    <duplicateRuleMatchingRules>
        <matchingRule>Account_Phone_Match</matchingRule>
        <objectMapping xsi:nil="true"/>
    </duplicateRuleMatchingRules>
    <isActive>true</isActive>
    <masterLabel>Standard Account Duplicate Rule</masterLabel>
    <operationsOnInsert>Alert</operationsOnInsert>
    <securityOption>EnforceSharingRules</securityOption>
    <sortOrder>1</sortOrder>
</DuplicateRule>""")


def test_duplicate_rule() -> None:
    org = new_org()
    context = ElementContext(
        path="duplicateRules/Account.Standard_Account_Duplicate_Rule.duplicateRule-meta.xml",
        name="Account.Standard_Account_Duplicate_Rule",
        object_name="Account",
    )
    handle_duplicate_rule(parse_xml_bytes(DUPLICATE_RULE), context, org)
    assert org.occurrences["duplicate_rules"] == 1
    rule = org.duplicate_rules["duplicaterule:Account.Standard_Account_Duplicate_Rule"]
    assert (rule.object_name, rule.name, rule.label) == (
        "Account", "Standard_Account_Duplicate_Rule", "Standard Account Duplicate Rule"
    )
    assert (rule.active, rule.action_on_insert, rule.action_on_update) == (True, "Block", "Allow")
    assert rule.description == "Blocks duplicate accounts"
    assert rule.matching_rules == ["Standard_Account_Match_Rule_v1_0", "Account_Phone_Match"]
    assert rule.location is not None and rule.location.line == 2


def test_inactive_duplicate_rule_and_first_definition_wins() -> None:
    org = new_org()
    context = ElementContext(path="a/Lead.Dupes.duplicateRule", name="Lead.Dupes",
                             object_name="Lead")
    handle_duplicate_rule(
        parse_xml_bytes(document(f"<DuplicateRule {NS}><isActive>false</isActive>"
                                 "<masterLabel>First</masterLabel></DuplicateRule>")),
        context, org,
    )
    handle_duplicate_rule(parse_xml_bytes(DUPLICATE_RULE), context, org)
    assert org.occurrences["duplicate_rules"] == 2
    rule = org.duplicate_rules["duplicaterule:Lead.Dupes"]
    assert (rule.label, rule.active, rule.matching_rules) == ("First", False, [])


MATCHING_RULES = document(f"""<MatchingRules {NS}>
    <matchingRules>
        <fullName>Email_Match</fullName>
        <booleanFilter>1 AND 2</booleanFilter>
        <label>Email Match</label>
        <matchingRuleItems>
            <blankValueBehavior>NullNotAllowed</blankValueBehavior>
            <fieldName>LastName</fieldName>
            <matchingMethod>Exact</matchingMethod>
        </matchingRuleItems>
        <matchingRuleItems>
            <fieldName>Email</fieldName>
            <matchingMethod>Exact</matchingMethod>
        </matchingRuleItems>
        <ruleStatus>Active</ruleStatus>
    </matchingRules>
    <matchingRules>
        <fullName>Phone_Match</fullName>
        <label>Phone Match</label>
        <matchingRuleItems>
            <fieldName>Phone</fieldName>
            <matchingMethod>Exact</matchingMethod>
        </matchingRuleItems>
        <ruleStatus>Inactive</ruleStatus>
    </matchingRules>
</MatchingRules>""")


def test_matching_rules_file() -> None:
    org = new_org()
    context = ElementContext(path="matchingRules/Contact.matchingRule", name="Contact",
                             object_name="Contact")
    handle_matching_rules(parse_xml_bytes(MATCHING_RULES), context, org)
    assert org.occurrences["matching_rules"] == 2
    email = org.matching_rules["matchingrule:Contact.Email_Match"]
    assert (email.object_name, email.name, email.label, email.active) == (
        "Contact", "Email_Match", "Email Match", True
    )
    assert email.fields == ["LastName", "Email"]
    assert email.location is not None and email.location.line == 3
    phone = org.matching_rules["matchingrule:Contact.Phone_Match"]
    assert (phone.active, phone.fields) == (False, ["Phone"])


@pytest.mark.parametrize("full_name", ["Email_Match", "Lead.Email_Match", None])
def test_decomposed_matching_rule(full_name: str | None) -> None:
    org = new_org()
    name_element = f"<fullName>{full_name}</fullName>" if full_name else ""
    body = document(f"""<MatchingRule {NS}>{name_element}
        <label>Email Match</label>
        <matchingRuleItems><fieldName>Email</fieldName></matchingRuleItems>
        <ruleStatus>Active</ruleStatus>
    </MatchingRule>""")
    context = ElementContext(path="matchingRules/Lead.Email_Match.matchingRule-meta.xml",
                             name="Lead.Email_Match", object_name="Lead.Email_Match")
    handle_matching_rules(parse_xml_bytes(body), context, org)
    assert org.occurrences["matching_rules"] == 1
    rule = org.matching_rules["matchingrule:Lead.Email_Match"]
    assert (rule.object_name, rule.name, rule.fields, rule.active) == (
        "Lead", "Email_Match", ["Email"], True
    )


@pytest.mark.parametrize(
    ("corpus", "rule_id", "active", "fields"),
    [
        (
            "SalesforceFoundation__NPSP",
            "matchingrule:Contact.NPSP_Contact_Personal_Email_Match",
            True,
            ["FirstName", "LastName", "npe01__HomeEmail__c"],
        ),
        (
            "SalesforceFoundation__NPSP-mdapi-2021",
            "matchingrule:Contact.NPSP_Contact_Personal_Email_Match",
            True,
            ["FirstName", "LastName", "npe01__HomeEmail__c"],
        ),
        (
            "SFDO-Community__Summit-Events-App",
            "matchingrule:Contact.Summit_Events_Contact_Creation_matching_rule",
            False,
            ["FirstName", "LastName", "Email"],
        ),
    ],
)
def test_corpus_matching_rules(corpus: str, rule_id: str, active: bool, fields: list[str]) -> None:
    org = read(corpus_path("sfdc", corpus))
    assert org.occurrences["matching_rules"] == 1
    assert org.occurrences["duplicate_rules"] == 0
    rule = org.matching_rules[rule_id]
    assert (rule.active, rule.fields) == (active, fields)
