"""AFAS's official UpdateConnector request examples, fitted to the simulator's seeded tenant.

The examples (OpenAPI specs in ../shared/afas/official/openapi, and the onboarding example of
afas-api.md 5.4) keep their structure and field ids; only values that must point at something the
tenant has (employees, projects, accounts, relations, open periods, record ids) are replaced.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from write_helpers import ACTIVE_EMPLOYEE, CREDITOR, DEBTOR, HIRE_DATE, OPEN_PROJECT

from simulator.tenant import Tenant

# (spec file, method, connector) -> examples of the UpdateConnectors the simulator writes.
SPECS: tuple[tuple[str, str, str], ...] = (
    ("Mutaties.json", "post", "FiEntries"),
    ("Organisaties en personen.json", "post", "KnPerson"),
    ("Organisaties en personen.json", "put", "KnPerson"),
    ("Organisaties en personen.json", "post", "KnSalesRelationPer"),
    ("Organisaties en personen.json", "post", "KnSalesRelationOrg"),
    ("Inkoop.json", "post", "KnPurchaseRelationPer"),
    ("Inkoop.json", "post", "KnPurchaseRelationOrg"),
    ("Projecten en nacalculatie.json", "post", "PtRealization"),
    ("Projecten en nacalculatie.json", "put", "PtRealization"),
    ("Verlof en Ziekte.json", "post", "HrAbsence"),
    ("Verlof en Ziekte.json", "put", "HrAbsence"),
    ("Verlof en Ziekte.json", "post", "HrAbsenceID"),
    ("Verlof en Ziekte.json", "put", "HrAbsenceID"),
    ("Dossiers en bijlagen en workflows.json", "post", "KnSubject"),
    ("Dossiers en bijlagen en workflows.json", "put", "KnSubject"),
)
# Examples AFAS's own endpoint docs contradict: "None of the sub-objects of this UpdateConnector
# support supplying multiple lines" (knperson-post.md, knorganisation-post.md).
REFUSED = {("KnPurchaseRelationOrg", "post", "gRekening"): "accepts one element per call"}


def load(shared: Path) -> list[tuple[str, str, str, Any]]:
    """(connector, method, example name, body) for every request example of SPECS."""
    found = []
    for file_name, method, connector in SPECS:
        spec = json.loads((shared / "afas" / "official" / "openapi" / file_name).read_text())
        operation = spec["paths"][f"/connectors/{connector}"][method]
        for content in operation["requestBody"]["content"].values():
            for name, example in content.get("examples", {}).items():
                found.append((connector, method, name, example["value"]))
    return found


def onboarding_example(shared: Path) -> Any:
    """The start-of-employment KnEmployee body of afas-api.md 5.4."""
    text = (shared / "afas" / "afas-api.md").read_text()
    block = text[text.index("**Employee with full onboarding**") :]
    match = re.search(r"```json\n(.*?)```", block, re.S)
    assert match is not None
    return json.loads(match.group(1))


class Fitter:
    """Replaces the examples' references with the tenant's, one body at a time."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant
        linked = {r["BcCo"] for t in ("debtors", "creditors") for r in tenant.table(t)}
        employees = {r["BcCo"] for r in tenant.table("employees")}
        self.person = next(p["BcCo"] for p in tenant.table("persons") if p["BcCo"] not in linked)
        self.non_employee_person = next(
            p["BcCo"] for p in tenant.table("persons") if p["BcCo"] not in employees
        )
        self.organisation = next(
            o["BcCo"] for o in tenant.table("organisations") if o["BcCo"] not in linked
        )
        self.absence = next(a for a in tenant.table("absences") if a["EmId"] == ACTIVE_EMPLOYEE)
        self._ids: dict[tuple[str, str], int] = {}
        self._days = 0

    def fit(self, connector: str, body: Any) -> Any:
        body = copy.deepcopy(body)
        ((root, content),) = body.items()
        for element in _elements(content):
            self._element(connector, root, element)
        return body

    def _element(self, connector: str, name: str, element: dict[str, Any]) -> None:
        parts = element.get("Fields", {})
        for fields in parts if isinstance(parts, list) else [parts]:
            self._fields(connector, name, element, fields)
        objects = element.get("Objects", {})
        items = objects if isinstance(objects, list) else [objects]
        for item in items:
            for sub_name, sub in item.items():
                for sub_element in _elements(sub):
                    self._element(connector, sub_name, sub_element)

    def _fields(
        self, connector: str, name: str, element: dict[str, Any], f: dict[str, Any]
    ) -> None:
        if name == "FiEntryPar":
            f.update(Year="2026", Peri="3", UnId="1", JoCo="90")
        elif name == "FiEntries":
            f["AcNr"] = {"2": DEBTOR, "3": CREDITOR}.get(str(f.get("VaAs")), "1900")
            f.update(EnDa="2026-03-10", BpDa="2026-03-10")
            if "DaEx" in f:
                f["DaEx"] = "2026-04-10"
            if "VaId" in f:
                f["VaId"] = "1"
        elif name == "FiDimEntries":
            for axis in ("DiC2", "DiC3", "DiC4", "DiC5"):
                f.pop(axis, None)
            f["DiC1"] = "100"
        elif name == "FiPrjEntries":
            f["PrId"] = OPEN_PROJECT
            if "EmId" in f:
                f["EmId"] = ACTIVE_EMPLOYEE
        elif name == "KnPerson":
            if str(f.get("MatchPer")) == "0" and f.get("BcCo"):
                f["BcCo"] = self.person if connector != "KnPerson" else self.non_employee_person
        elif name == "KnOrganisation":
            if str(f.get("MatchOga")) == "0" and f.get("BcCo"):
                f["BcCo"] = self.organisation
        elif name in ("KnSalesRelationPer", "KnSalesRelationOrg"):
            if "ColA" in f:
                f["ColA"] = "1300"
        elif name in ("KnPurchaseRelationPer", "KnPurchaseRelationOrg"):
            if "ColA" in f:
                f["ColA"] = "1600"
            if element.get("@CrId") and self.tenant.get("creditors", element["@CrId"]):
                element["@CrId"] = ""
        elif name == "PtRealization":
            self._hours(f)
        elif name in ("HrAbsence", "HrAbsenceID"):
            self._leave(connector, f)
        elif name == "KnSubject":  # the examples' own dossier item types are kept
            if "@SbId" in element:
                element["@SbId"] = "1"
        elif name == "KnSubjectLink":
            self._link(f)

    def _hours(self, f: dict[str, Any]) -> None:
        if "Id" in f:
            f["Id"] = self._renumber("realization", str(f["Id"]))
        for key, value in (("EmId", ACTIVE_EMPLOYEE), ("PrId", OPEN_PROJECT), ("DbId", DEBTOR)):
            if key in f:
                f[key] = value
        f["DaTi"] = "2026-03-16"
        if str(f.get("VaIt")) == "1":
            f["ItCd"] = "300"

    def _leave(self, connector: str, f: dict[str, Any]) -> None:
        if connector == "HrAbsenceID" and "Id" in f:
            f["Id"] = self.absence["Id"]
            return
        if connector == "HrAbsence" and "EmId" in f and self._is_put(f):
            f.update(EmId=ACTIVE_EMPLOYEE, ViAt=self.absence["ViAt"])
            f["DaBe"] = self.absence["DaBe"].isoformat()
            f.pop("DaEn", None)
        elif "EmId" in f:
            f["EmId"] = ACTIVE_EMPLOYEE
            start = datetime.fromisoformat(f["DaBe"])
            end = datetime.fromisoformat(f.get("DaEn") or f["DaBe"])
            moved = datetime.combine(date(2026, 4, 6) + timedelta(days=self._days), start.time())
            self._days += 14
            f["DaBe"] = moved.isoformat()
            f["DaEn"] = (moved + (end - start)).isoformat()
        if f.get("ViLr"):
            f["ViLr"] = "VAK"

    @staticmethod
    def _is_put(f: dict[str, Any]) -> bool:
        return f.get("Re") == "Gewijzigde boeking"  # the one HrAbsence PUT example

    def _link(self, f: dict[str, Any]) -> None:
        kind = str(f.get("SfTp", ""))
        if kind == "2":
            f["SfId"] = ACTIVE_EMPLOYEE
        elif kind == "3":
            f["SfId"] = self.organisation
        elif kind == "4":
            f["SfId"] = DEBTOR
        if f.get("BcId"):
            f["BcId"] = self.organisation
        if f.get("PjId"):
            f["PjId"] = OPEN_PROJECT

    def _renumber(self, kind: str, value: str) -> int:
        return self._ids.setdefault((kind, value), len(self._ids) + 1)


def fit_onboarding(body: Any) -> Any:
    """The onboarding example for employer 01 (its function table and period table 5)."""
    body = copy.deepcopy(body)
    objects = body["AfasEmployee"]["Element"]["Objects"]
    for name, sub in objects.items():
        element = sub["Element"]
        for key in ("@DaBe", "@DaBg"):
            if key in element:
                element[key] = HIRE_DATE
        if name == "AfasOrgunitFunction":
            element["Fields"].update(DpId="ICT", FuId="ADM", CcId="200")
    return body


def _elements(content: Any) -> list[dict[str, Any]]:
    raw = content["Element"]
    return raw if isinstance(raw, list) else [raw]
