"""Debtors, creditors and persons: KnSalesRelation*, KnPurchaseRelation*, KnPerson."""

from __future__ import annotations

from typing import Any

import pytest
from write_helpers import DEBTOR, element, error_of, organisation_debtor, read, send

from simulator.testing import SimulatorHandle
from simulator.updates import WriteSide

IBAN = "NL91ABNA0417164300"


def _free_person(sim: SimulatorHandle) -> dict[str, Any]:
    """A new person who is no employee, debtor or creditor yet (every seeded one is)."""
    fields = {"MatchPer": "7", "AutoNum": True, "FiNm": "Vera", "LaNm": "Vrij", "ViGe": "V"}
    response = send(
        sim, "POST", "/connectors/KnPerson", {"KnPerson": {"Element": {"Fields": fields}}}
    )
    (row,) = read(sim, "Profit_OrgPer", BcCo=response.json()["results"]["KnPerson"]["BcCo"])
    return row


def test_a_new_organisation_debtor_answers_its_keys_and_reads_back(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    body = organisation_debtor(VaId="NL001234567B01")
    organisation = body["KnSalesRelationOrg"]["Element"]["Objects"][0]["KnOrganisation"]["Element"]
    organisation["Objects"].append(
        element("KnBankAccount", {"CoId": "NL", "Iban": IBAN, "IbCk": True})
    )
    response = send(sim, "POST", "/connectors/KnSalesRelationOrg", body)
    assert response.status_code == 201, response.text
    keys = response.json()["results"]["KnSalesRelationOrg"]
    assert set(keys) == {"DbId", "BcCo"}
    (debtor,) = read(sim, "Profit_Debtor", DebtorId=keys["DbId"])
    assert debtor["DebtorName"] == "Testbedrijf Noord B.V."
    assert debtor["BcCo"] == keys["BcCo"]
    assert debtor["AdressLine1"] == "Herenweg 105"
    assert (debtor["IBAN"], debtor["VatNr"], debtor["ChOfCommNr"]) == (
        IBAN,
        "NL001234567B01",
        "93056589",
    )
    assert (debtor["CollectAccount"], debtor["PayCon"], debtor["CurrencyId"]) == (
        "1300",
        "30",
        "EUR",
    )
    (relation,) = read(sim, "Profit_OrgPer", BcCo=keys["BcCo"])
    assert relation["Type"] == "Organisatie"


def test_a_debtor_for_an_existing_person_matches_it_by_number(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    person = _free_person(sim)
    party = {"KnPerson": {"Element": {"Fields": {"MatchPer": "0", "BcCo": person["BcCo"]}}}}
    body = {
        "KnSalesRelationPer": {
            "Element": {"@DbId": "49978", "Fields": {"CuId": "EUR"}, "Objects": [party]}
        }
    }
    response = send(sim, "POST", "/connectors/KnSalesRelationPer", body)
    assert response.json() == {
        "results": {"KnSalesRelationPer": {"DbId": "49978", "BcCo": person["BcCo"]}}
    }
    assert read(sim, "Profit_Debtor", DebtorId="49978")[0]["DebtorName"] == person["Name"]


def test_a_debtor_number_in_use_is_refused(sim: SimulatorHandle, writes: WriteSide) -> None:
    body = organisation_debtor()
    body["KnSalesRelationOrg"]["Element"]["@DbId"] = DEBTOR
    assert f"Debtor '{DEBTOR}' already exists." in error_of(
        send(sim, "POST", "/connectors/KnSalesRelationOrg", body)
    )


def test_a_relation_that_is_a_debtor_already_is_refused(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    bcco = sim.tenant.find("debtors", DbId=DEBTOR)[0]["BcCo"]
    if sim.tenant.get("organisations", bcco) is not None:
        connector, party = "KnSalesRelationOrg", {"KnOrganisation": {"MatchOga": "0"}}
    else:
        connector, party = "KnSalesRelationPer", {"KnPerson": {"MatchPer": "0"}}
    ((name, fields),) = party.items()
    body = {
        connector: {
            "Element": {
                "Fields": {"CuId": "EUR"},
                "Objects": [{name: {"Element": {"Fields": {**fields, "BcCo": bcco}}}}],
            }
        }
    }
    message = error_of(send(sim, "POST", f"/connectors/{connector}", body))
    assert message == f"Relation '{bcco}' is already debtor '{DEBTOR}'."


@pytest.mark.parametrize("connector", ["KnPurchaseRelationOrg", "KnPurchaseRelationPer"])
def test_a_new_creditor_gets_a_generated_number_for_an_empty_key(
    sim: SimulatorHandle, writes: WriteSide, connector: str
) -> None:
    if connector.endswith("Org"):
        party = {
            "KnOrganisation": {
                "Element": {"Fields": {"MatchOga": "6", "AutoNum": "1", "Nm": "Leverancier Zuid"}}
            }
        }
    else:
        party = {
            "KnPerson": {
                "Element": {"Fields": {"MatchPer": "7", "AutoNum": "1", "LaNm": "Leverancier"}}
            }
        }
    body = {
        connector: {
            "Element": {
                "@CrId": "",
                "Fields": {"CuId": "EUR", "IsCr": True, "PaCd": "30"},
                "Objects": party,
            }
        }
    }
    response = send(sim, "POST", f"/connectors/{connector}", body)
    keys = response.json()["results"][connector]
    assert list(keys) == ["BcCo", "CrId"]
    (creditor,) = read(sim, "Profit_Creditor", CreditorId=keys["CrId"])
    assert creditor["CreditorName"] in {"Leverancier Zuid", "Leverancier"}
    assert creditor["PaymentCondition"] == "30"


def test_an_invalid_iban_with_the_check_on_is_refused(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    body = organisation_debtor()
    organisation = body["KnSalesRelationOrg"]["Element"]["Objects"][0]["KnOrganisation"]["Element"]
    organisation["Objects"].append(
        element("KnBankAccount", {"CoId": "NL", "Iban": "NL00ABNA0417164300", "IbCk": True})
    )
    assert "The IBAN 'NL00ABNA0417164300' is not valid." in error_of(
        send(sim, "POST", "/connectors/KnSalesRelationOrg", body)
    )


def test_a_debtor_address_without_country_is_refused(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    body = organisation_debtor(address={"CoId": None})
    assert error_of(send(sim, "POST", "/connectors/KnSalesRelationOrg", body)) == (
        "Enter a value for 'Country'."
    )


def test_an_unknown_collective_account_is_refused(sim: SimulatorHandle, writes: WriteSide) -> None:
    body = organisation_debtor(ColA="1399")
    assert "'Collective account' does not exist" in error_of(
        send(sim, "POST", "/connectors/KnSalesRelationOrg", body)
    )


def test_put_changes_the_debtors_own_fields(sim: SimulatorHandle, writes: WriteSide) -> None:
    body = {"KnSalesRelationOrg": {"Element": {"@DbId": DEBTOR, "Fields": {"PaCd": "60"}}}}
    response = send(sim, "PUT", "/connectors/KnSalesRelationOrg", body)
    assert response.status_code == 201, response.text
    assert read(sim, "Profit_Debtor", DebtorId=DEBTOR)[0]["PayCon"] == "60"


def test_put_on_an_unknown_debtor_is_refused(sim: SimulatorHandle, writes: WriteSide) -> None:
    body = {"KnSalesRelationOrg": {"Element": {"@DbId": "55555", "Fields": {"PaCd": "60"}}}}
    assert "'Debtor' does not exist" in error_of(
        send(sim, "PUT", "/connectors/KnSalesRelationOrg", body)
    )


@pytest.mark.parametrize("key", ["@DbId", "DbId"])
def test_delete_removes_an_unused_debtor(sim: SimulatorHandle, writes: WriteSide, key: str) -> None:
    number = send(sim, "POST", "/connectors/KnSalesRelationOrg", organisation_debtor()).json()[
        "results"
    ]["KnSalesRelationOrg"]["DbId"]
    path = f"/connectors/KnSalesRelationOrg/KnSalesRelationOrg/{key}/{number}"
    assert (send(sim, "DELETE", path).status_code, read(sim, "Profit_Debtor", DebtorId=number)) == (
        200,
        [],
    )


def test_delete_of_a_debtor_with_entries_is_refused(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    used = next(line["AcNr"] for line in sim.tenant.table("entries") if line["VaAs"] == "2")
    path = f"/connectors/KnSalesRelationOrg/KnSalesRelationOrg/@DbId/{used}"
    assert "cannot be deleted" in error_of(send(sim, "DELETE", path))
    assert sim.tenant.get("debtors", used) is not None


def test_knperson_insert_answers_bcco_and_bcid_and_reads_back(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    fields = {
        "PadAdr": "1",
        "AutoNum": "1",
        "MatchPer": "7",
        "FiNm": "Jan",
        "In": "J.A.",
        "LaNm": "Jansen",
        "SpNm": "0",
        "ViGe": "M",
        "SoSe": "111222333",
    }
    response = send(
        sim, "POST", "/connectors/KnPerson", {"KnPerson": {"Element": {"Fields": fields}}}
    )
    keys = response.json()["results"]["KnPerson"]
    assert set(keys) == {"BcCo", "BcId"}
    (person,) = read(sim, "Profit_OrgPer", BcCo=keys["BcCo"])
    assert (person["Name"], person["BSN"], person["SearchName"]) == (
        "Jan Jansen",
        "111222333",
        "JANSEN",
    )


def test_knperson_put_with_matchper_0_changes_that_person(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    person = _free_person(sim)
    fields = {"MatchPer": "0", "BcCo": person["BcCo"], "EmAd": "nieuw@example.org"}
    response = send(
        sim, "PUT", "/connectors/KnPerson", {"KnPerson": {"Element": {"Fields": fields}}}
    )
    assert response.json()["results"]["KnPerson"]["BcCo"] == person["BcCo"]
    assert read(sim, "Profit_OrgPer", BcCo=person["BcCo"])[0]["MailWork"] == "nieuw@example.org"


def test_knperson_put_for_an_unknown_number_is_refused(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    fields = {"MatchPer": "0", "BcCo": "9999999", "EmAd": "x@example.org"}
    response = send(
        sim, "PUT", "/connectors/KnPerson", {"KnPerson": {"Element": {"Fields": fields}}}
    )
    assert "'Organisation/person' does not exist" in error_of(response)


def test_knperson_insert_without_last_name_is_refused(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    fields = {"MatchPer": "7", "FiNm": "Jan"}
    response = send(
        sim, "POST", "/connectors/KnPerson", {"KnPerson": {"Element": {"Fields": fields}}}
    )
    assert error_of(response) == "Enter a value for 'Last name'."


def test_knorganisation_matchoga_1_matches_by_chamber_of_commerce_number(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    creditors = {c["BcCo"] for c in sim.tenant.table("creditors")}
    organisation = next(o for o in sim.tenant.table("organisations") if o["BcCo"] not in creditors)
    fields = {"MatchOga": "1", "CcNr": organisation["CcNr"]}
    party = {"KnOrganisation": {"Element": {"Fields": fields}}}
    body = {"KnPurchaseRelationOrg": {"Element": {"Fields": {"CuId": "EUR"}, "Objects": [party]}}}
    response = send(sim, "POST", "/connectors/KnPurchaseRelationOrg", body)
    assert response.json()["results"]["KnPurchaseRelationOrg"]["BcCo"] == organisation["BcCo"]
