"""A person's name is found and read back by its words, in whatever order AFAS shows it.

AFAS builds a relation's display name from the stored parts in an order an environment may set,
so an exact filter on "Anna van der Berg" misses the record AFAS shows as "Berg, Anna van der".
After a lost answer (W16) that miss would read as "not applied" and invite a duplicate.
"""

from __future__ import annotations

import pytest

from server.afas.client import AfasClient
from server.config import Settings
from server.writes.kinds import DisplayName, Expectation
from server.writes.readback import Absent, Connectors, Found, locate
from simulator.testing import SimulatorHandle

pytestmark = pytest.mark.anyio


def person_debtor(sim: SimulatorHandle, shown_as: str) -> str:
    """A person debtor whose name AFAS shows as `shown_as`; its debtor number."""
    debtor = next(d for d in sim.tenant.table("debtors") if sim.tenant.get("persons", d["BcCo"]))
    sim.tenant.update("persons", debtor["BcCo"], {"Nm": shown_as})
    return str(debtor["DbId"])


def debtor_by_name(name: str) -> Expectation:
    return Expectation(
        label="debtor",
        connector="debtors",
        match={"DebtorName": DisplayName(name)},
        keys={"DbId": "DebtorId"},
    )


async def test_W16_a_lost_person_debtor_is_found_by_its_name_words_in_another_order(
    sim: SimulatorHandle, settings: Settings
) -> None:
    debtor_id = person_debtor(sim, "Berg, Anna van der")
    async with AfasClient(settings.afas) as afas:
        found = await locate(
            afas, [debtor_by_name("Anna van der Berg")], connectors=Connectors(settings.connectors)
        )
    assert isinstance(found, Found)
    assert found.afas_keys == {"DbId": debtor_id}
    assert found.read_back.result == "match"


async def test_W16_a_name_with_other_words_is_not_taken_for_the_lost_write(
    sim: SimulatorHandle, settings: Settings
) -> None:
    person_debtor(sim, "Berg, Anna van der")
    async with AfasClient(settings.afas) as afas:
        found = await locate(
            afas, [debtor_by_name("Anna van den Berg")], connectors=Connectors(settings.connectors)
        )
    assert isinstance(found, Absent)
