"""Reports: columns, filters, groupings, and the field ids resolved from them."""

from __future__ import annotations

import pytest

from cfglint.model import Field, Org
from cfglint.readers import read
from cfglint.readers.salesforce_xml import ElementContext, reports
from cfglint.readers.salesforce_xml.reports import handle_report, resolve_column
from cfglint.readers.xml import parse_xml_bytes
from tests.conftest import corpus_path

NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"'


def new_org() -> Org:
    return Org(platform="salesforce", source_format="sfdx")


def document(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()


REPORT = document(f"""<Report {NS}>
    <columns>
        <field>OPPORTUNITY_NAME</field>
    </columns>
    <columns>
        <aggregateTypes>Sum</aggregateTypes>
        <field>AMOUNT</field>
    </columns>
    <columns>
        <field>Opportunity.Payments__c</field>
    </columns>
    <columns>
        <field>Job__c.Shifts__r$Hours__c</field>
    </columns>
    <description>Opportunities with no payment</description>
    <filter>
        <booleanFilter>1 AND 2</booleanFilter>
        <criteriaItems>
            <column>Opportunity.Payments__c</column>
            <operator>equals</operator>
            <value>0</value>
        </criteriaItems>
        <criteriaItems>
            <column>Contact$Account</column>
            <operator>notEqual</operator>
            <value></value>
        </criteriaItems>
        <language>en_US</language>
    </filter>
    <format>Matrix</format>
    <groupingsAcross>
        <dateGranularity>Month</dateGranularity>
        <field>CLOSE_DATE</field>
        <sortOrder>Asc</sortOrder>
    </groupingsAcross>
    <groupingsDown>
        <field>Job__c$Name</field>
        <sortOrder>Asc</sortOrder>
    </groupingsDown>
    <name>Opportunities without Payments</name>
    <reportType>Opportunity</reportType>
    <scope>organization</scope>
    <timeFrameFilter>
        <dateColumn>CLOSE_DATE</dateColumn>
        <interval>INTERVAL_CUSTOM</interval>
    </timeFrameFilter>
</Report>""")


def read_report(org: Org, folder: str | None = "Health_Check") -> None:
    context = ElementContext(
        path=f"reports/{folder}/No_Payments.report-meta.xml", name="No_Payments", folder=folder
    )
    handle_report(parse_xml_bytes(REPORT), context, org)


def test_report() -> None:
    org = new_org()
    read_report(org)
    assert org.occurrences["reports"] == 1
    report = org.reports["report:Health_Check/No_Payments"]
    assert (report.name, report.folder, report.label) == (
        "No_Payments", "Health_Check", "Opportunities without Payments"
    )
    assert (report.report_type, report.description) == (
        "Opportunity", "Opportunities with no payment"
    )
    assert report.columns == [
        "OPPORTUNITY_NAME", "AMOUNT", "Opportunity.Payments__c", "Job__c.Shifts__r$Hours__c"
    ]
    assert report.filters == ["Opportunity.Payments__c", "Contact$Account", "CLOSE_DATE"]
    assert report.groupings == ["CLOSE_DATE", "Job__c$Name"]
    assert report.fields == []  # resolved by finalize
    assert report.is_forecast is False
    assert report.location is not None and report.location.line == 2


def test_first_report_definition_wins() -> None:
    org = new_org()
    read_report(org)
    context = ElementContext(path="b/No_Payments.report", name="No_Payments",
                             folder="Health_Check")
    handle_report(parse_xml_bytes(document(f"<Report {NS}><name>Other</name></Report>")),
                  context, org)
    assert org.occurrences["reports"] == 2
    assert org.reports["report:Health_Check/No_Payments"].label == (
        "Opportunities without Payments"
    )


def test_report_without_folder() -> None:
    org = new_org()
    read_report(org, folder=None)
    assert list(org.reports) == ["report:No_Payments"]


def test_finalize_resolves_columns_that_name_their_object() -> None:
    org = new_org()
    read_report(org)
    org.ensure_object("Opportunity")
    org.ensure_object("Job__c")
    contact = org.ensure_object("Contact")
    contact.fields["AccountId"] = Field(object_name="Contact", name="AccountId")
    reports.finalize(org)
    report = org.reports["report:Health_Check/No_Payments"]
    assert report.fields == ["Opportunity.Payments__c", "Contact.AccountId", "Job__c.Name"]


@pytest.mark.parametrize(
    ("column", "field_id"),
    [
        ("Opportunity.Amount__c", "Opportunity.Amount__c"),
        ("Opportunity$Amount", "Opportunity.Amount"),
        ("Contact$Account", "Contact.Account"),  # no AccountId in the model: kept as written
        ("ACCOUNT.NAME", None),  # a column token, not the Account object
        ("AMOUNT", None),
        ("Lead.Status", None),  # object not in the model
        ("Job__c.Shifts__r$Hours__c", None),  # through a relationship
        ("FK_$Job__c.Name", None),
        ("Opportunity.", None),
        ("Opportunity.Account.Name", None),
    ],
)
def test_resolve_column(column: str, field_id: str | None) -> None:
    org = new_org()
    for name in ("Opportunity", "Contact", "Job__c", "Account"):
        org.ensure_object(name)
    assert resolve_column(column, org) == field_id


def test_forecast_report_type() -> None:
    org = new_org()
    context = ElementContext(path="reports/F/Q.report", name="Q", folder="F")
    handle_report(
        parse_xml_bytes(document(f"<Report {NS}><reportType>ForecastingItem</reportType>"
                                 "</Report>")),
        context, org,
    )
    assert org.reports["report:F/Q"].is_forecast is True


#: MANIFEST figures: reports per corpus (occurrences before de-duplication).
CORPUS_REPORTS = {
    "SalesforceFoundation__NPSP": 75,
    "SalesforceFoundation__NPSP-mdapi-2021": 75,
    "SalesforceFoundation__PMM": 17,
    "SalesforceFoundation__Volunteers-for-Salesforce": 32,
    "SFDO-Community__Summit-Events-App": 12,
    "EDACS__EASY-Open-Source-Solution": 12,
    "trailheadapps__coral-cloud": 0,
    "trailheadapps__dreamhouse-lwc": 0,
    "Flow-Scanner__lightning-flow-scanner": 0,
}


@pytest.mark.parametrize(("corpus", "count"), sorted(CORPUS_REPORTS.items()))
def test_corpus_report_counts(corpus: str, count: int) -> None:
    org = read(corpus_path("sfdc", corpus))
    assert org.occurrences["reports"] == count
    assert len(org.reports) == count


def test_volunteers_report_fields() -> None:
    org = read(corpus_path("sfdc", "SalesforceFoundation__Volunteers-for-Salesforce"))
    reports.finalize(org)
    report = org.reports["report:Volunteer_Reports/Inactive_Volunteers"]
    assert (report.label, report.report_type) == ("Inactive Volunteers", "ContactList")
    assert report.fields == [
        "Contact.Volunteer_Status__c",
        "Contact.Volunteer_Hours__c",
        "Contact.First_Volunteer_Date__c",
        "Contact.Last_Volunteer_Date__c",
    ]
    assert "ACCOUNT.NAME" in report.columns
