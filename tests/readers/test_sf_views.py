"""Page layouts, Lightning pages and quick actions become views and quick actions."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfglint.model import Behavior, Org, ViewItem, ViewKind
from cfglint.readers import read
from cfglint.readers.salesforce_xml import ElementContext
from cfglint.readers.salesforce_xml.views import (
    handle_flexipage,
    handle_layout,
    handle_quick_action,
)
from cfglint.readers.xml import parse_xml_bytes
from tests.conftest import corpus_path

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"'

LAYOUT = f"""{HEAD}<Layout {NS}>
    <layoutSections>
        <label>Deal</label>
        <layoutColumns>
            <layoutItems>
                <behavior>Required</behavior>
                <field>Name</field>
            </layoutItems>
            <layoutItems>
                <emptySpace>true</emptySpace>
            </layoutItems>
            <layoutItems>
                <behavior>Edit</behavior>
                <field>Amount</field>
            </layoutItems>
        </layoutColumns>
        <layoutColumns>
            <layoutItems>
                <behavior>Readonly</behavior>
                <field>CreatedById</field>
            </layoutItems>
            <layoutItems>
                <customLink>Map</customLink>
            </layoutItems>
        </layoutColumns>
    </layoutSections>
    <layoutSections>
        <label>Custom Links</label>
        <layoutColumns/>
    </layoutSections>
    <platformActionList>
        <actionListContext>Record</actionListContext>
        <platformActionListItems>
            <actionName>Edit</actionName>
            <actionType>StandardButton</actionType>
        </platformActionListItems>
        <platformActionListItems>
            <actionName>Opportunity.Quick_Update</actionName>
            <actionType>QuickAction</actionType>
        </platformActionListItems>
    </platformActionList>
    <quickActionList>
        <quickActionListItems>
            <quickActionName>Opportunity.Quick_Update</quickActionName>
        </quickActionListItems>
        <quickActionListItems>
            <quickActionName>LogACall</quickActionName>
        </quickActionListItems>
    </quickActionList>
    <relatedLists>
        <fields>NAME</fields>
        <relatedList>RelatedContactRoleList</relatedList>
    </relatedLists>
    <relatedLists>
        <relatedList>Allocation__c.Opportunity__c</relatedList>
    </relatedLists>
</Layout>
"""

FLEXIPAGE = f"""{HEAD}<FlexiPage {NS}>
    <flexiPageRegions>
        <itemInstances>
            <componentInstance>
                <componentName>force:highlightsPanel</componentName>
            </componentInstance>
        </itemInstances>
        <name>header</name>
        <type>Region</type>
    </flexiPageRegions>
    <flexiPageRegions>
        <itemInstances>
            <fieldInstance>
                <fieldInstanceProperties>
                    <name>uiBehavior</name>
                    <value>required</value>
                </fieldInstanceProperties>
                <fieldItem>Record.Name</fieldItem>
            </fieldInstance>
        </itemInstances>
        <itemInstances>
            <fieldInstance>
                <fieldItem>Record.Amount</fieldItem>
                <visibilityRule>
                    <criteria>
                        <leftValue>{{!Record.StageName}}</leftValue>
                        <operator>EQUAL</operator>
                        <rightValue>Proposal</rightValue>
                    </criteria>
                </visibilityRule>
            </fieldInstance>
        </itemInstances>
        <name>Facet-left</name>
        <type>Facet</type>
    </flexiPageRegions>
    <flexiPageRegions>
        <itemInstances>
            <fieldInstance>
                <fieldInstanceProperties>
                    <name>uiBehavior</name>
                    <value>readonly</value>
                </fieldInstanceProperties>
                <fieldItem>Record.CloseDate</fieldItem>
                <visibilityRule>
                    <booleanFilter>1 OR 2</booleanFilter>
                    <criteria>
                        <leftValue>{{!Record.StageName}}</leftValue>
                        <operator>EQUAL</operator>
                        <rightValue>Proposal</rightValue>
                    </criteria>
                    <criteria>
                        <leftValue>{{!Record.Amount}}</leftValue>
                        <operator>GT</operator>
                        <rightValue>1000</rightValue>
                    </criteria>
                </visibilityRule>
            </fieldInstance>
        </itemInstances>
        <name>Facet-right</name>
        <type>Facet</type>
    </flexiPageRegions>
    <flexiPageRegions>
        <itemInstances>
            <componentInstance>
                <componentInstanceProperties>
                    <name>body</name>
                    <value>Facet-left</value>
                </componentInstanceProperties>
                <componentName>flexipage:column</componentName>
            </componentInstance>
        </itemInstances>
        <itemInstances>
            <componentInstance>
                <componentInstanceProperties>
                    <name>body</name>
                    <value>Facet-right</value>
                </componentInstanceProperties>
                <componentName>flexipage:column</componentName>
            </componentInstance>
        </itemInstances>
        <name>Facet-columns</name>
        <type>Facet</type>
    </flexiPageRegions>
    <flexiPageRegions>
        <itemInstances>
            <componentInstance>
                <componentInstanceProperties>
                    <name>columns</name>
                    <value>Facet-columns</value>
                </componentInstanceProperties>
                <componentInstanceProperties>
                    <name>label</name>
                    <value>Deal Details</value>
                </componentInstanceProperties>
                <componentName>flexipage:fieldSection</componentName>
            </componentInstance>
        </itemInstances>
        <itemInstances>
            <fieldInstance>
                <fieldItem>Record.Description</fieldItem>
            </fieldInstance>
        </itemInstances>
        <name>main</name>
        <type>Region</type>
    </flexiPageRegions>
    <flexiPageRegions>
        <componentInstances>
            <componentName>force:relatedListContainer</componentName>
        </componentInstances>
        <name>sidebar</name>
        <type>Region</type>
    </flexiPageRegions>
    <masterLabel>Opportunity Record Page</masterLabel>
    <sobjectType>Opportunity</sobjectType>
    <template>
        <name>flexipage:recordHomeTemplateDesktop</name>
    </template>
    <type>RecordPage</type>
</FlexiPage>
"""

APP_PAGE = f"""{HEAD}<FlexiPage {NS}>
    <flexiPageRegions>
        <itemInstances>
            <componentInstance>
                <componentName>gsChecklist</componentName>
            </componentInstance>
        </itemInstances>
        <name>main</name>
        <type>Region</type>
    </flexiPageRegions>
    <masterLabel>Get Started</masterLabel>
    <type>AppPage</type>
</FlexiPage>
"""

QUICK_ACTION = f"""{HEAD}<QuickAction {NS}>
    <label>Quick Update</label>
    <optionsCreateFeedItem>true</optionsCreateFeedItem>
    <quickActionLayout>
        <layoutSectionStyle>TwoColumnsLeftToRight</layoutSectionStyle>
        <quickActionLayoutColumns>
            <quickActionLayoutItems>
                <emptySpace>false</emptySpace>
                <field>StageName</field>
                <uiBehavior>Required</uiBehavior>
            </quickActionLayoutItems>
            <quickActionLayoutItems>
                <emptySpace>true</emptySpace>
                <uiBehavior>Edit</uiBehavior>
            </quickActionLayoutItems>
        </quickActionLayoutColumns>
        <quickActionLayoutColumns>
            <quickActionLayoutItems>
                <emptySpace>false</emptySpace>
                <field>Amount</field>
                <uiBehavior>Edit</uiBehavior>
            </quickActionLayoutItems>
        </quickActionLayoutColumns>
    </quickActionLayout>
    <type>Update</type>
</QuickAction>
"""

LOG_A_CALL = f"""{HEAD}<QuickAction {NS}>
    <quickActionLayout>
        <quickActionLayoutColumns>
            <quickActionLayoutItems>
                <field>Subject</field>
                <uiBehavior>Edit</uiBehavior>
            </quickActionLayoutItems>
        </quickActionLayoutColumns>
    </quickActionLayout>
    <standardLabel>LogACall</standardLabel>
    <targetObject>Task</targetObject>
    <type>LogACall</type>
</QuickAction>
"""


def new_org() -> Org:
    return Org(platform="salesforce", source_format="sfdx")


def test_layout_sections_fields_and_behaviour() -> None:
    org = new_org()
    context = ElementContext(
        path="layouts/Opportunity-Deal Layout.layout-meta.xml",
        name="Opportunity-Deal Layout",
        object_name="Opportunity",
    )
    handle_layout(parse_xml_bytes(LAYOUT.encode()), context, org)

    view = org.views["layout:Opportunity-Deal Layout"]
    assert view.kind is ViewKind.LAYOUT
    assert view.object_name == "Opportunity"
    assert view.label == "Deal Layout"
    assert [section.label for section in view.sections] == ["Deal", "Custom Links"]
    assert [(item.field, item.behavior) for item in view.items()] == [
        ("Name", Behavior.REQUIRED),
        ("Amount", Behavior.EDIT),
        ("CreatedById", Behavior.READONLY),
    ]
    assert view.sections[0].items[0].location is not None
    assert view.sections[0].items[0].location.line == 6
    assert view.components == [
        "Opportunity.Quick_Update",
        "LogACall",
        "RelatedContactRoleList",
        "Allocation__c.Opportunity__c",
    ]
    assert org.occurrences["layouts"] == 1


def test_layout_first_definition_wins_and_every_copy_counts() -> None:
    org = new_org()
    first = ElementContext(path="a/Opportunity-Deal Layout.layout", name="Opportunity-Deal Layout",
                           object_name="Opportunity")
    second = ElementContext(path="b/Opportunity-Deal Layout.layout",
                            name="Opportunity-Deal Layout", object_name="Opportunity")
    handle_layout(parse_xml_bytes(LAYOUT.encode()), first, org)
    handle_layout(parse_xml_bytes(f"<Layout {NS}/>".encode()), second, org)

    assert org.occurrences["layouts"] == 2
    view = org.views["layout:Opportunity-Deal Layout"]
    assert view.location is not None and view.location.path == "a/Opportunity-Deal Layout.layout"
    assert len(view.field_names()) == 3


def test_record_page_dynamic_forms() -> None:
    org = new_org()
    context = ElementContext(path="flexipages/Opp.flexipage-meta.xml", name="Opp_Record_Page")
    handle_flexipage(parse_xml_bytes(FLEXIPAGE.encode()), context, org)

    view = org.views["flexipage:Opp_Record_Page"]
    assert view.kind is ViewKind.FLEXIPAGE
    assert view.object_name == "Opportunity"
    assert view.label == "Opportunity Record Page"
    # The two columns of the "Deal Details" field section make one section.
    assert [section.label for section in view.sections] == ["Deal Details", "main"]
    assert [
        (item.field, item.behavior, item.visibility) for item in view.items()
    ] == [
        ("Name", Behavior.REQUIRED, None),
        ("Amount", Behavior.EDIT, "{!Record.StageName} EQUAL Proposal"),
        (
            "CloseDate",
            Behavior.READONLY,
            "({!Record.StageName} EQUAL Proposal) OR ({!Record.Amount} GT 1000)",
        ),
        ("Description", Behavior.EDIT, None),
    ]
    # Layout scaffolding (columns, field sections) is not counted as a component.
    assert view.components == ["force:highlightsPanel", "force:relatedListContainer"]
    assert org.occurrences["flexipages"] == 1


def test_app_page_has_no_object() -> None:
    org = new_org()
    context = ElementContext(path="flexipages/GetStarted.flexipage", name="GetStarted")
    handle_flexipage(parse_xml_bytes(APP_PAGE.encode()), context, org)

    view = org.views["flexipage:GetStarted"]
    assert view.object_name is None
    assert view.sections == []
    assert view.components == ["gsChecklist"]


def test_object_quick_action() -> None:
    org = new_org()
    context = ElementContext(
        path="quickActions/Opportunity.Quick_Update.quickAction-meta.xml",
        name="Opportunity.Quick_Update",
        object_name="Opportunity",
    )
    handle_quick_action(parse_xml_bytes(QUICK_ACTION.encode()), context, org)

    action = org.quick_actions["quickaction:Opportunity.Quick_Update"]
    assert action.name == "Quick_Update"
    assert action.object_name == "Opportunity"
    assert action.label == "Quick Update"
    assert action.action_type == "Update"
    assert action.target_object == "Opportunity"
    assert [(item.field, item.behavior) for item in action.fields] == [
        ("StageName", Behavior.REQUIRED),
        ("Amount", Behavior.EDIT),
    ]
    assert org.occurrences["quick_actions"] == 1


def test_global_quick_action() -> None:
    org = new_org()
    context = ElementContext(path="quickActions/LogACall.quickAction", name="LogACall")
    handle_quick_action(parse_xml_bytes(LOG_A_CALL.encode()), context, org)

    action = org.quick_actions["quickaction:LogACall"]
    assert action.object_name is None
    assert action.action_type == "LogACall"
    assert action.target_object == "Task"
    assert action.label == "LogACall"
    assert [item.field for item in action.fields] == ["Subject"]


def test_odd_content_does_not_raise() -> None:
    org = new_org()
    context = ElementContext(path="x", name="Broken")
    handle_layout(parse_xml_bytes(b"<Layout><layoutSections><layoutColumns><layoutItems/>"
                                  b"</layoutColumns></layoutSections></Layout>"), context, org)
    handle_flexipage(parse_xml_bytes(b"<FlexiPage><flexiPageRegions><itemInstances>"
                                     b"<fieldInstance/></itemInstances></flexiPageRegions>"
                                     b"<type>RecordPage</type></FlexiPage>"), context, org)
    handle_quick_action(parse_xml_bytes(b"<QuickAction/>"), context, org)

    assert org.views["layout:Broken"].object_name is None
    assert list(org.views["layout:Broken"].items()) == []
    assert org.views["flexipage:Broken"].object_name is None
    assert org.quick_actions["quickaction:Broken"].fields == []


@pytest.mark.parametrize(
    ("corpus", "layouts", "flexipages", "quick_actions"),
    [
        ("SalesforceFoundation__NPSP", 138, 36, 46),
        ("SalesforceFoundation__NPSP-mdapi-2021", 91, 20, 32),
        ("SalesforceFoundation__EDA", 45, 5, 0),
        ("SalesforceFoundation__PMM", 13, 12, 18),
        ("SalesforceFoundation__Volunteers-for-Salesforce", 9, 0, 0),
        ("SFDO-Community__Summit-Events-App", 18, 6, 0),
        ("EDACS__EASY-Open-Source-Solution", 26, 1, 0),
        ("trailheadapps__coral-cloud", 7, 9, 1),
        ("trailheadapps__ebikes-lwc", 6, 4, 0),
        ("trailheadapps__dreamhouse-lwc", 2, 5, 0),
    ],
)
def test_corpus_view_counts(corpus: str, layouts: int, flexipages: int, quick_actions: int) -> None:
    org = read(corpus_path("sfdc", corpus))
    assert org.occurrences["layouts"] == layouts
    assert org.occurrences["flexipages"] == flexipages
    assert org.occurrences["quick_actions"] == quick_actions


def test_npsp_donation_layout_required_items() -> None:
    org = read(corpus_path("sfdc", "SalesforceFoundation__NPSP"))
    view = org.views["layout:Opportunity-Donation Layout"]
    required = [item.field for item in view.items() if item.behavior is Behavior.REQUIRED]
    assert required == ["Name", "AccountId", "CloseDate", "StageName"]
    assert "RelatedContactRoleList" in view.components


def test_ebikes_dynamic_forms_page() -> None:
    root: Path = corpus_path("sfdc", "trailheadapps__ebikes-lwc")
    view = read(root).views["flexipage:Order_Record_Page"]
    assert view.object_name == "Order__c"
    assert [section.label for section in view.sections] == ["Information"]
    assert view.sections[0].items[0] == ViewItem(
        field="Account__c",
        behavior=Behavior.REQUIRED,
        location=view.sections[0].items[0].location,
    )
    assert view.sections[0].items[1].visibility == "{!Record.Name} NE"
