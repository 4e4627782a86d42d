"""create_debtor, create_creditor and log_activity end to end against the simulator.

A debtor is applied and read back at once; a creditor (where payment fraud starts) always waits
for a person; a relation that looks like an existing one waits too. A dossier item is applied and
read back; one AFAS refuses comes back as failed with AFAS's own words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_writes_support import (
    approve,
    objects,
    product,
    recorded_facts,
    settings_for,
    today,
    update_calls,
    values,
    writes,
)
from tool_helpers import call, refused

from policies.facts import ActivityFacts, RelationFacts
from server.store import WriteStatus
from simulator.testing import SimulatorHandle

pytestmark = pytest.mark.anyio

IBAN = "NL91ABNA0417164300"


@pytest.fixture
def sim(fresh_profile_sim: SimulatorHandle) -> SimulatorHandle:
    """Each test in the realistic and the hostile profile, on a tenant reset before and after."""
    return fresh_profile_sim


def organisation(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "organisation",
        "name": "Testbedrijf Klaverweide B.V.",
        "address": {
            "street": "Raadhuislaan",
            "house_number": "105 bis",
            "postal_code": "3833 LC",
            "city": "Leusden",
        },
        "iban": "NL91 ABNA 0417 1643 00",
        "kvk_number": "12345678",
        "vat_number": "NL001234567B01",
        "email": "info@klaverweide.example",
    } | overrides


async def test_create_debtor_is_applied_and_reads_back_with_its_number(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    async with connect(product(settings_for(sim, tmp_path))) as client:
        result = await call(client, "create_debtor", organisation())
    assert result["status"] == "applied", result["message"]
    assert result["read_back"]["result"] == "match"
    debtor = sim.tenant.get("debtors", result["afas_key"]["DbId"])
    assert debtor is not None and debtor["Iban"] == IBAN
    party = sim.tenant.get("organisations", debtor["BcCo"])
    assert party is not None
    assert (party["Nm"], party["CcNr"], party["HmNr"], party["HmAd"]) == (
        "Testbedrijf Klaverweide B.V.",
        "12345678",
        105,
        "bis",  # W8: the addition travels in HmAd, never inside HmNr
    )


async def test_create_debtor_dry_run_sends_nothing_and_never_sends_an_empty_value(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    bare = {
        "kind": "person",
        "first_name": "Piet",
        "initials": "",
        "last_name": "Klaassen",
        "vat_number": "",
        "dry_run": True,
    }
    async with connect(product(settings_for(sim, tmp_path))) as client:
        preview = await call(client, "create_debtor", bare)
    assert preview["status"] == "dry_run" and preview["decision"] == "allow"
    assert "" not in list(values(preview["payload"]))  # W13
    (person,) = objects(preview["payload"], "KnPerson")
    assert (person["Fields"]["FiNm"], person["Fields"]["LaNm"]) == ("Piet", "Klaassen")
    assert "In" not in person["Fields"] and "Is" not in person["Fields"]
    assert "VaId" not in preview["payload"]["KnSalesRelationPer"]["Element"]["Fields"]
    assert update_calls(sim) == [] and writes(sim) == []


async def test_a_person_debtor_is_stored_with_each_name_part_in_its_own_field(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    """Not the full name in the last name: AFAS sorts, addresses and matches by the parts."""
    person = {
        "kind": "person",
        "first_name": "Anna",
        "initials": "A.M.",
        "name_prefix": "van der",
        "last_name": "Berg",
        "address": organisation()["address"],
    }
    settings = settings_for(sim, tmp_path)
    async with connect(product(settings)) as client:
        result = await call(client, "create_debtor", person)
    assert result["status"] == "applied", result["message"]
    assert result["read_back"]["result"] == "match"  # Profit_Debtor shows "Anna van der Berg"
    debtor = sim.tenant.get("debtors", result["afas_key"]["DbId"])
    assert debtor is not None
    stored = sim.tenant.get("persons", debtor["BcCo"])
    assert stored is not None
    assert (stored["FiNm"], stored["In"], stored["Is"], stored["LaNm"]) == (
        "Anna",
        "A.M.",
        "van der",
        "Berg",
    )
    facts = recorded_facts(settings, result["write_id"], RelationFacts)
    assert (facts.name, facts.last_name) == ("Anna van der Berg", "Berg")


@pytest.mark.parametrize(
    ("arguments", "named", "hint"),
    [
        ({"kind": "person", "name": "Piet Klaassen"}, "`name`", "Pass last_name"),
        ({"kind": "person", "first_name": "Piet"}, "`last_name`", "Pass last_name"),
        (
            {"kind": "organisation", "name": "Klaassen B.V.", "last_name": "Klaassen"},
            "`last_name`",
            "create the relation as a person",
        ),
        ({"kind": "organisation"}, "`name`", "Pass the name"),
    ],
    ids=[
        "a person's full name in name is refused: the parts are asked for",
        "a person without a last name is refused",
        "an organisation with a person's name part is refused",
        "an organisation without a name is refused",
    ],
)
async def test_a_relation_name_in_the_wrong_shape_is_refused_naming_the_field(
    sim: SimulatorHandle,
    tmp_path: Path,
    connect: Any,
    arguments: dict[str, Any],
    named: str,
    hint: str,
) -> None:
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "create_debtor", arguments)
    assert named in text and hint in text
    assert writes(sim) == []


async def test_a_debtor_with_an_iban_that_fails_its_checksum_is_refused(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "create_debtor", organisation(iban="NL91ABNA0417164301"))
    assert "IBAN 'NL91ABNA0417164301' fails its checksum" in text
    assert writes(sim) == []


async def test_a_debtor_that_looks_like_an_existing_one_waits_for_a_person(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    existing = sim.tenant.get("debtors", "10000")
    assert existing is not None
    async with connect(product(settings_for(sim, tmp_path))) as client:
        held = await call(client, "create_debtor", organisation(iban=existing["Iban"]))
    assert held["status"] == "pending_review" and held["review_url"]
    assert any("may already exist" in v["reason"] for v in held["verdicts"])
    assert writes(sim) == []


async def test_create_creditor_always_waits_for_a_person_then_is_verified(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    settings = settings_for(sim, tmp_path)
    async with connect(product(settings)) as client:
        held = await call(client, "create_creditor", organisation())
    assert held["status"] == "pending_review"
    assert held["review_url"].endswith(f"/writes/{held['write_id']}")
    assert update_calls(sim) == []
    decided = await approve(settings, held["write_id"])
    assert decided.status is WriteStatus.VERIFIED and decided.read_back == "match"
    (record,) = writes(sim, "KnPurchaseRelationOrg")
    (creditor,) = record.rows("creditors")
    assert creditor["Iban"] == IBAN


async def test_log_activity_is_applied_and_reads_back_on_the_relation(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    arguments = {
        "relation_id": "1000065",
        "subject": "Gebeld over factuur 2026-0042",
        "text": "Betaling volgt deze week.",
        "item_type": 2,
    }
    async with connect(product(settings_for(sim, tmp_path))) as client:
        result = await call(client, "log_activity", arguments)
    assert result["status"] == "applied" and result["read_back"]["result"] == "match"
    item = sim.tenant.get("subjects", int(result["afas_key"]["SbId"]))
    assert item is not None
    assert (item["BcCo"], item["StId"], item["Da"].date()) == ("1000065", 2, today(sim))


async def test_log_activity_with_a_subject_only_sends_no_text_and_reads_back(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    """No text is no text: the facts say None and the body leaves SbTx out (W13)."""
    settings = settings_for(sim, tmp_path)
    arguments = {"relation_id": "1000065", "subject": "Offerte verstuurd", "text": ""}
    async with connect(product(settings)) as client:
        result = await call(client, "log_activity", arguments)
    assert result["status"] == "applied" and result["read_back"]["result"] == "match"
    (record,) = writes(sim, "KnSubject")
    assert "SbTx" not in record.request["KnSubject"]["Element"]["Fields"]
    assert recorded_facts(settings, result["write_id"], ActivityFacts).text is None


async def test_log_activity_on_a_relation_afas_does_not_know_fails_with_afas_words(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    async with connect(product(settings_for(sim, tmp_path))) as client:
        result = await call(client, "log_activity", {"relation_id": "9999999", "subject": "x"})
    assert result["status"] == "failed"
    assert "Organisation/person" in result["afas_error"]["message"]
    assert result["afas_error"]["log_reference"]
