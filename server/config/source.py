"""Where configuration values come from: the environment, then the TOML file `AFAS_MCP_CONFIG`.

A `Source` hands each section its raw values (an environment variable wins over the file's key),
remembers where each value came from so that a problem names the variable and, for a value from
the file, its TOML key and the file, and collects every problem instead of stopping at the first.
A key no section knows is reported as the typo it usually is. The small parsers at the end turn
raw text or TOML values into numbers, flags and paths, reporting in the same words everywhere.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from server.config.errors import ConfigError

__all__ = ["Source", "Var", "read_file"]

CONFIG_ENV = "AFAS_MCP_CONFIG"


@dataclass(frozen=True, slots=True)
class Var:
    """One setting: its environment variable, and its key in a table of the TOML file."""

    env: str
    table: str
    key: str


def read_file(environ: Mapping[str, str]) -> tuple[Path | None, dict[str, Any]]:
    """The TOML file named by `AFAS_MCP_CONFIG` and its content; no name, no file.

    Raises:
        ConfigError: the file is missing, unreadable or not TOML (nothing else can be checked).
    """
    name = environ.get(CONFIG_ENV, "").strip()
    if not name:
        return None, {}
    path = Path(name).expanduser()
    try:
        with path.open("rb") as handle:
            return path, tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError([f"{CONFIG_ENV}: file {path} does not exist"]) from None
    except OSError as exc:
        raise ConfigError([f"{CONFIG_ENV}: cannot read {path} ({exc.strerror})"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{CONFIG_ENV}: {path} is not valid TOML ({exc})"]) from None


class Source:
    """The environment and the file, merged per section, with every problem collected."""

    def __init__(
        self, environ: Mapping[str, str], path: Path | None, doc: Mapping[str, Any]
    ) -> None:
        self.environ = environ
        self.path = path
        self.doc = doc
        self.problems: list[str] = []
        self._origin: dict[tuple[str, str], str] = {}
        self._vars: dict[tuple[str, str], Var] = {}

    @classmethod
    def of(cls, environ: Mapping[str, str]) -> Source:
        """The source for `environ` and the file it names."""
        path, doc = read_file(environ)
        return cls(environ, path, doc)

    def table(self, name: str) -> dict[str, Any]:
        """The file's table `[name]` (empty when absent; a problem when not a table)."""
        value = self.doc.get(name, {})
        if not isinstance(value, dict):
            self.problems.append(f"TOML key {name} in {self.path}: must be a table ([{name}])")
            return {}
        return value

    def values(
        self, name: str, variables: Iterable[Var], *, unknown_hint: str = ""
    ) -> dict[str, Any]:
        """The raw values of section `name` by key: the environment's, else the file's.

        A key of the table that none of `variables` names is reported as unknown (with
        `unknown_hint` when a typo is not the likely cause).
        """
        own = [var for var in variables if var.table == name]
        table = self.table(name)
        known = {var.key for var in own}
        for key in sorted(set(table) - known):
            self.problems.append(
                f"TOML key {name}.{key} in {self.path}: unknown setting; "
                f"known: {', '.join(sorted(known))}{unknown_hint}"
            )
        found: dict[str, Any] = {}
        for var in own:
            self._vars[(var.table, var.key)] = var
            from_env = self.environ.get(var.env)
            if from_env is not None and from_env.strip():
                found[var.key] = from_env.strip()
                self._origin[(name, var.key)] = var.env
            elif var.key in table:
                found[var.key] = table[var.key]
                self._origin[(name, var.key)] = (
                    f"{var.env} (TOML key {name}.{var.key} in {self.path})"
                )
        return found

    def name_of(self, table: str, key: str) -> str:
        """How a problem names the setting: the variable, and the TOML key when from the file."""
        var = self._vars.get((table, key))
        return self._origin.get((table, key)) or (var.env if var else f"{table}.{key}")

    def from_file(self, table: str, key: str) -> bool:
        """Whether the value of `table.key` came from the file (not the environment)."""
        return "(TOML key" in self._origin.get((table, key), "")

    def problem(self, var: Var, message: str) -> None:
        """Record a problem with one setting."""
        self.problems.append(f"{self.name_of(var.table, var.key)}: {message}")

    def report(self, table: str, error: ValidationError, *, skip: str | None = None) -> None:
        """Record a pydantic section's validation errors, each under its variable's name."""
        for item in error.errors():
            loc = [str(part) for part in item["loc"]]
            if skip and loc and loc[0] == skip:
                continue  # the stand-in for a section already reported
            message = str(item["msg"]).removeprefix("Value error, ")
            if not loc:
                self.problems.append(message)
                continue
            if item["type"] == "missing":
                message = f"not set; set the environment variable or {table}.{loc[0]} in the file"
            self.problems.append(f"{self.name_of(table, loc[0])}: {message}")

    def raise_problems(self) -> None:
        """Raise `ConfigError` with every problem found, if there is any."""
        if self.problems:
            raise ConfigError(self.problems)

    # -- parsers shared by the sections ---------------------------------------------------------

    def whole_number(self, var: Var, raw: object, *, default: int, low: int, high: int) -> int:
        """A whole number from `low` to `high`; the default when unset or wrong (reported)."""
        if raw is None:
            return default
        try:
            number = None if isinstance(raw, bool | float) else int(str(raw).strip())
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            self.problem(var, f"must be a whole number from {low} to {high}")
            return default
        return number

    def flag(self, var: Var, raw: object, *, default: bool = False) -> bool:
        """`true` or `false` (also 1/0, yes/no); the default when unset or wrong (reported)."""
        if raw is None:
            return default
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"true", "1", "yes"}:
            return True
        if text in {"false", "0", "no", ""}:
            return False
        self.problem(var, "must be true or false")
        return default

    def file_path(self, var: Var, raw: object) -> Path | None:
        """A file path; one from the TOML file is relative to the file, not the working dir."""
        if raw is None:
            return None
        if not isinstance(raw, str) or not raw.strip():
            self.problem(var, "must be a file path, as text")
            return None
        file = Path(raw.strip()).expanduser()
        if self.path is not None and not file.is_absolute() and self.from_file(var.table, var.key):
            return self.path.parent / file
        return file
