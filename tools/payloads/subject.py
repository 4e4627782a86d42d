"""KnSubject: a dossier item (note, call, meeting) on an organisation or person.

The item is linked to the relation by its organisation/person number (`KnSubjectLink`, `ToBC` and
`BcId`), so it shows in the relation's dossier whatever roles (debtor, creditor) it has.
"""

from __future__ import annotations

from datetime import datetime, time

from policies import afas_fields as af
from policies.facts import ActivityFacts
from tools.payloads._elements import Body, Legacy, element, envelope, sub_object

LINK_OBJECT = "KnSubjectLink"


def activity_body(facts: ActivityFacts, *, legacy: Legacy | None = None) -> Body:
    """The dossier item as one `KnSubject` insert."""
    subject = {
        "StId": int(facts.subject_type),
        "Ds": facts.subject,
        "SbTx": facts.text,
        "Da": datetime.combine(facts.activity_date, time(0)),  # a date-time field
    }
    link = element(LINK_OBJECT, {"ToBC": True, "BcId": facts.relation_id}, legacy=legacy)
    item = element(af.SUBJECT_ROOT, subject, objects=[sub_object(LINK_OBJECT, link)], legacy=legacy)
    return envelope(af.SUBJECT_ROOT, item)
