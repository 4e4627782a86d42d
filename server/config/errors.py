"""The one error bad configuration raises: every problem at once, each naming its variable."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["ConfigError"]


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
