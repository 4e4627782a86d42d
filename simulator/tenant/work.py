"""Projects, registered hours (realizations) and dossier items (subjects)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from simulator.tenant import pools
from simulator.tenant.draw import between, one_of
from simulator.tenant.people import Generation

# (ItCd, description) of the work types hours are booked on (PtRealization VaIt 1).
WORK_TYPES: tuple[tuple[str, str], ...] = (
    ("300", "Werken"),
    ("310", "Reizen"),
    ("320", "Overleg"),
)
# Dossier item types (KnSubject StId). An environment defines its own; these are the three the
# seeded items use, then every type AFAS's own KnSubject examples send (the OpenAPI spec's
# "Dossiers en bijlagen en workflows" and the how-to guides), so those examples are accepted.
SEEDED_SUBJECT_TYPES: tuple[tuple[int, str], ...] = (
    (1, "Notitie"),
    (2, "Telefoongesprek"),
    (3, "Afspraak"),
)
SUBJECT_TYPES: tuple[tuple[int, str], ...] = (
    *SEEDED_SUBJECT_TYPES,
    (-5, "Inkoopfactuur"),
    (4, "Memo"),
    (5, "Verkoopdocument"),
    (15, "Document"),
    (19, "Medewerkerdossier"),
    (26, "Projectdossier"),
    (96, "Eigen dossieritem"),
)


def generate_projects(gen: Generation) -> None:
    """Projects for debtors, in both administrations."""
    tenant, rng, ref = gen.tenant, gen.rng("projects"), gen.ref
    debtors = [record for record in tenant.table("debtors") if not record["_deleted"]]
    for index in range(min(max(8, tenant.size // 25), 5000)):
        debtor = one_of(rng, debtors)
        start = ref - timedelta(days=between(rng, 10, 900))
        ready = start + timedelta(days=between(rng, 30, 400)) if rng.random() < 0.4 else None
        created = gen.stamp(rng, start - timedelta(days=between(rng, 1, 30)))
        tenant.table("projects").add(
            {
                "ProjectId": str(910001 + index),
                "Description": f"{one_of(rng, pools.PROJECT_WORDS)} {one_of(rng, pools.CITIES)[0]}",
                "UnitId": one_of(rng, (1, 2)),
                "ProjectGroup": one_of(rng, ("EXT", "EXT", "ONDH", "INT")),
                "CheckedOut": ready is not None and ready < ref,
                "BcCo": debtor["BcCo"],
                "DebtorId": debtor["DbId"],
                "DateStart": start,
                "DateReady": ready,
                "Chargeable": rng.random() < 0.85,
                "_created": created,
                "_modified": gen.stamp(rng, ref - timedelta(days=between(rng, 1, 60))),
            }
        )


def generate_realizations(gen: Generation) -> None:
    """Hours booked by active employees on open projects over the last six weeks."""
    tenant, rng, ref = gen.tenant, gen.rng("realizations"), gen.ref
    projects = [
        record["ProjectId"] for record in tenant.table("projects") if not record["CheckedOut"]
    ]
    active = {
        record["EmId"]
        for record in tenant.table("contracts")
        if record["DaBe"] <= ref and (record["DaEn"] is None or record["DaEn"] >= ref)
    }
    number = 0
    for employee in tenant.table("employees"):
        if employee["EmId"] not in active or rng.random() > 0.3 or not projects:
            continue
        for _ in range(between(rng, 1, 4)):
            number += 1
            day = ref - timedelta(days=between(rng, 1, 42))
            item, description = one_of(rng, WORK_TYPES)
            stamp = gen.stamp(rng, day + timedelta(days=between(rng, 0, 2)))
            tenant.table("realizations").add(
                {
                    "Id": number,
                    "DaTi": day,
                    "EmId": employee["EmId"],
                    "PrId": one_of(rng, projects),
                    "VaIt": "1",
                    "ItCd": item,
                    "Qu": Decimal(one_of(rng, (1, 2, 4, 4, 6, 8, 8)))
                    / (2 if rng.random() < 0.2 else 1),
                    "StId": "1",
                    "Ds": description,
                    "Ch": rng.random() < 0.8,
                    "Ap": day < ref - timedelta(days=7),
                    "Pr": True,
                    "_created": stamp,
                    "_modified": stamp,
                }
            )
    tenant.set_sequence("RealizationId", number)


def generate_subjects(gen: Generation) -> None:
    """Dossier items on debtors and creditors (activities logged against a relation)."""
    tenant, rng, ref = gen.tenant, gen.rng("subjects"), gen.ref
    relations = [("debtor", record["BcCo"]) for record in tenant.table("debtors")]
    relations += [("creditor", record["BcCo"]) for record in tenant.table("creditors")]
    count = max(10, tenant.size // 10)
    for number in range(1, count + 1):
        kind, bcco = one_of(rng, relations)
        day: date = ref - timedelta(days=between(rng, 1, 500))
        done = rng.random() < 0.6
        subject_type = one_of(rng, SEEDED_SUBJECT_TYPES)[0]
        stamp = gen.stamp(rng, day)
        tenant.table("subjects").add(
            {
                "SbId": number,
                "StId": subject_type,
                "Ds": one_of(rng, pools.SUBJECTS),
                "SbTx": None if rng.random() < 0.3 else "Zie gespreksverslag in het dossier.",
                "Da": day,
                "BcCo": bcco,
                "ToDebtor": kind == "debtor",
                "ToCreditor": kind == "creditor",
                "St": "Afgehandeld" if done else "Open",
                "Done": done,
                "DaDone": day + timedelta(days=between(rng, 0, 20)) if done else None,
                "_created": stamp,
                "_modified": stamp,
            }
        )
    tenant.set_sequence("SbId", count)
