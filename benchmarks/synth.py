"""Write a synthetic Salesforce DX project of a given size, for benchmarks at enterprise scale.

The public corpora stop at NPSP (about 1,300 metadata files); consultants run cfglint on orgs
with a thousand objects. This script writes such an org, deterministically from ``--seed``, with
the shape of the real ones: field types, required share, formula density and picklist sizes are
those measured over the ten SFDX corpora in ``../shared/corpora/sfdc/`` (2,658 fields on 188
objects; figures in :data:`FIELD_TYPE_SHARES` and below). Every count scales linearly with the
number of objects, so the ratio of two sizes' work is the ratio of their object counts.

Per object: ``FIELDS_PER_OBJECT`` fields, 2 layouts (one per profile group), 2 record-triggered
flows (a decision and a record update), 1 validation rule, a workflow rule with a field update on
every other object, and 1 report. Profiles (0.15 per object) assign the layouts and carry
``FIELD_PERMISSIONS_PER_PROFILE`` field permissions each; real profiles list every field, which
at XL would be 30 million entries, far beyond any org we have seen exported.

    python benchmarks/synth.py --size S|M|L|XL -o DIR [--seed N] [--force]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

SIZES = {"S": 10, "M": 100, "L": 500, "XL": 1000}  # objects
FIELDS_PER_OBJECT = 200
LAYOUTS_PER_OBJECT = 2
FLOWS_PER_OBJECT = 2
PROFILES_PER_OBJECT = 0.15
FIELD_PERMISSIONS_PER_PROFILE = 2000

#: Share of each field type over the SFDX corpora (cfglint FieldType values -> Salesforce type).
FIELD_TYPE_SHARES = {
    "Text": 0.232, "Picklist": 0.142, "Lookup": 0.112, "Checkbox": 0.103, "Number": 0.074,
    "Formula": 0.069, "Date": 0.053, "LongTextArea": 0.052, "Currency": 0.041,
    "MultiselectPicklist": 0.035, "TextArea": 0.030, "DateTime": 0.020, "Email": 0.012,
    "Phone": 0.011, "Url": 0.011, "Percent": 0.003,
}
REQUIRED_SHARE = 0.053  # 142 of 2,658 fields
LAYOUT_REQUIRED_SHARE = 0.05
PICKLIST_MEDIAN_VALUES = 4  # median 4, mean 10.4: a long tail

NAMESPACE = "http://soap.sforce.com/2006/04/metadata"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), required=True)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--force", action="store_true", help="replace an existing output")
    arguments = parser.parse_args()
    if arguments.output.exists():
        if not arguments.force:
            print(f"{arguments.output} exists; use --force to replace it", file=sys.stderr)
            return 2
        shutil.rmtree(arguments.output)
    files = write_org(arguments.output, SIZES[arguments.size], arguments.seed)
    print(f"wrote {files} files for size {arguments.size} to {arguments.output}")
    return 0


def write_org(root: Path, object_count: int, seed: int) -> int:
    """Write the project under ``root`` and return the number of files written."""
    plan = OrgPlan(object_count, random.Random(seed))
    written = 0
    for relative, text in plan.files():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += 1
    return written


class OrgPlan:
    """Decides every component of the org up front, then renders it file by file."""

    def __init__(self, object_count: int, rng: random.Random) -> None:
        self.rng = rng
        self.objects = [f"Obj{index:04d}__c" for index in range(object_count)]
        self.fields = {name: self._plan_fields(name) for name in self.objects}
        profile_count = max(2, round(object_count * PROFILES_PER_OBJECT))
        self.profiles = [f"Profile {index:03d}" for index in range(profile_count)]

    def _plan_fields(self, object_name: str) -> list[tuple[str, str, bool]]:
        types = self.rng.choices(
            list(FIELD_TYPE_SHARES), weights=list(FIELD_TYPE_SHARES.values()),
            k=FIELDS_PER_OBJECT,
        )
        return [
            (f"F{index:03d}__c", field_type,
             field_type not in ("Formula", "Checkbox") and self.rng.random() < REQUIRED_SHARE)
            for index, field_type in enumerate(types)
        ]

    def files(self) -> Iterator[tuple[str, str]]:
        yield "sfdx-project.json", (
            '{"packageDirectories": [{"path": "force-app", "default": true}],'
            ' "sourceApiVersion": "62.0"}\n'
        )
        base = "force-app/main/default"
        for index, object_name in enumerate(self.objects):
            yield from self._object_files(base, index, object_name)
        for index, profile in enumerate(self.profiles):
            yield f"{base}/profiles/{profile}.profile-meta.xml", self._profile(index)

    def _object_files(self, base: str, index: int, name: str) -> Iterator[tuple[str, str]]:
        folder = f"{base}/objects/{name}"
        yield f"{folder}/{name}.object-meta.xml", _document("CustomObject", (
            f"<label>Object {index}</label><pluralLabel>Objects {index}</pluralLabel>"
            "<nameField><label>Name</label><type>Text</type></nameField>"
            "<sharingModel>ReadWrite</sharingModel><deploymentStatus>Deployed</deploymentStatus>"
        ))
        for field_name, field_type, required in self.fields[name]:
            yield (f"{folder}/fields/{field_name}.field-meta.xml",
                   self._field(name, field_name, field_type, required))
        yield (f"{folder}/validationRules/Check_{index}.validationRule-meta.xml",
               self._validation_rule(name))
        for layout in range(LAYOUTS_PER_OBJECT):
            yield (f"{base}/layouts/{name}-Layout {layout}.layout-meta.xml",
                   self._layout(name, layout))
        for flow in range(FLOWS_PER_OBJECT):
            yield f"{base}/flows/{name}_Flow_{flow}.flow-meta.xml", self._flow(name, flow)
        if index % 2 == 0:
            yield f"{base}/workflows/{name}.workflow-meta.xml", self._workflow(name)
        yield (f"{base}/reports/Synthetic/{name}_Report.report-meta.xml",
               self._report(name))

    def _field(self, object_name: str, name: str, field_type: str, required: bool) -> str:
        parts = [f"<fullName>{name}</fullName><label>{name[:-3]} label</label>"]
        if self.rng.random() < 0.6:
            parts.append(f"<description>Synthetic field {name} of {object_name}.</description>")
        parts.append(_type_settings(self, object_name, field_type))
        if required:
            parts.append("<required>true</required>")
        return _document("CustomField", "".join(parts))

    def _picklist(self) -> str:
        count = max(2, int(self.rng.paretovariate(1.2) * PICKLIST_MEDIAN_VALUES / 1.8))
        values = "".join(
            f"<value><fullName>Value {index}</fullName><default>false</default>"
            f"<label>Value {index}</label></value>"
            for index in range(min(count, 300))
        )
        return f"<valueSet><restricted>true</restricted><valueSetDefinition>{values}" \
               "</valueSetDefinition></valueSet>"

    def _validation_rule(self, object_name: str) -> str:
        text_field = self._first(object_name, "Text")
        picklist = self._first(object_name, "Picklist")
        formula = (f"AND(ISPICKVAL({picklist}, 'Value 1'), ISBLANK({text_field}))"
                   if picklist and text_field else "false")
        return _document("ValidationRule", (
            f"<fullName>Check</fullName><active>true</active>"
            f"<errorConditionFormula>{escape(formula)}</errorConditionFormula>"
            "<errorMessage>Fill in the text field before choosing Value 1.</errorMessage>"
        ))

    def _layout(self, object_name: str, layout: int) -> str:
        fields = self.fields[object_name]
        shown = fields[layout::LAYOUTS_PER_OBJECT]
        items = "".join(
            f"<layoutItems><behavior>{_behavior(self.rng, field_type, required)}</behavior>"
            f"<field>{name}</field></layoutItems>"
            for name, field_type, required in shown
        )
        return _document("Layout", (
            "<layoutSections><editHeading>true</editHeading><label>Information</label>"
            f"<layoutColumns>{items}</layoutColumns><style>TwoColumnsTopToBottom</style>"
            "</layoutSections>"
        ))

    def _flow(self, object_name: str, flow: int) -> str:
        fields = self.fields[object_name]
        read_field = fields[(flow * 7) % len(fields)][0]
        written = fields[(flow * 7 + 3) % len(fields)][0]
        return _document("Flow", (
            f"<apiVersion>62.0</apiVersion><label>{object_name} flow {flow}</label>"
            "<processType>AutoLaunchedFlow</processType>"
            "<decisions><name>Check</name><label>Check</label>"
            "<defaultConnectorLabel>Default</defaultConnectorLabel>"
            f"<rules><name>Is_Set</name><conditionLogic>and</conditionLogic><conditions>"
            f"<leftValueReference>$Record.{read_field}</leftValueReference>"
            "<operator>IsNull</operator><rightValue><booleanValue>false</booleanValue>"
            "</rightValue></conditions><connector><targetReference>Update</targetReference>"
            "</connector><label>Is set</label></rules></decisions>"
            f"<recordUpdates><name>Update</name><label>Update</label><inputAssignments>"
            f"<field>{written}</field><value><stringValue>x</stringValue></value>"
            "</inputAssignments><inputReference>$Record</inputReference></recordUpdates>"
            "<start><connector><targetReference>Check</targetReference></connector>"
            f"<object>{object_name}</object><recordTriggerType>CreateAndUpdate"
            "</recordTriggerType><triggerType>RecordBeforeSave</triggerType></start>"
            "<status>Active</status>"
        ))

    def _workflow(self, object_name: str) -> str:
        target = self._first(object_name, "Checkbox") or "Name"
        criteria = self._first(object_name, "Number") or "Name"
        return _document("Workflow", (
            f"<fieldUpdates><fullName>Set_Flag</fullName><field>{target}</field>"
            "<literalValue>1</literalValue><name>Set Flag</name><operation>Literal</operation>"
            "<reevaluateOnChange>false</reevaluateOnChange></fieldUpdates>"
            "<rules><fullName>Flag</fullName><actions><name>Set_Flag</name>"
            "<type>FieldUpdate</type></actions><active>true</active><criteriaItems>"
            f"<field>{object_name}.{criteria}</field><operation>greaterThan</operation>"
            "<value>10</value></criteriaItems><triggerType>onCreateOrTriggeringUpdate"
            "</triggerType></rules>"
        ))

    def _report(self, object_name: str) -> str:
        columns = "".join(
            f"<columns><field>{object_name}.{name}</field></columns>"
            for name, _, _ in self.fields[object_name][:8]
        )
        return _document("Report", (
            f"{columns}<format>Tabular</format><name>{object_name} report</name>"
            f"<reportType>CustomEntity${object_name}</reportType>"
            "<scope>organization</scope><showDetails>true</showDetails>"
        ))

    def _profile(self, index: int) -> str:
        # Each profile works on a contiguous band of objects and sees one of their layouts.
        band = max(1, len(self.objects) // len(self.profiles))
        start = (index * band) % len(self.objects)
        objects = [self.objects[(start + offset) % len(self.objects)]
                   for offset in range(max(band, 10))]
        assignments = "".join(
            f"<layoutAssignments><layout>{name}-Layout {index % LAYOUTS_PER_OBJECT}</layout>"
            "</layoutAssignments>"
            for name in objects
        )
        permissions = "".join(
            f"<fieldPermissions><editable>{str(position % 3 != 0).lower()}</editable>"
            f"<field>{name}.{field_name}</field><readable>true</readable></fieldPermissions>"
            for position, (name, field_name) in enumerate(
                self._permission_fields(objects))
        )
        return _document("Profile", f"<custom>true</custom>{assignments}{permissions}")

    def _permission_fields(self, objects: list[str]) -> Iterator[tuple[str, str]]:
        count = 0
        for name in objects:
            for field_name, field_type, _ in self.fields[name]:
                if field_type == "Formula":
                    continue
                if count == FIELD_PERMISSIONS_PER_PROFILE:
                    return
                count += 1
                yield name, field_name

    def _first(self, object_name: str, field_type: str) -> str | None:
        return next((name for name, kind, _ in self.fields[object_name] if kind == field_type),
                    None)


def _type_settings(plan: OrgPlan, object_name: str, field_type: str) -> str:
    if field_type in ("Picklist", "MultiselectPicklist"):
        extra = "<visibleLines>4</visibleLines>" if field_type == "MultiselectPicklist" else ""
        return f"<type>{field_type}</type>{plan._picklist()}{extra}"
    if field_type == "Lookup":
        target = plan.rng.choice(plan.objects)
        return (f"<type>Lookup</type><referenceTo>{target}</referenceTo>"
                f"<relationshipName>R{plan.rng.randrange(10**6)}</relationshipName>"
                "<deleteConstraint>SetNull</deleteConstraint>")
    if field_type == "Formula":
        number = plan._first(object_name, "Number")
        formula = f"{number} * 2" if number else "1"
        return (f"<type>Number</type><formula>{escape(formula)}</formula>"
                "<precision>18</precision><scale>2</scale>")
    return _PLAIN_SETTINGS.get(field_type, f"<type>{field_type}</type>")


_PLAIN_SETTINGS = {
    "Text": "<type>Text</type><length>255</length>",
    "TextArea": "<type>TextArea</type>",
    "LongTextArea": "<type>LongTextArea</type><length>32768</length><visibleLines>3</visibleLines>",
    "Number": "<type>Number</type><precision>18</precision><scale>0</scale>",
    "Currency": "<type>Currency</type><precision>18</precision><scale>2</scale>",
    "Percent": "<type>Percent</type><precision>5</precision><scale>2</scale>",
    "Checkbox": "<type>Checkbox</type><defaultValue>false</defaultValue>",
}


def _behavior(rng: random.Random, field_type: str, required: bool) -> str:
    if field_type == "Formula":
        return "Readonly"
    if required or rng.random() < LAYOUT_REQUIRED_SHARE:
        return "Required"
    return "Edit"


def _document(root: str, body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{NAMESPACE}">{body}</{root}>\n'


if __name__ == "__main__":
    sys.exit(main())
