"""Standard and global value sets, business processes, and the pipelines finalize builds."""

from __future__ import annotations

import pytest

from cfglint.model import CrmObject, Field, FieldType, Org, PicklistValue
from cfglint.readers import read
from cfglint.readers.salesforce_xml import ElementContext
from cfglint.readers.salesforce_xml.values import (
    finalize,
    handle_business_process,
    handle_global_value_set,
    handle_standard_value_set,
)
from cfglint.readers.xml import parse_xml_bytes
from tests.conftest import corpus_path

NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"'


def new_org() -> Org:
    return Org(platform="salesforce", source_format="sfdx")


def document(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()


def context(name: str, object_name: str | None = None, path: str = "x.xml") -> ElementContext:
    return ElementContext(path=path, name=name, object_name=object_name)


def stage_value(name: str, probability: int, closed: bool, won: bool, forecast: str) -> str:
    return (
        f"<standardValue><fullName>{name}</fullName><default>false</default>"
        f"<label>{name}</label><closed>{str(closed).lower()}</closed>"
        f"<forecastCategory>{forecast}</forecastCategory><probability>{probability}</probability>"
        f"<won>{str(won).lower()}</won></standardValue>"
    )


OPPORTUNITY_STAGE = document(
    f"<StandardValueSet {NS}><sorted>false</sorted>"
    + stage_value("Prospecting", 10, False, False, "Pipeline")
    + stage_value("Closed Lost", 0, True, False, "Omitted")
    + stage_value("Proposal/Price Quote", 75, False, False, "Pipeline")
    + stage_value("Closed Won", 100, True, True, "Closed")
    + "</StandardValueSet>"
)


def business_process(name: str, *values: str, active: str = "true") -> bytes:
    listed = "".join(
        f"<values><fullName>{value}</fullName><default>false</default></values>"
        for value in values
    )
    return document(
        f"<BusinessProcess {NS}><fullName>{name}</fullName><isActive>{active}</isActive>"
        f"{listed}</BusinessProcess>"
    )


def read_stage_set(org: Org, data: bytes = OPPORTUNITY_STAGE) -> None:
    handle_standard_value_set(parse_xml_bytes(data), context("OpportunityStage"), org)


# --- value sets ---------------------------------------------------------------------------------


def test_opportunity_stage_value_set_has_values_and_stages() -> None:
    org = new_org()
    read_stage_set(org)

    value_set = org.value_sets["standardvalueset:OpportunityStage"]
    assert value_set.standard is True
    assert value_set.sorted is False
    assert [value.name for value in value_set.values] == [
        "Prospecting", "Closed Lost", "Proposal/Price Quote", "Closed Won"
    ]
    won = value_set.stages[3]
    assert (won.name, won.probability, won.closed, won.won, won.forecast_category, won.order) == (
        "Closed Won", 100.0, True, True, "Closed", 3
    )
    assert value_set.stages[1].closed is True and value_set.stages[1].won is False
    assert org.occurrences["standard_value_sets"] == 1


def test_lead_status_converted_value_closes_and_wins() -> None:
    org = new_org()
    lead_status = document(f"""<StandardValueSet {NS}>
    <standardValue><fullName>Open</fullName><default>true</default><label>Open</label>
        <converted>false</converted></standardValue>
    <standardValue><fullName>Qualified</fullName><default>false</default><label>Qualified</label>
        <converted>true</converted></standardValue>
</StandardValueSet>""")
    handle_standard_value_set(parse_xml_bytes(lead_status), context("LeadStatus"), org)

    value_set = org.value_sets["standardvalueset:LeadStatus"]
    assert [value.default for value in value_set.values] == [True, False]
    assert [(stage.closed, stage.won) for stage in value_set.stages] == [
        (False, False), (True, True)
    ]


def test_other_standard_value_sets_carry_no_stages() -> None:
    org = new_org()
    lead_source = document(
        f"<StandardValueSet {NS}><sorted>true</sorted><standardValue><fullName>Web</fullName>"
        "<default>false</default><label>Web</label></standardValue></StandardValueSet>"
    )
    handle_standard_value_set(parse_xml_bytes(lead_source), context("LeadSource"), org)
    value_set = org.value_sets["standardvalueset:LeadSource"]
    assert [value.name for value in value_set.values] == ["Web"]
    assert value_set.stages == []
    assert value_set.sorted is True


def test_global_value_set() -> None:
    org = new_org()
    global_set = document(f"""<GlobalValueSet {NS}>
    <customValue><fullName>PPD</fullName><default>true</default><label>Prearranged</label>
    </customValue>
    <customValue><fullName>OLD</fullName><default>false</default><isActive>false</isActive>
        <label>Old code</label></customValue>
    <description>ACH codes</description>
    <masterLabel>Payment ACH Code</masterLabel>
    <sorted>false</sorted>
</GlobalValueSet>""")
    handle_global_value_set(
        parse_xml_bytes(global_set), context("Payment_ACH_Code", path="g.xml"), org
    )

    value_set = org.value_sets["globalvalueset:Payment_ACH_Code"]
    assert value_set.standard is False
    assert value_set.description == "ACH codes"
    assert [(v.name, v.label, v.default, v.active) for v in value_set.values] == [
        ("PPD", "Prearranged", True, True), ("OLD", "Old code", False, False)
    ]
    assert value_set.location is not None and value_set.location.path == "g.xml"
    assert org.occurrences["global_value_sets"] == 1


def test_later_copy_of_a_value_set_only_adds_missing_values() -> None:
    org = new_org()
    read_stage_set(org)
    read_stage_set(org, document(
        f"<StandardValueSet {NS}>"
        + stage_value("Prospecting", 20, False, False, "Pipeline")
        + stage_value("Pledged", 50, False, False, "Pipeline")
        + "</StandardValueSet>"
    ))

    value_set = org.value_sets["standardvalueset:OpportunityStage"]
    assert [value.name for value in value_set.values][-2:] == ["Closed Won", "Pledged"]
    assert value_set.stages[0].probability == 10.0  # the first definition wins
    assert [stage.order for stage in value_set.stages] == [0, 1, 2, 3, 4]
    assert org.occurrences["standard_value_sets"] == 2


# --- business processes and pipelines -----------------------------------------------------------


def test_business_process_becomes_a_pipeline_of_stage_names() -> None:
    org = new_org()
    data = business_process("Donation", "Closed Won", "Proposal%2FPrice Quote", active="false")
    handle_business_process(parse_xml_bytes(data), context("Donation", "Opportunity"), org)

    pipeline = org.pipelines["pipeline:Opportunity.Donation"]
    assert pipeline.stage_field == "StageName"
    assert pipeline.active is False
    assert pipeline.is_default is False
    assert [stage.name for stage in pipeline.stages] == ["Closed Won", "Proposal/Price Quote"]
    assert org.occurrences["business_processes"] == 1
    assert "Opportunity" in org.objects


def test_support_process_uses_the_status_field() -> None:
    org = new_org()
    data = business_process("Behavior Management", "Closed", "New")
    handle_business_process(parse_xml_bytes(data), context("Behavior Management", "Case"), org)
    finalize(org)

    pipeline = org.pipelines["pipeline:Case.Behavior Management"]
    assert pipeline.stage_field == "Status"
    # No CaseStatus set in the project: the platform's own Case statuses say Closed is closed.
    assert [(stage.name, stage.closed, stage.order) for stage in pipeline.stages] == [
        ("New", False, 0), ("Closed", True, 1)
    ]


def test_finalize_fills_stages_from_the_value_set_in_picklist_order() -> None:
    org = new_org()
    read_stage_set(org)
    data = business_process(
        "Sales", "Closed Lost", "Closed Won", "Custom Step", "Proposal/Price Quote", "Prospecting"
    )
    handle_business_process(parse_xml_bytes(data), context("Sales", "Opportunity"), org)
    finalize(org)

    pipeline = org.pipelines["pipeline:Opportunity.Sales"]
    # Open stages in picklist order (the unknown one after them), then won, then lost.
    assert [(stage.name, stage.order) for stage in pipeline.stages] == [
        ("Prospecting", 0), ("Proposal/Price Quote", 1), ("Custom Step", 2),
        ("Closed Won", 3), ("Closed Lost", 4),
    ]
    proposal = pipeline.stages[1]
    assert (proposal.probability, proposal.forecast_category, proposal.closed) == (
        75.0, "Pipeline", False
    )
    assert pipeline.stages[3].won is True
    assert pipeline.stages[2].probability is None
    assert [stage.name for stage in pipeline.open_stages()] == [
        "Prospecting", "Proposal/Price Quote", "Custom Step"
    ]
    # The value set's own stages are not shared with the pipeline.
    assert pipeline.stages[0] is not org.value_sets["standardvalueset:OpportunityStage"].stages[0]
    assert "pipeline:Opportunity.Default" not in org.pipelines


def test_platform_stages_fill_in_without_a_value_set() -> None:
    org = new_org()
    data = business_process("Applicant", "Closed Lost", "Closed Won", "Prospecting")
    handle_business_process(parse_xml_bytes(data), context("Applicant", "Opportunity"), org)
    finalize(org)

    stages = org.pipelines["pipeline:Opportunity.Applicant"].stages
    assert [(s.name, s.probability, s.closed, s.won) for s in stages] == [
        ("Prospecting", 10.0, False, False),
        ("Closed Won", 100.0, True, True),
        ("Closed Lost", 0.0, True, False),
    ]


def test_default_pipeline_from_the_stage_set_when_there_is_no_business_process() -> None:
    org = new_org()
    read_stage_set(org)
    finalize(org)

    pipeline = org.pipelines["pipeline:Opportunity.Default"]
    assert pipeline.is_default is True
    assert pipeline.stage_field == "StageName"
    assert [(stage.name, stage.order) for stage in pipeline.stages] == [
        ("Prospecting", 0), ("Proposal/Price Quote", 1), ("Closed Won", 2), ("Closed Lost", 3)
    ]
    assert list(org.pipelines) == ["pipeline:Opportunity.Default"]


def test_no_pipeline_without_business_process_or_stage_set() -> None:
    org = new_org()
    finalize(org)
    assert org.pipelines == {}


# --- picklist values ----------------------------------------------------------------------------


def test_global_value_set_values_reach_fields_and_keep_dependencies() -> None:
    org = new_org()
    global_set = document(
        f"<GlobalValueSet {NS}>"
        "<customValue><fullName>Gym</fullName><default>false</default><label>Gym</label>"
        "</customValue>"
        "<customValue><fullName>Hall</fullName><default>false</default><label>Hall</label>"
        "</customValue></GlobalValueSet>"
    )
    handle_global_value_set(parse_xml_bytes(global_set), context("Buildings"), org)
    crm_object = org.ensure_object("Event__c")
    crm_object.fields["Building__c"] = Field(
        "Event__c", "Building__c", type=FieldType.PICKLIST, value_set_name="Buildings",
        controlling_field="Campus__c",
        picklist_values=[PicklistValue("Hall", valid_for=["North"])],
    )
    crm_object.fields["Room__c"] = Field(
        "Event__c", "Room__c", type=FieldType.PICKLIST, value_set_name="Missing_Set"
    )
    finalize(org)

    building = crm_object.fields["Building__c"]
    assert [(v.name, v.label, v.valid_for) for v in building.picklist_values] == [
        ("Gym", "Gym", []), ("Hall", "Hall", ["North"])
    ]
    assert building.picklist_values[0] is not org.value_sets[
        "globalvalueset:Buildings"
    ].values[0]
    assert crm_object.fields["Room__c"].picklist_values == []


def test_standard_value_sets_reach_standard_picklists() -> None:
    org = new_org()
    read_stage_set(org)
    lead_source = document(
        f"<StandardValueSet {NS}><standardValue><fullName>Web</fullName>"
        "<default>false</default><label>Web</label></standardValue></StandardValueSet>"
    )
    handle_standard_value_set(parse_xml_bytes(lead_source), context("LeadSource"), org)
    org.objects["Opportunity"] = CrmObject("Opportunity")
    org.objects["Opportunity"].fields["StageName"] = Field(
        "Opportunity", "StageName", type=FieldType.PICKLIST, source_type="Picklist"
    )
    org.objects["Account"] = CrmObject("Account")
    org.objects["Account"].fields["AccountSource"] = Field(
        "Account", "AccountSource", type=FieldType.PICKLIST, source_type="Picklist",
        picklist_values=[PicklistValue("Own")],
    )
    finalize(org)

    stage_field = org.objects["Opportunity"].fields["StageName"]
    assert [value.name for value in stage_field.picklist_values] == [
        "Prospecting", "Closed Lost", "Proposal/Price Quote", "Closed Won"
    ]
    # The object exists and the set does: the standard field is added.
    lead_source_field = org.objects["Opportunity"].fields["LeadSource"]
    assert lead_source_field.type is FieldType.PICKLIST
    assert lead_source_field.custom is False
    assert [value.name for value in lead_source_field.picklist_values] == ["Web"]
    # Values the project gives a field itself are kept.
    assert [v.name for v in org.objects["Account"].fields["AccountSource"].picklist_values] == [
        "Own"
    ]
    # No Lead or Contact object in the model: nothing is invented for them.
    assert "Lead" not in org.objects and "Contact" not in org.objects


# --- corpora ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("corpus", "expected"),
    [
        # (business processes, standard value sets, global value sets) met in files
        ("SalesforceFoundation__NPSP", (10, 16, 1)),
        ("SalesforceFoundation__NPSP-mdapi-2021", (6, 8, 1)),
        ("SalesforceFoundation__EDA", (1, 0, 0)),
        ("SFDO-Community__Summit-Events-App", (0, 0, 10)),
        ("EDACS__EASY-Open-Source-Solution", (2, 1, 13)),
        ("trailheadapps__coral-cloud", (0, 1, 0)),
    ],
)
def test_corpus_value_set_occurrences(corpus: str, expected: tuple[int, int, int]) -> None:
    org = read(corpus_path("sfdc", corpus))
    kinds = ("business_processes", "standard_value_sets", "global_value_sets")
    assert tuple(org.occurrences[kind] for kind in kinds) == expected


def test_npsp_pipelines() -> None:
    org = read(corpus_path("sfdc", "SalesforceFoundation__NPSP"))
    stage_counts = {pipeline.name: len(pipeline.stages) for pipeline in org.pipelines.values()}
    assert stage_counts == {
        "NPSP_Default": 10, "Donation": 6, "Grant": 5, "In-Kind Gift": 4, "Major Gift": 9
    }
    grant = org.pipelines["pipeline:Opportunity.Grant"]
    assert [(s.name, s.probability, s.closed, s.won) for s in grant.stages] == [
        ("Prospecting", 10.0, False, False),
        ("LOI Submitted", 20.0, False, False),
        ("Application Submitted", 30.0, False, False),
        ("Awarded", 100.0, True, True),
        ("Withdrawn", 0.0, True, False),
    ]
    # The stage picklist has every OpportunityStage value met in any bundle.
    assert len(org.objects["Opportunity"].fields["StageName"].picklist_values) == 25


def test_easy_pipelines_and_global_value_set_fields() -> None:
    org = read(corpus_path("sfdc", "EDACS__EASY-Open-Source-Solution"))
    assert sorted(org.pipelines) == [
        "pipeline:Opportunity.Applicant", "pipeline:Opportunity.Inquiry"
    ]
    for pipeline in org.pipelines.values():
        assert [stage.name for stage in pipeline.stages] == [
            "Prospecting", "Closed Won", "Closed Lost"
        ]
    on_value_sets = [field for field in org.fields() if field.value_set_name]
    assert on_value_sets
    assert all(field.picklist_values for field in on_value_sets)
