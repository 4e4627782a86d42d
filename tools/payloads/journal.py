"""FiEntries (root `FiEntryPar`, lines in sub-object `FiEntries`): one balanced journal entry.

The header names the administration (`UnId`: without it AFAS books into the administration the
token user last logged into), the journal, and the booking year and period that contain the entry
date (W18: the caller reads them from `Profit_periods_per_administration`). Every line carries
the product's reference as its voucher number (`BpNr`), which `Profit_Transactions` shows as
`VoucherNo`: the entry can be found by it when AFAS's answer was lost (W16).
"""

from __future__ import annotations

from policies import afas_fields as af
from policies.facts import JournalEntryFacts, JournalLine
from tools.payloads._elements import Body, Legacy, element, envelope, sub_object


def _line(
    facts: JournalEntryFacts, line: JournalLine, *, voucher: str, legacy: Legacy | None
) -> Body:
    values = {
        af.LINE_ACCOUNT_KIND.field_id: af.ACCOUNT_KIND_CODE[line.account_kind],
        af.LINE_ACCOUNT.field_id: line.account,
        af.LINE_ENTRY_DATE.field_id: facts.entry_date,
        "BpDa": facts.entry_date,  # voucher date: the entry date, as in AFAS's examples
        "BpNr": voucher,
        # Both sides, the other one zero, as AFAS's own examples send them.
        af.LINE_DEBIT.field_id: line.debit,
        af.LINE_CREDIT.field_id: line.credit,
        af.LINE_VAT_CODE.field_id: line.vat_code,
        af.LINE_DESCRIPTION.field_id: line.description or facts.description,
    }
    objects = []
    if line.cost_centre:
        allocation = element(
            af.LINE_ALLOCATION, {af.LINE_COST_CENTRE.field_id: line.cost_centre}, legacy=legacy
        )
        objects.append(sub_object(af.LINE_ALLOCATION, allocation))
    if line.project_id:
        project = {
            af.LINE_PROJECT.field_id: line.project_id,
            af.LINE_PROJECT_ITEM.field_id: line.project_item,
        }
        objects.append(
            sub_object(
                af.LINE_PROJECT.object_name,
                element(af.LINE_PROJECT.object_name, project, legacy=legacy),
            )
        )
    return element(af.JOURNAL_LINES, values, objects=objects, legacy=legacy)


def journal_body(
    facts: JournalEntryFacts,
    *,
    year: int,
    period: int,
    voucher: str,
    legacy: Legacy | None = None,
) -> Body:
    """The entry as one `FiEntries` insert.

    A line's cost centre goes in its `FiDimEntries`, its project and the project's cost item
    (`ItCd`, which AFAS needs with every project line) in its `FiPrjEntries`.

    Args:
        facts: the entry.
        year: the booking year whose period contains the entry date.
        period: that booking period.
        voucher: the voucher number on every line (`tools.payloads._elements.reference`).
        legacy: the W7 override table (default: the packaged rules').
    """
    lines = [_line(facts, line, voucher=voucher, legacy=legacy) for line in facts.lines]
    header = element(
        af.JOURNAL_ROOT,
        {
            af.JOURNAL_YEAR.field_id: year,
            af.JOURNAL_PERIOD.field_id: period,
            af.JOURNAL_ADMINISTRATION.field_id: facts.administration_id,
            af.JOURNAL_CODE.field_id: facts.journal_id,
        },
        objects=[{af.JOURNAL_LINES: {"Element": lines}}],
        legacy=legacy,
    )
    return envelope(af.JOURNAL_ROOT, header)
