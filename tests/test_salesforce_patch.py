"""The deployable Salesforce patch of ``cfglint design`` (cfglint/writers/salesforce_patch.py).

Designs are built by hand against the Acme fixtures (three Opportunity fields made optional, one
of them gated at Proposal/Price Quote, one account-executive layout and its assignments, one
validation rule switched off), and once end to end with :func:`cfglint.design.design`. The
checks read the patch back with cfglint's own reader, and read the input with the patch laid
over it the way a Metadata API deploy merges it.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from cfglint.design import (
    AssignmentChange,
    Design,
    LaunchView,
    LaunchViewItem,
    RequiredChange,
    RuleDeactivation,
    StageGate,
)
from cfglint.model import Behavior, Org, ViewAssignment
from cfglint.readers import read
from cfglint.readers.salesforce import read_salesforce
from cfglint.writers.salesforce_patch import PatchError, build_patch, write_patch
from tests.conftest import FIXTURES

FORMATS = ("acme-sfdx", "acme-mdapi")
SFDX_ROOT = "force-app/main/default"
AE_LAYOUT = "Opportunity-AE Launch Layout"
GATE_RULE = "Require_Payment_Terms_from_Proposal"
GATE_MESSAGE = "Payment Terms & <terms> are required from 'Proposal/Price Quote' on (\"AE\")."
OPTIONAL = ("Opportunity.Decision_Criteria__c", "Opportunity.Payment_Terms__c",
            "Opportunity.Seats__c")
SALES_REP = "profile:Acme Sales Rep"
NEW_BUSINESS = "recordtype:Opportunity.New_Business"

EXPECTED_FILES = {
    "acme-sfdx": [
        f"{SFDX_ROOT}/layouts/{AE_LAYOUT}.layout-meta.xml",
        f"{SFDX_ROOT}/objects/Opportunity/fields/Decision_Criteria__c.field-meta.xml",
        f"{SFDX_ROOT}/objects/Opportunity/fields/Payment_Terms__c.field-meta.xml",
        f"{SFDX_ROOT}/objects/Opportunity/fields/Seats__c.field-meta.xml",
        f"{SFDX_ROOT}/objects/Opportunity/validationRules/"
        "Discount_Requires_Approval.validationRule-meta.xml",
        f"{SFDX_ROOT}/objects/Opportunity/validationRules/{GATE_RULE}.validationRule-meta.xml",
        f"{SFDX_ROOT}/profiles/Acme Sales Rep.profile-meta.xml",
        "package.xml",
        "sfdx-project.json",
    ],
    "acme-mdapi": [
        f"layouts/{AE_LAYOUT}.layout",
        "objects/Opportunity.object",
        "package.xml",
        "profiles/Acme Sales Rep.profile",
    ],
}
EXPECTED_MEMBERS = {
    "CustomField": list(OPTIONAL),
    "Layout": [AE_LAYOUT],
    "Profile": ["Acme Sales Rep"],
    "ValidationRule": ["Opportunity.Discount_Requires_Approval", f"Opportunity.{GATE_RULE}"],
}
#: The AE layout as the reader sees it: (section label, [(field, behavior)]).
EXPECTED_SECTIONS = [
    ("Opportunity Information", [("Name", "required"), ("AccountId", "edit"),
                                 ("Amount", "edit"), ("CloseDate", "required"),
                                 ("StageName", "required"), ("Description", "readonly")]),
    ("Qualification", [("Budget_Confirmed__c", "edit"), ("Seats__c", "edit"),
                       ("Discount_Percent__c", "edit")]),
    ("Added for launch", [("Payment_Terms__c", "edit"), ("NextStep", "edit")]),
    ("Custom Links", []),
]
#: Its columns: fields keep the original's column, new sections fill top to bottom.
EXPECTED_COLUMNS = {
    "Opportunity Information": [["Name", "AccountId", "Amount"],
                                ["CloseDate", "StageName", "Description"]],
    "Qualification": [["Budget_Confirmed__c"], ["Seats__c", "Discount_Percent__c"]],
    "Added for launch": [["Payment_Terms__c"], ["NextStep"]],
    "Custom Links": [[], [], []],
}
#: Deferred to phase 2: not in the launch configuration at all, so not required.
DEFERRED = "Opportunity.Decision_Criteria__c"

_READ_CACHE: dict[str, Org] = {}


def _source(name: str) -> Org:
    if name not in _READ_CACHE:
        _READ_CACHE[name] = read_salesforce(FIXTURES / name)
    return copy.deepcopy(_READ_CACHE[name])


def _item(name: str, behavior: Behavior) -> LaunchViewItem:
    return LaunchViewItem(name, behavior)


def _ae_view(based_on: str | None = "layout:Opportunity-Opportunity Layout") -> LaunchView:
    required, edit = Behavior.REQUIRED, Behavior.EDIT
    return LaunchView(
        view_id=f"layout:{AE_LAYOUT}", name=AE_LAYOUT, object_name="Opportunity",
        role_id="role:ae", based_on=based_on,
        sections=(
            # Description was not in this section: it goes to the shortest column.
            ("Opportunity Information", (
                _item("Name", required), _item("AccountId", edit), _item("Amount", edit),
                _item("CloseDate", required), _item("StageName", required),
                _item("Description", Behavior.READONLY))),
            # Seats__c and Discount_Percent__c stay in the original's second column.
            ("Qualification", (_item("Budget_Confirmed__c", edit), _item("Seats__c", edit),
                               _item("Discount_Percent__c", edit))),
            ("Added for launch", (_item("Payment_Terms__c", edit), _item("NextStep", edit))),
        ),
    )


def _hand_design(name: str, **changes: object) -> Design:
    """Three Opportunity fields optional, Payment_Terms__c gated at Proposal/Price Quote, the
    AE layout for the Sales Rep profile (master and New_Business), one rule switched off."""
    source = _source(name)
    launch = copy.deepcopy(source)
    for field_id in OPTIONAL:
        launch_field = launch.field(field_id)
        assert launch_field is not None and launch_field.required
        launch_field.required = False
    del launch.objects["Opportunity"].fields[DEFERRED.partition(".")[2]]
    launch.objects["Opportunity"].validation_rules["Discount_Requires_Approval"].active = False
    assignments = [
        AssignmentChange(SALES_REP, None, f"layout:{AE_LAYOUT}",
                         "layout:Opportunity-Opportunity Layout"),
        AssignmentChange(SALES_REP, NEW_BUSINESS, f"layout:{AE_LAYOUT}",
                         "layout:Opportunity-Opportunity Layout"),
    ]
    launch.view_assignments = [
        assignment for assignment in launch.view_assignments
        if not (assignment.profile_id == SALES_REP
                and assignment.view_id == "layout:Opportunity-Opportunity Layout")
    ] + [ViewAssignment(change.view_id, change.profile_id, change.record_type)
         for change in assignments]
    gate = StageGate(
        rule_name=GATE_RULE, object_name="Opportunity", field_id="Opportunity.Payment_Terms__c",
        stage_field="StageName", stages=("Proposal/Price Quote", "Negotiation/Review"),
        formula="AND(\n    OR(\n        ISPICKVAL(StageName, 'Proposal/Price Quote'),\n"
                "        ISPICKVAL(StageName, 'Negotiation/Review')\n    ),\n"
                "    ISPICKVAL(Payment_Terms__c, '')\n)",
        error_message=GATE_MESSAGE,
    )
    fields: dict[str, object] = {
        "source": source, "launch": launch, "solver": "closure",
        "required_changes": [
            RequiredChange("Opportunity.Decision_Criteria__c", True, False, None, "deferred"),
            RequiredChange("Opportunity.Payment_Terms__c", True, False, "Proposal/Price Quote",
                           "known from Proposal/Price Quote"),
            RequiredChange("Opportunity.Seats__c", True, False, None, "deferred"),
        ],
        "views": [_ae_view()],
        "assignments": assignments,
        "stage_gates": [gate],
        "rule_deactivations": [
            RuleDeactivation("validation:Opportunity.Discount_Requires_Approval", "deferred")],
    }
    fields.update(changes)
    return Design(**fields)  # type: ignore[arg-type]


def _relative_files(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def _metadata_root(patch: Path) -> Path:
    return patch / SFDX_ROOT if (patch / "sfdx-project.json").is_file() else patch


# --- input plus patch, merged as a Metadata API deploy merges it ---------------------------------


def _overlay(input_dir: Path, patch: Path, target: Path) -> Path:
    """A copy of the input with the patch deployed onto it: component files replace the
    input's, a ``.object`` adds or replaces the children it holds, a profile's layout
    assignment replaces the one for the same object and record type."""
    shutil.copytree(input_dir, target, ignore=shutil.ignore_patterns(".cfglint_cache"))
    source_root = _metadata_root(patch)
    target_root = target / SFDX_ROOT if source_root != patch else target
    for relative in _relative_files(source_root):
        if relative in ("package.xml", "sfdx-project.json"):
            continue
        destination = target_root / relative
        if destination.exists() and relative.endswith((".object", ".profile",
                                                       ".profile-meta.xml")):
            _merge(destination, source_root / relative)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source_root / relative, destination)
    return target


def _key(element: etree._Element) -> tuple[str, str]:
    name = etree.QName(element).localname
    if name == "layoutAssignments":
        layout = element.findtext("{*}layout") or ""
        return name, layout.partition("-")[0] + "|" + (element.findtext("{*}recordType") or "")
    return name, element.findtext("{*}fullName") or ""


def _merge(destination: Path, patch_file: Path) -> None:
    tree = etree.parse(str(destination))
    root = tree.getroot()
    for incoming in etree.parse(str(patch_file)).getroot():
        for existing in list(root):
            if isinstance(existing.tag, str) and _key(existing) == _key(incoming):
                root.remove(existing)
        root.append(incoming)
    tree.write(str(destination), xml_declaration=True, encoding="UTF-8")


def _assignments(org: Org, object_name: str) -> dict[tuple[str, str | None], list[str]]:
    found: dict[tuple[str, str | None], list[str]] = {}
    for assignment in org.view_assignments:
        if assignment.view_id.partition(":")[2].partition("-")[0] == object_name:
            found.setdefault((assignment.profile_id, assignment.record_type), []).append(
                assignment.view_id)
    return found


def _ordered(assignments: list[ViewAssignment]) -> list[tuple[str, str, str]]:
    return sorted((item.profile_id, item.view_id, item.record_type or "") for item in assignments)


def _element_paths(element: etree._Element, prefix: str = "") -> Iterator[str]:
    for item in element:
        if isinstance(item.tag, str):
            path = f"{prefix}/{etree.QName(item).localname}"
            yield path
            yield from _element_paths(item, path)


def _suffix(relative: str) -> str:
    return relative.removesuffix("-meta.xml").rpartition(".")[2]


# --- the hand-built design -----------------------------------------------------------------------


@pytest.mark.parametrize("name", FORMATS)
def test_the_patch_holds_exactly_what_changes(name: str, tmp_path: Path) -> None:
    written = write_patch(_hand_design(name), tmp_path / "patch")
    assert [path.relative_to(tmp_path / "patch").as_posix() for path in written] \
        == EXPECTED_FILES[name]
    assert _relative_files(tmp_path / "patch") == EXPECTED_FILES[name]


@pytest.mark.parametrize("name", FORMATS)
def test_package_xml_lists_exactly_the_components_written(name: str, tmp_path: Path) -> None:
    write_patch(_hand_design(name), tmp_path / "patch")
    package = etree.parse(str(tmp_path / "patch" / "package.xml")).getroot()
    assert package.tag == "{http://soap.sforce.com/2006/04/metadata}Package"
    members = {types.findtext("{*}name"): [member.text for member in types.iterfind("{*}members")]
               for types in package.iterfind("{*}types")}
    assert members == EXPECTED_MEMBERS
    assert package.findtext("{*}version") == "62.0"


def test_an_sfdx_patch_is_a_project_of_its_own(tmp_path: Path) -> None:
    write_patch(_hand_design("acme-sfdx"), tmp_path / "patch")
    project = json.loads((tmp_path / "patch" / "sfdx-project.json").read_text(encoding="utf-8"))
    assert project == {"name": "cfglint-launch-patch", "namespace": "",
                       "packageDirectories": [{"default": True, "path": "force-app"}],
                       "sourceApiVersion": "62.0"}


@pytest.mark.parametrize("name", FORMATS)
def test_the_reader_reads_every_file_as_its_metadata_type(name: str, tmp_path: Path) -> None:
    write_patch(_hand_design(name), tmp_path / "patch")
    patch = read(tmp_path / "patch")
    assert patch.problems == []
    assert patch.skipped == []
    assert sorted(patch.files_read) == sorted(EXPECTED_FILES[name])
    opportunity = patch.objects["Opportunity"]
    assert {field.id: field.required for field in opportunity.fields.values()} == dict.fromkeys(
        OPTIONAL, False)
    rules = opportunity.validation_rules
    assert {rule_name: rule.active for rule_name, rule in rules.items()} == {
        "Discount_Requires_Approval": False, GATE_RULE: True}
    assert rules[GATE_RULE].error_message == GATE_MESSAGE
    assert rules[GATE_RULE].error_field == "Payment_Terms__c"
    assert rules[GATE_RULE].formula == _hand_design(name).stage_gates[0].formula
    layout = patch.views[f"layout:{AE_LAYOUT}"]
    assert [(section.label, [(item.field, item.behavior.value) for item in section.items])
            for section in layout.sections] == EXPECTED_SECTIONS
    # Header, buttons and related lists come from the layout it was trimmed from.
    assert layout.components == ["Opportunity.LogACall", "FeedItem.TextPost",
                                 "RelatedActivityList", "RelatedHistoryList",
                                 "RelatedContactRoleList", "RelatedOpportunityHistoryList"]
    assert patch.view_assignments == [
        ViewAssignment(f"layout:{AE_LAYOUT}", SALES_REP, None),
        ViewAssignment(f"layout:{AE_LAYOUT}", SALES_REP, NEW_BUSINESS),
    ]


@pytest.mark.parametrize("name", FORMATS)
def test_every_element_name_is_one_the_input_uses_for_that_type(name: str,
                                                                 tmp_path: Path) -> None:
    """Each element path (``/layoutSections/layoutColumns/layoutItems/behavior``) of a patch file
    occurs in the input's files of the same type, which the readers read."""
    write_patch(_hand_design(name), tmp_path / "patch")
    known: dict[str, set[str]] = {}
    for relative in _relative_files(FIXTURES / name):
        if relative.endswith(("-meta.xml", ".object", ".layout", ".profile")):
            root = etree.parse(str(FIXTURES / name / relative)).getroot()
            known.setdefault(_suffix(relative), set()).update(_element_paths(root))
            known[_suffix(relative)].add(etree.QName(root).localname)
    root_of = {"field": "CustomField", "layout": "Layout", "profile": "Profile",
               "validationRule": "ValidationRule", "object": "CustomObject"}
    checked = 0
    for relative in _relative_files(tmp_path / "patch"):
        if relative.endswith(("package.xml", ".json")):
            continue
        root = etree.parse(str(tmp_path / "patch" / relative)).getroot()
        assert etree.QName(root).namespace == "http://soap.sforce.com/2006/04/metadata"
        assert etree.QName(root).localname == root_of[_suffix(relative)]
        assert set(_element_paths(root)) - known[_suffix(relative)] == set(), relative
        checked += 1
    assert checked == len(EXPECTED_FILES[name]) - (2 if name == "acme-sfdx" else 1)


@pytest.mark.parametrize("name", FORMATS)
def test_input_plus_patch_reads_as_the_launch_configuration(name: str, tmp_path: Path) -> None:
    design = _hand_design(name)
    write_patch(design, tmp_path / "patch")
    deployed = read(_overlay(FIXTURES / name, tmp_path / "patch", tmp_path / "org"))
    assert deployed.problems == []
    required = {field.id: field.required for crm_object in deployed.objects.values()
                for field in crm_object.fields.values()}
    assert required == {field.id: field.required for crm_object in design.launch.objects.values()
                        for field in crm_object.fields.values()} | {DEFERRED: False}
    assert _ordered(deployed.view_assignments) == _ordered(design.launch.view_assignments)
    assert _assignments(deployed, "Opportunity")[(SALES_REP, NEW_BUSINESS)] == [
        f"layout:{AE_LAYOUT}"]
    rules = deployed.objects["Opportunity"].validation_rules
    assert {rule_name: rule.active for rule_name, rule in rules.items()} == {
        "Discount_Requires_Approval": False, "Next_Step_Required_at_Proposal": True,
        GATE_RULE: True}


@pytest.mark.parametrize("name", FORMATS)
def test_the_same_design_gives_the_same_bytes(name: str, tmp_path: Path) -> None:
    first = write_patch(_hand_design(name), tmp_path / "one")
    second = write_patch(_hand_design(name), tmp_path / "two")
    assert [path.read_bytes() for path in first] == [path.read_bytes() for path in second]
    assert build_patch(_hand_design(name)) == {
        path.relative_to(tmp_path / "one").as_posix(): path.read_bytes() for path in first}


@pytest.mark.parametrize("name", FORMATS)
def test_a_trimmed_layout_keeps_the_columns_of_its_original(name: str) -> None:
    files = build_patch(_hand_design(name))
    relative = (f"{SFDX_ROOT}/layouts/{AE_LAYOUT}.layout-meta.xml" if name == "acme-sfdx"
                else f"layouts/{AE_LAYOUT}.layout")
    layout = etree.fromstring(files[relative])
    assert {section.findtext("{*}label"): [
        [item.findtext("{*}field") for item in column.iterfind("{*}layoutItems")]
        for column in section.iterfind("{*}layoutColumns")]
        for section in layout.iterfind("{*}layoutSections")} == EXPECTED_COLUMNS


def test_a_field_file_is_the_original_with_only_required_changed(tmp_path: Path) -> None:
    write_patch(_hand_design("acme-sfdx"), tmp_path / "patch")
    relative = f"{SFDX_ROOT}/objects/Opportunity/fields/Payment_Terms__c.field-meta.xml"
    original = (FIXTURES / "acme-sfdx" / relative).read_text(encoding="utf-8")
    assert original.count("<required>true</required>") == 1
    assert (tmp_path / "patch" / relative).read_text(encoding="utf-8") == original.replace(
        "<required>true</required>", "<required>false</required>")


def test_a_metadata_api_object_holds_only_the_changed_children(tmp_path: Path) -> None:
    write_patch(_hand_design("acme-mdapi"), tmp_path / "patch")
    patched = etree.parse(str(tmp_path / "patch" / "objects" / "Opportunity.object")).getroot()
    assert [(etree.QName(item).localname, item.findtext("{*}fullName")) for item in patched] == [
        ("fields", "Decision_Criteria__c"), ("fields", "Payment_Terms__c"),
        ("fields", "Seats__c"), ("validationRules", "Discount_Requires_Approval"),
        ("validationRules", GATE_RULE)]
    original = etree.parse(str(FIXTURES / "acme-mdapi" / "objects" / "Opportunity.object"))
    for item in patched:
        if item.findtext("{*}fullName") == GATE_RULE:
            continue
        before = next(element for element in original.getroot()
                      if element.tag == item.tag
                      and element.findtext("{*}fullName") == item.findtext("{*}fullName"))
        changed = {"fields": "required", "validationRules": "active"}[etree.QName(item).localname]
        assert [(etree.QName(child).localname, child.text) for child in item
                if etree.QName(child).localname != changed] == [
            (etree.QName(child).localname, child.text) for child in before
            if isinstance(child.tag, str) and etree.QName(child).localname != changed]
        assert item.findtext(f"{{*}}{changed}") == "false"


def test_text_is_escaped_as_the_platform_escapes_it(tmp_path: Path) -> None:
    write_patch(_hand_design("acme-sfdx"), tmp_path / "patch")
    text = (tmp_path / "patch" / SFDX_ROOT / "objects/Opportunity/validationRules"
            / f"{GATE_RULE}.validationRule-meta.xml").read_text(encoding="utf-8")
    assert ("    <errorMessage>Payment Terms &amp; &lt;terms&gt; are required from "
            "&apos;Proposal/Price Quote&apos; on (&quot;AE&quot;).</errorMessage>\n") in text
    assert "        ISPICKVAL(StageName, &apos;Negotiation/Review&apos;)\n" in text


def test_a_layout_built_anew_is_minimal_and_valid(tmp_path: Path) -> None:
    view = LaunchView(
        view_id="layout:Opportunity-SDR Launch Layout", name="Opportunity-SDR Launch Layout",
        object_name="Opportunity", role_id="role:sdr", based_on=None,
        sections=(("Details", (_item("Name", Behavior.REQUIRED), _item("Amount", Behavior.EDIT),
                               _item("StageName", Behavior.REQUIRED))),))
    files = build_patch(_hand_design("acme-mdapi", views=[view], assignments=[]))
    assert files["layouts/Opportunity-SDR Launch Layout.layout"].decode("utf-8") == """\
<?xml version="1.0" encoding="UTF-8"?>
<Layout xmlns="http://soap.sforce.com/2006/04/metadata">
    <layoutSections>
        <customLabel>true</customLabel>
        <detailHeading>true</detailHeading>
        <editHeading>true</editHeading>
        <label>Details</label>
        <layoutColumns>
            <layoutItems>
                <behavior>Required</behavior>
                <field>Name</field>
            </layoutItems>
            <layoutItems>
                <behavior>Edit</behavior>
                <field>Amount</field>
            </layoutItems>
        </layoutColumns>
        <layoutColumns>
            <layoutItems>
                <behavior>Required</behavior>
                <field>StageName</field>
            </layoutItems>
        </layoutColumns>
        <style>TwoColumnsTopToBottom</style>
    </layoutSections>
    <showEmailCheckbox>false</showEmailCheckbox>
    <showHighlightsPanel>false</showHighlightsPanel>
    <showInteractionLogPanel>false</showInteractionLogPanel>
    <showRunAssignmentRulesCheckbox>false</showRunAssignmentRulesCheckbox>
    <showSubmitAndAttachButton>false</showSubmitAndAttachButton>
</Layout>
"""


def test_a_layout_based_on_a_lightning_page_is_built_anew() -> None:
    files = build_patch(_hand_design(
        "acme-sfdx", views=[_ae_view(based_on="flexipage:Opportunity_Record_Page")]))
    layout = files[f"{SFDX_ROOT}/layouts/{AE_LAYOUT}.layout-meta.xml"].decode("utf-8")
    assert "<relatedLists>" not in layout
    assert layout.count("<layoutSections>") == 3


def test_the_api_version_comes_from_the_input(tmp_path: Path) -> None:
    project = tmp_path / "org"
    shutil.copytree(FIXTURES / "acme-sfdx", project,
                    ignore=shutil.ignore_patterns(".cfglint_cache"))
    settings = json.loads((project / "sfdx-project.json").read_text(encoding="utf-8"))
    (project / "sfdx-project.json").write_text(
        json.dumps({**settings, "sourceApiVersion": "59.0"}), encoding="utf-8")
    design = _hand_design("acme-sfdx")
    design.source.root = str(project)
    files = build_patch(design)
    assert b"<version>59.0</version>" in files["package.xml"]
    assert json.loads(files["sfdx-project.json"])["sourceApiVersion"] == "59.0"
    (project / "sfdx-project.json").unlink()
    assert b"<version>62.0</version>" in build_patch(design)["package.xml"]


@pytest.mark.parametrize("bad_name", ["Opportunity-../../escape", "Opportunity-a/b", "Lead-x"])
def test_names_that_would_leave_the_patch_are_refused(bad_name: str, tmp_path: Path) -> None:
    view = LaunchView(f"layout:{bad_name}", bad_name, "Opportunity", "role:ae", None,
                      (("Details", (_item("Name", Behavior.REQUIRED),)),))
    with pytest.raises(PatchError, match="layout"):
        write_patch(_hand_design("acme-sfdx", views=[view], assignments=[]), tmp_path / "patch")
    assert not (tmp_path / "patch").exists()
    assert not (tmp_path / "escape").exists()


def test_a_rule_name_that_is_no_api_name_is_refused() -> None:
    design = _hand_design("acme-mdapi")
    design.stage_gates = [StageGate("../Evil", "Opportunity", "Opportunity.Seats__c",
                                    "StageName", ("Closed Won",), "TRUE", "no")]
    with pytest.raises(PatchError, match="not a Salesforce API name"):
        build_patch(design)


def test_layouts_are_assigned_to_profiles_only() -> None:
    design = _hand_design("acme-sfdx", assignments=[
        AssignmentChange("permset:Acme_Sales_Ops", None, f"layout:{AE_LAYOUT}", None)])
    with pytest.raises(PatchError, match="permission set holds no layout assignments"):
        build_patch(design)


def test_only_salesforce_metadata_inputs_get_a_patch() -> None:
    design = _hand_design("acme-sfdx")
    design.source.source_format = "cfglint-yaml"
    with pytest.raises(PatchError, match="SFDX or Metadata API input"):
        build_patch(design)


def test_the_patch_directory_must_be_empty_unless_forced(tmp_path: Path) -> None:
    stray = tmp_path / "patch" / "layouts" / "Old.layout"
    stray.parent.mkdir(parents=True)
    stray.write_text("old", encoding="utf-8")
    with pytest.raises(PatchError, match="not empty"):
        write_patch(_hand_design("acme-mdapi"), tmp_path / "patch")
    assert stray.read_text(encoding="utf-8") == "old"
    write_patch(_hand_design("acme-mdapi"), tmp_path / "patch", force=True)
    assert _relative_files(tmp_path / "patch") == EXPECTED_FILES["acme-mdapi"]


# --- end to end: design() on the Acme fixtures ---------------------------------------------------


@pytest.mark.parametrize("name", FORMATS)
def test_design_then_patch_deploys_the_launch_configuration(name: str, tmp_path: Path) -> None:
    from cfglint.design import design as run_design
    from cfglint.readers.roles import load_roles

    source = _source(name)
    result = run_design(source, load_roles(FIXTURES / "design" / name / "roles.yaml", source))
    write_patch(result, tmp_path / "patch")
    deployed = read(_overlay(FIXTURES / name, tmp_path / "patch", tmp_path / "org"))
    assert deployed.problems == []
    for crm_object in result.launch.objects.values():
        for launch_field in crm_object.fields.values():
            deployed_field = deployed.field(launch_field.id)
            if deployed_field is not None and deployed_field.custom:
                assert deployed_field.required == launch_field.required, launch_field.id
    deferred = [change.field_id for change in result.required_changes
                if result.launch.field(change.field_id) is None]
    assert "Opportunity.Seats__c" in deferred
    for field_id in deferred:
        deployed_field = deployed.field(field_id)
        assert deployed_field is None or not deployed_field.custom or not deployed_field.required
    assert set(result.launch.view_assignments) <= set(deployed.view_assignments)
    for assignment in result.launch.view_assignments:
        object_name = assignment.view_id.partition(":")[2].partition("-")[0]
        assert _assignments(deployed, object_name)[
            (assignment.profile_id, assignment.record_type)] == [assignment.view_id]
    for launch_view in result.views:
        deployed_view = deployed.views[launch_view.view_id]
        assert [item.field for item in deployed_view.items()] == [
            item.field for _, items in launch_view.sections for item in items]
    gates = {gate.rule_name for gate in result.stage_gates if gate.rule_name}
    assert gates and gates <= set(deployed.objects["Opportunity"].validation_rules)
