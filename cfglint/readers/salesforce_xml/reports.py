"""Reports (``reports/<Folder>/<Name>.report``): which fields they show, filter and group by.

Report columns name fields in several ways, and only some say the object:

- ``Opportunity.Amount__c`` — a custom field column of a standard report type: object and field.
- ``Volunteer_Hours__c$Hours__c`` — a column of a custom report type's base object: object and
  field.
- ``AMOUNT``, ``ACCOUNT.NAME``, ``FK_NAME`` — the report type's own column tokens for standard
  fields and lookups; which field they are depends on the report type.
- ``Job__c.Shifts__r$Hours__c``, ``FK_$Job__c.Name`` — fields reached through a relationship of a
  custom report type, or of the lookup object; the object is the relationship's target.

:func:`finalize` resolves the first two forms into :attr:`Report.fields` when the object is in the
model (``Contact$Account`` becomes ``Contact.AccountId`` when the model has that field and no
``Account`` field); the other forms stay raw in ``columns`` / ``filters`` / ``groupings``.
"""

from __future__ import annotations

from lxml import etree

from cfglint.model import Org, Report
from cfglint.readers.salesforce_xml import ElementContext, ElementHandler
from cfglint.readers.xml import stripped, text


def handle_report(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["reports"] += 1
    report = Report(name=context.name, folder=context.folder, location=context.location(element))
    for node in element:
        name = node.tag
        if name == "columns":
            _append(report.columns, text(node, "field"))
        elif name in ("groupingsDown", "groupingsAcross"):
            _append(report.groupings, text(node, "field"))
        elif name == "filter":
            for item in node.iterchildren("criteriaItems"):
                _append(report.filters, text(item, "column"))
        elif name == "timeFrameFilter":
            # The date range is a filter too: the report depends on that date field.
            _append(report.filters, text(node, "dateColumn"))
        elif name == "name":
            report.label = stripped(node)
        elif name == "reportType":
            report.report_type = stripped(node)
        elif name == "description":
            report.description = stripped(node)
    report.is_forecast = "forecast" in (report.report_type or "").lower()
    if report.id not in org.reports:  # first definition wins
        org.reports[report.id] = report


def _append(values: list[str], value: str | None) -> None:
    if value and value not in values:
        values.append(value)


def finalize(org: Org) -> None:
    """Resolve ``Object.Field`` and ``Object$Field`` columns of objects in the model."""
    for report in org.reports.values():
        fields: list[str] = []
        for column in (*report.columns, *report.filters, *report.groupings):
            field_id = resolve_column(column, org)
            if field_id is not None and field_id not in fields:
                fields.append(field_id)
        report.fields = fields


def resolve_column(column: str, org: Org) -> str | None:
    """The field id a report column names, when the column says its object unambiguously."""
    if column.count("$") == 1 and "." not in column:
        object_name, _, field_name = column.partition("$")
    elif column.count(".") == 1 and "$" not in column:
        object_name, _, field_name = column.partition(".")
    else:
        return None
    crm_object = org.objects.get(object_name)
    if crm_object is None or not field_name:
        return None
    if field_name not in crm_object.fields and f"{field_name}Id" in crm_object.fields:
        field_name += "Id"  # a lookup column is named by its relationship (Contact$Account)
    return f"{object_name}.{field_name}"


HANDLERS: dict[str, ElementHandler] = {"Report": handle_report}
