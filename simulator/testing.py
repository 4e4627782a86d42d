"""Start the simulator from tests: uvicorn in a background thread on 127.0.0.1, a free port.

with start_simulator(profile="realistic", seed=7) as sim:
httpx.get(f"{sim.base_url}/metainfo", headers={"Authorization": sim.auth_header()})
sim.quirks.enable("R12_one_indexed_skip")
sim.reset()   # seeded data, the profile's switches, no faults, empty logs
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Literal

from simulator.auth import header_value
from simulator.catalogue import Field
from simulator.catalogue.drift import Shape
from simulator.core import Settings, Simulator
from simulator.faults import Faults
from simulator.quirks import Profile, QuirkSwitches
from simulator.reqlog import ProfitLog, RequestLog
from simulator.server import ServerThread
from simulator.tenant import Tenant

AuthKind = Literal["classic", "oauth"]


class SimulatorHandle:
    """A running simulator: where it is, the credentials for it, and its controls."""

    def __init__(self, sim: Simulator, server: ServerThread) -> None:
        self.sim = sim
        self.host = server.host
        self.port = server.port
        self.root_url = f"http://{server.host}:{server.port}"

    # -- where it is and how to talk to it -----------------------------------------------------

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:{port}/ProfitRestServices`, what AFAS_BASE_URL is set to."""
        return f"{self.root_url}/ProfitRestServices"

    @property
    def sibling_base_url(self) -> str:
        """The sibling environment's base URL (served only under quirk R10)."""
        return f"{self.root_url}/{self.sim.sibling.environment_id}/ProfitRestServices"

    @property
    def environment_id(self) -> str:
        return self.sim.environment.environment_id

    @property
    def environment_type(self) -> str:
        return self.sim.environment.environment_type

    @property
    def environment_name(self) -> str:
        """`T12345AA`: what `/metainfo` reports as `envid`."""
        return self.sim.environment.name

    @property
    def token_xml(self) -> str:
        return self.sim.credentials.by_label["full"].token_xml

    @property
    def restricted_token_xml(self) -> str:
        return self.sim.credentials.by_label["restricted"].token_xml

    @property
    def oauth_client_id(self) -> str:
        return self.sim.credentials.by_label["full"].client_id

    @property
    def oauth_client_secret(self) -> str:
        return self.sim.credentials.by_label["full"].client_secret

    def auth_header(self, label: str = "full") -> str:
        """`AfasToken <base64>` for a token of the table (`full` or `restricted`)."""
        return header_value(self.sim.credentials.by_label[label].token_xml)

    def env(self, auth: AuthKind = "classic") -> dict[str, str]:
        """The AFAS_* variables a server needs to talk to this simulator."""
        variables = {
            "AFAS_BASE_URL": self.base_url,
            "AFAS_ENVIRONMENT_ID": self.environment_id,
            "AFAS_ENVIRONMENT_TYPE": self.environment_type,
        }
        if auth == "classic":
            variables["AFAS_TOKEN"] = self.token_xml
        else:
            variables["AFAS_OAUTH_CLIENT_ID"] = self.oauth_client_id
            variables["AFAS_OAUTH_CLIENT_SECRET"] = self.oauth_client_secret
        return variables

    # -- what tests inspect and control --------------------------------------------------------

    @property
    def tenant(self) -> Tenant:
        return self.sim.tenant

    @property
    def quirks(self) -> QuirkSwitches:
        return self.sim.quirks

    @property
    def faults(self) -> Faults:
        return self.sim.faults

    @property
    def settings(self) -> Settings:
        return self.sim.settings

    @property
    def request_log(self) -> RequestLog:
        return self.sim.request_log

    @property
    def profit_log(self) -> ProfitLog:
        return self.sim.profit_log

    def trigger_drift(
        self,
        connector_id: str,
        *,
        remove: Sequence[str] = (),
        add: Sequence[str | Field] = (),
        rename: Mapping[str, str] | None = None,
    ) -> Shape:
        return self.sim.trigger_drift(connector_id, remove=remove, add=add, rename=rename)

    def revoke_token(self, label: str = "full") -> None:
        self.sim.revoke_token(label)

    def block_connector(self, connector_id: str) -> None:
        self.sim.block_connector(connector_id)

    def unblock_connector(self, connector_id: str) -> None:
        self.sim.unblock_connector(connector_id)

    def set_maintenance(self, on: bool, *, retry_after: int | None = None) -> None:
        self.sim.set_maintenance(on, retry_after=retry_after)

    def reset(self) -> None:
        self.sim.reset()


@contextmanager
def start_simulator(
    *,
    profile: Profile = "realistic",
    seed: int = 1,
    size: int | None = None,
    reference_date: date | None = None,
    port: int = 0,
    settings: Settings | None = None,
) -> Iterator[SimulatorHandle]:
    """Run a simulator on 127.0.0.1 (a free port unless `port` is given) for the block's length."""
    sim = Simulator(
        profile=profile, seed=seed, size=size, reference_date=reference_date, settings=settings
    )
    server = ServerThread(sim, port=port)
    server.start()
    try:
        yield SimulatorHandle(sim, server)
    finally:
        server.stop()
