"""Configuration: environment variables, plus an optional TOML file named by `AFAS_MCP_CONFIG`.

An environment variable wins over the file. Bad configuration fails at start with `ConfigError`,
whose message names the variable (and the TOML key and file when the value came from there) and
says what to do. Secrets are `SecretStr`: their repr and str are `**********`, and no message
repeats them.

TOML layout (every key optional; the environment variable in brackets)::

    [afas]
    environment_id = "12345"          # [AFAS_ENVIRONMENT_ID] pinned; AFAS must report it (R10)
    environment_type = "test"         # [AFAS_ENVIRONMENT_TYPE] production | test | accept
    token = "<token>…</token>"        # [AFAS_TOKEN] XML, 64-character data part, or Base64 (W6)
    oauth_client_id = "…"             # [AFAS_OAUTH_CLIENT_ID] instead of a token (R11)
    oauth_client_secret = "…"         # [AFAS_OAUTH_CLIENT_SECRET]
    base_url = "https://…"            # [AFAS_BASE_URL] override: proxies and test doubles
    integration_id = "12345_678900"   # [AFAS_INTEGRATION_ID] IntegrationId header (W21)
    rate_limit_per_minute = 300       # [AFAS_RATE_LIMIT_PER_MINUTE] 0 switches it off (W11)
    max_parallel = 8                  # [AFAS_MAX_PARALLEL] at most 8, AFAS's own limit
    timeout_seconds = 120             # [AFAS_TIMEOUT_SECONDS]
    language = "en-us"                # [AFAS_LANGUAGE] en-us nl-nl nl-be fr-fr de-de, or base

    [mcp]
    writes = false                    # [AFAS_MCP_WRITES] write tools present only when true
    database = "~/afas-mcp.sqlite"    # [AFAS_MCP_DATABASE] review queue, ledger, audit trail
    toolsets = ["hr", "payroll"]      # [AFAS_MCP_TOOLSETS] comma list; default every read toolset
    http_token = "…"                  # [AFAS_MCP_HTTP_TOKEN] bearer token for the HTTP transport
    http_host = "127.0.0.1"           # [AFAS_MCP_HTTP_HOST]
    http_port = 8000                  # [AFAS_MCP_HTTP_PORT]

    [connectors]                      # logical name = the connector's id in this environment
    employees = "AfasMcp_Employees"

Other top-level tables are kept, unchecked, in `Settings.tables` for the part that owns them.
"""

from __future__ import annotations

import base64
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from server.afas._token import TokenFormatError, token_header

__all__ = [
    "GET_CONNECTORS",
    "LANGUAGES",
    "READ_TOOLSETS",
    "UPDATE_CONNECTORS",
    "AfasSettings",
    "ConfigError",
    "ConnectorSpec",
    "Settings",
    "UpdateConnectorSpec",
    "load_settings",
]

READ_TOOLSETS = ("hr", "payroll", "finance", "crm", "projects", "connectors")
LANGUAGES = ("en-us", "nl-nl", "nl-be", "fr-fr", "de-de")
_HOSTS = {"production": "rest", "test": "resttest", "accept": "restaccept"}
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


@dataclass(frozen=True, slots=True)
class ConnectorSpec:
    """A GetConnector the product reads (docs/connector-package.md)."""

    logical: str
    default: str
    key: tuple[str, ...]
    toolsets: tuple[str, ...]
    custom: bool = False


@dataclass(frozen=True, slots=True)
class UpdateConnectorSpec:
    """An UpdateConnector the product writes through, with its payload's root object."""

    connector: str
    root: str
    toolsets: tuple[str, ...]


def _get(
    logical: str, default: str, key: str, toolsets: str, custom: bool = False
) -> ConnectorSpec:
    return ConnectorSpec(logical, default, tuple(key.split()), tuple(toolsets.split()), custom)


GET_CONNECTORS: tuple[ConnectorSpec, ...] = (
    _get("employees", "AfasMcp_Employees", "EmployeeId", "hr payroll", custom=True),
    _get("employee_fiscal", "AfasMcp_EmployeeFiscal", "EmployeeId DateStart", "hr payroll", True),
    _get("contracts", "AfasMcp_Contracts", "EmployeeId DateStart", "hr payroll", custom=True),
    _get("salaries", "AfasMcp_Salaries", "EmployeeId DateStart", "hr payroll", custom=True),
    _get(
        "payroll_periods",
        "AfasMcp_PayrollPeriods",
        "EmployerId PeriodTableId Year Period",
        "payroll",
        custom=True,
    ),
    _get("employers", "Profit_Employers", "EmployerId", "hr payroll"),
    _get("functions", "Profit_Functions", "Employer FunctionId", "hr"),
    _get("persons", "Profit_OrgPer", "BcCo", "hr"),
    _get("leave_balances", "Profit_LeaveBalance", "EmployeeId Leavetype Year Period", "hr"),
    _get("leaves", "Profit_Leaves", "LeaveId", "hr"),
    _get("debtors", "Profit_Debtor", "DebtorId", "finance crm"),
    _get("creditors", "Profit_Creditor", "CreditorId", "finance crm"),
    _get("administrations", "Profit_Administrations", "AdminId", "finance"),
    _get("booking_periods", "Profit_periods_per_administration", "Unit Year Period", "finance"),
    _get("ledger_accounts", "Profit_Accounts", "Account", "finance"),
    _get("vat_codes", "Profit_VAT_code", "VatCode", "finance"),
    _get("journals", "Profit_Journals", "UnitId JournalId", "finance"),
    _get("cost_centres", "Profit_CostCentre", "EmployerId CostCentre", "finance hr"),
    _get("projects", "Profit_Projects", "ProjectId", "projects"),
    _get("realizations", "Profit_Realization", "Identity", "projects"),
    _get("transactions", "Profit_Transactions", "UnitId EntryNo SeqNo", "finance"),
    _get("subjects", "Profit_Subjects", "SubjectId", "crm"),
)

UPDATE_CONNECTORS: tuple[UpdateConnectorSpec, ...] = (
    UpdateConnectorSpec("KnEmployee", "AfasEmployee", ("hr",)),
    UpdateConnectorSpec("FiEntries", "FiEntryPar", ("finance",)),
    UpdateConnectorSpec("KnSalesRelationPer", "KnSalesRelationPer", ("finance", "crm")),
    UpdateConnectorSpec("KnSalesRelationOrg", "KnSalesRelationOrg", ("finance", "crm")),
    UpdateConnectorSpec("KnPurchaseRelationPer", "KnPurchaseRelationPer", ("finance", "crm")),
    UpdateConnectorSpec("KnPurchaseRelationOrg", "KnPurchaseRelationOrg", ("finance", "crm")),
    UpdateConnectorSpec("PtRealization", "PtRealization", ("projects",)),
    UpdateConnectorSpec("HrAbsence", "HrAbsence", ("hr",)),
    UpdateConnectorSpec("KnSubject", "KnSubject", ("crm",)),
)


class ConfigError(Exception):
    """The configuration is invalid; each problem names its variable and what to do.

    Attributes:
        problems: one line per problem, each starting with the variable's name.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        if len(self.problems) == 1:
            text = f"configuration: {self.problems[0]}"
        else:
            text = "configuration has problems:\n" + "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(text)


class AfasSettings(BaseModel):
    """How to reach one AFAS environment (the `AFAS_*` variables, `[afas]` in the file)."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    environment_id: str
    environment_type: Literal["production", "test", "accept"]
    token: SecretStr | None = None
    oauth_client_id: str | None = None
    oauth_client_secret: SecretStr | None = None
    base_url: str = ""
    integration_id: str | None = None
    rate_limit_per_minute: int = 300
    max_parallel: int = 8
    timeout_seconds: float = 120.0
    language: str | None = "en-us"

    @model_validator(mode="before")
    @classmethod
    def _derive_base_url(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and not data.get("base_url"):
            env_id = str(data.get("environment_id") or "").strip()
            host = _HOSTS.get(str(data.get("environment_type") or "").strip().lower())
            if env_id.isdigit() and host:
                return {
                    **data,
                    "base_url": f"https://{env_id}.{host}.afas.online/ProfitRestServices",
                }
        return data

    @field_validator("environment_id", mode="before")
    @classmethod
    def _digits(cls, value: object) -> str:
        text = str(value).strip()
        if text.isdigit():
            return text
        digits = "".join(ch for ch in text if ch.isdigit())
        hint = f" ({text!r} looks like the environment name; use {digits})" if digits else ""
        raise ValueError(f"must be the environment number, digits only, e.g. 12345{hint}")

    @field_validator("environment_type", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        text = str(value).strip().lower()
        if text not in _HOSTS:
            raise ValueError("must be production, test or accept")
        return text

    @field_validator("token", mode="before")
    @classmethod
    def _token(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if not isinstance(raw, str):
            raise ValueError("must be text")
        try:
            return SecretStr(token_header(raw))
        except TokenFormatError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("oauth_client_id", "integration_id", "oauth_client_secret", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("integration_id")
    @classmethod
    def _integration(cls, value: str | None) -> str | None:
        if value is not None and not _is_integration_id(value):
            raise ValueError("must be <partner subscription>_<project number>, e.g. 12345_678900")
        return value

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _check_url(value.strip()) if value.strip() else ""

    @field_validator("rate_limit_per_minute")
    @classmethod
    def _rate(cls, value: int) -> int:
        if value < 0:
            raise ValueError("must be 0 (no client-side limit) or more calls per minute")
        return value

    @field_validator("max_parallel")
    @classmethod
    def _parallel(cls, value: int) -> int:
        if not 1 <= value <= 8:
            raise ValueError("must be between 1 and 8: AFAS allows at most 8 parallel calls")
        return value

    @field_validator("timeout_seconds")
    @classmethod
    def _timeout(cls, value: float) -> float:
        if not 0 < value <= 900:
            raise ValueError("must be more than 0 and at most 900 (AFAS's own limit) seconds")
        return value

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip().lower().replace("_", "-")
        if text == "base":  # no Accept-Language: AFAS answers in the environment's language
            return None
        if text not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}, or base")
        return text

    @model_validator(mode="after")
    def _credentials(self) -> AfasSettings:
        oauth = (self.oauth_client_id is not None, self.oauth_client_secret is not None)
        if any(oauth) and not all(oauth):
            missing = "AFAS_OAUTH_CLIENT_SECRET" if oauth[0] else "AFAS_OAUTH_CLIENT_ID"
            raise ValueError(f"{missing} is not set; OAuth needs both the client id and secret")
        if all(oauth) and self.token is not None:
            raise ValueError(
                "AFAS_TOKEN and AFAS_OAUTH_CLIENT_ID/SECRET are both set; choose one credential"
            )
        if not any(oauth) and self.token is None:
            raise ValueError(
                "no credential: set AFAS_TOKEN (the App Connector token), or "
                "AFAS_OAUTH_CLIENT_ID and AFAS_OAUTH_CLIENT_SECRET"
            )
        return self

    @property
    def credential(self) -> Literal["token", "oauth"]:
        """Which credential is configured."""
        return "token" if self.token is not None else "oauth"


def _is_integration_id(value: str) -> bool:
    left, sep, right = value.partition("_")
    return bool(sep) and left.isdigit() and right.isdigit()


def _check_url(value: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(
            "must be an http(s) URL, e.g. https://12345.rest.afas.online/ProfitRestServices"
        )
    if parts.username or parts.password:
        raise ValueError("must not hold credentials; the token goes in AFAS_TOKEN")
    if parts.query or parts.fragment:
        raise ValueError("must not have a query or fragment")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        raise ValueError(
            "must use https (plain http only to 127.0.0.1/localhost): it carries the token"
        )
    return value.rstrip("/")


class Settings(BaseModel):
    """Everything the product is configured with; `afas` is how to reach AFAS."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    afas: AfasSettings
    writes: bool = False
    database: Path
    toolsets: tuple[str, ...] = READ_TOOLSETS
    http_token: SecretStr | None = None
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    connectors: dict[str, str]
    config_file: Path | None = None
    tables: dict[str, Any] = {}

    @field_validator("toolsets", mode="before")
    @classmethod
    def _toolsets(cls, value: object) -> object:
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            raise ValueError("must be a comma-separated list of toolsets")
        names = [str(item).strip().lower() for item in items if str(item).strip()]
        if names == ["all"]:
            return READ_TOOLSETS
        unknown = sorted(set(names) - set(READ_TOOLSETS))
        if unknown or not names:
            raise ValueError(
                f"unknown toolset(s) {', '.join(unknown) or '(none given)'}; "
                f"choose from {', '.join(READ_TOOLSETS)} (or all)"
            )
        return tuple(dict.fromkeys(names))

    @field_validator("http_token", mode="before")
    @classmethod
    def _http_token(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        raw = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        if len(raw.strip()) < 32:
            raise ValueError("must be at least 32 characters: a short bearer token is guessable")
        return SecretStr(raw.strip())

    @field_validator("http_port")
    @classmethod
    def _port(cls, value: int) -> int:
        if not 1 <= value <= 65535:
            raise ValueError("must be a TCP port between 1 and 65535")
        return value

    def secret_values(self) -> tuple[str, ...]:
        """Every secret in every form it could appear in a log line, for redaction filters."""
        found: list[str] = []
        token = self.afas.token
        if token is not None:
            header = token.get_secret_value()
            encoded = header.removeprefix("AfasToken ")
            xml = base64.b64decode(encoded).decode("ascii")
            data = xml.partition("<data>")[2].partition("</data>")[0]
            found += [header, encoded, xml, data]
        for secret in (self.afas.oauth_client_secret, self.http_token):
            if secret is not None:
                found.append(secret.get_secret_value())
        return tuple(value for value in found if value)

    def http_token_value(self) -> str | None:
        """The HTTP transport's bearer token in clear, for the one place that compares it."""
        return self.http_token.get_secret_value() if self.http_token else None

    def connector_id(self, logical: str) -> str:
        """The connector id for a logical name (`employees` → `AfasMcp_Employees`)."""
        try:
            return self.connectors[logical]
        except KeyError:
            known = ", ".join(sorted(self.connectors))
            raise KeyError(f"no connector named {logical!r}; known: {known}") from None


# --- loading -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Var:
    env: str
    table: str
    key: str


_VARS = tuple(
    _Var(f"AFAS_{key.upper()}", "afas", key) for key in AfasSettings.model_fields
) + tuple(
    _Var(f"AFAS_MCP_{key.upper()}", "mcp", key)
    for key in ("writes", "database", "toolsets", "http_token", "http_host", "http_port")
)
_BY_FIELD = {(var.table, var.key): var for var in _VARS}


def default_database(environ: Mapping[str, str]) -> Path:
    """`$XDG_DATA_HOME/afas-mcp/afas-mcp.sqlite`, or under `~/.local/share` without it."""
    data_home = environ.get("XDG_DATA_HOME", "").strip()
    if data_home and Path(data_home).is_absolute():
        base = Path(data_home)
    else:
        home = environ.get("HOME", "").strip()
        base = (Path(home) if home else Path.home()) / ".local" / "share"
    return base / "afas-mcp" / "afas-mcp.sqlite"


def _read_file(environ: Mapping[str, str]) -> tuple[Path | None, dict[str, Any]]:
    name = environ.get("AFAS_MCP_CONFIG", "").strip()
    if not name:
        return None, {}
    path = Path(name).expanduser()
    try:
        with path.open("rb") as handle:
            return path, tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError([f"AFAS_MCP_CONFIG: file {path} does not exist"]) from None
    except OSError as exc:
        raise ConfigError([f"AFAS_MCP_CONFIG: cannot read {path} ({exc.strerror})"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"AFAS_MCP_CONFIG: {path} is not valid TOML ({exc})"]) from None


class _Collector:
    """Merges file and environment, remembering where each value came from."""

    def __init__(self, environ: Mapping[str, str], path: Path | None, doc: dict[str, Any]):
        self.environ = environ
        self.path = path
        self.doc = doc
        self.problems: list[str] = []
        self.origin: dict[tuple[str, str], str] = {}

    def table(self, name: str) -> dict[str, Any]:
        value = self.doc.get(name, {})
        if not isinstance(value, dict):
            self.problems.append(f"TOML key {name} in {self.path}: must be a table ([{name}])")
            return {}
        return value

    def section(self, name: str) -> dict[str, Any]:
        table = self.table(name)
        known = {var.key for var in _VARS if var.table == name}
        for key in sorted(set(table) - known):
            self.problems.append(
                f"TOML key {name}.{key} in {self.path}: unknown setting; "
                f"known: {', '.join(sorted(known))}"
            )
        values: dict[str, Any] = {}
        for var in _VARS:
            if var.table != name:
                continue
            from_env = self.environ.get(var.env)
            if from_env is not None and from_env.strip():
                values[var.key] = from_env
                self.origin[(name, var.key)] = var.env
            elif var.key in table:
                values[var.key] = table[var.key]
                self.origin[(name, var.key)] = (
                    f"{var.env} (TOML key {name}.{var.key} in {self.path})"
                )
        return values

    def name_of(self, table: str, key: str) -> str:
        var = _BY_FIELD.get((table, key))
        return self.origin.get((table, key)) or (var.env if var else f"{table}.{key}")

    def report(self, table: str, error: ValidationError, *, skip: str | None = None) -> None:
        for item in error.errors():
            loc = [str(part) for part in item["loc"]]
            if skip and loc and loc[0] == skip:
                continue  # the stand-in for a section already reported
            message = str(item["msg"]).removeprefix("Value error, ")
            if not loc:
                self.problems.append(message)
                continue
            var = self.name_of(table, loc[0])
            if item["type"] == "missing":
                message = f"not set; set the environment variable or {table}.{loc[0]} in the file"
            self.problems.append(f"{var}: {message}")


def _connectors(collector: _Collector) -> dict[str, str]:
    names = {spec.logical: spec.default for spec in GET_CONNECTORS}
    for key, value in collector.table("connectors").items():
        where = f"TOML key connectors.{key} in {collector.path}"
        if key not in names:
            collector.problems.append(
                f"{where}: unknown logical connector; known: {', '.join(sorted(names))}"
            )
        elif not isinstance(value, str) or not value.strip():
            collector.problems.append(f"{where}: must be the connector's id, as text")
        else:
            names[key] = value.strip()
    return names


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the configuration from `environ` (default `os.environ`) and the TOML file it names.

    Raises:
        ConfigError: any problem; all problems are reported at once, each naming its variable.
    """
    env = os.environ if environ is None else environ
    path, doc = _read_file(env)
    collector = _Collector(env, path, doc)
    afas_values = collector.section("afas")
    mcp_values = collector.section("mcp")
    connectors = _connectors(collector)
    afas: AfasSettings | None = None
    try:
        afas = AfasSettings.model_validate(afas_values)
    except ValidationError as exc:
        collector.report("afas", exc)
    database = mcp_values.pop("database", None)
    if database is None:
        database_path = default_database(env)
    else:
        database_path = Path(str(database)).expanduser()
        from_file = collector.origin.get(("mcp", "database"), "").startswith("AFAS_MCP_DATABASE (")
        if from_file and path is not None and not database_path.is_absolute():
            database_path = path.parent / database_path  # relative to the file, not the cwd
    tables = {
        name: value for name, value in doc.items() if name not in {"afas", "mcp", "connectors"}
    }
    settings: Settings | None = None
    try:
        # Validated even when [afas] is broken (with a stand-in), so every problem shows at once.
        settings = Settings.model_validate(
            {
                **mcp_values,
                "afas": afas
                or AfasSettings.model_construct(environment_id="0", environment_type="test"),
                "database": database_path,
                "connectors": connectors,
                "config_file": path,
                "tables": tables,
            }
        )
    except ValidationError as exc:
        collector.report("mcp", exc, skip="afas")
    if collector.problems or settings is None or afas is None:
        raise ConfigError(collector.problems or ["configuration could not be read"])
    return settings
