"""The SFDX and Metadata API readers give the same model for the same configuration.

acme-sfdx and acme-mdapi are the same org written twice: their models are equal. NPSP in SFDX
format (2025) and in Metadata API format (2021, the last commit before its conversion) share 67
objects and 877 fields; every shared field is equal apart from the content changes listed below,
each checked by hand in the two files.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from cfglint.model import Org
from cfglint.readers import read
from tests.conftest import FIXTURES, corpus_path

#: Field attributes that changed upstream between the 2021 and the 2025 commit.
NPSP_CONTENT_CHANGES = {
    # 2021 made "Home" the default address type; 2025 has no default.
    "Address__c.Address_Type__c": {"picklist_values"},
    # The trial_tso bundle (added after 2021) carries its own CampaignType value set.
    "Campaign.Type": {"picklist_values"},
    # Help text and descriptions reworded after 2021.
    "Address__c.Verification_Status__c": {"description", "help_text"},
    "Allocations_Settings__c.Payment_Allocations_Enabled__c": {"help_text"},
    "Contact.Address_Verification_Status__c": {"description", "help_text"},
    "DataImportBatch__c.Contact_Matching_Rule__c": {"description", "help_text"},
    "DataImport__c.Do_Not_Automatically_Create_Payment__c": {"description"},
    "DataImport__c.Recurring_Donation_End_Date__c": {"description", "help_text"},
    "npe03__Recurring_Donation__c.EndDate__c": {"description", "help_text"},
}


def without_locations(value: Any) -> Any:
    """A model element as plain data with every source location (and path) left out."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            item.name: without_locations(getattr(value, item.name))
            for item in dataclasses.fields(value)
            if item.name not in ("location", "files_read", "skipped", "roots", "root",
                                 "source_format", "reader_state", "suppressions")
        }
    if isinstance(value, dict):
        return {key: without_locations(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_locations(item) for item in value]
    return value


def test_acme_sfdx_and_mdapi_give_the_same_model() -> None:
    sfdx, mdapi = read(FIXTURES / "acme-sfdx"), read(FIXTURES / "acme-mdapi")
    assert (sfdx.source_format, mdapi.source_format) == ("sfdx", "mdapi")
    assert sfdx.problems == mdapi.problems == []
    assert without_locations(sfdx) == without_locations(mdapi)


def changed_attributes(sfdx: Org, mdapi: Org) -> dict[str, set[str]]:
    changes = {}
    for object_name in sorted(set(sfdx.objects) & set(mdapi.objects)):
        new, old = sfdx.objects[object_name].fields, mdapi.objects[object_name].fields
        for field_name in sorted(set(new) & set(old)):
            a, b = without_locations(new[field_name]), without_locations(old[field_name])
            differing = {key for key in a if a[key] != b[key]}
            if differing:
                changes[f"{object_name}.{field_name}"] = differing
    return changes


def test_npsp_sfdx_and_mdapi_agree_field_by_field() -> None:
    sfdx = read(corpus_path("sfdc", "SalesforceFoundation__NPSP"))
    mdapi = read(corpus_path("sfdc", "SalesforceFoundation__NPSP-mdapi-2021"))
    shared = set(sfdx.objects) & set(mdapi.objects)
    assert len(shared) == 67
    assert sum(
        len(set(sfdx.objects[name].fields) & set(mdapi.objects[name].fields)) for name in shared
    ) == 877
    assert changed_attributes(sfdx, mdapi) == NPSP_CONTENT_CHANGES
    # Nothing the 2021 package had is lost by the SFDX reader: the 2025 fields are a superset.
    for name in shared:
        assert set(mdapi.objects[name].fields) <= set(sfdx.objects[name].fields), name
