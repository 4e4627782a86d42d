"""The CLI's proof that a person, not an agent with a shell, is making a decision.

Three checks, all required, none switchable by a flag, an environment variable or a pipe:

1. standard input and output are both a terminal (an agent's tool call runs with pipes);
2. the person types their approver secret (no echo); only its hash is configured, so an agent
   that can read every file and variable still cannot produce it;
3. the person retypes the last characters of the write id, so a decision is never a reflex.

A determined agent can fake a terminal (`script`, `expect`); it cannot fake the secret. The
terminal check keeps every ordinary piped or captured run out before anything is asked.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import termios
from collections.abc import Iterator
from typing import TextIO

CONFIRM_CHARS = 4


class HumanCheckFailed(Exception):
    """A decision was asked for without proof that a person is making it; nothing changed."""


def require_terminal(
    command: str, *, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> None:
    """Raise `HumanCheckFailed` unless stdin and stdout are both a terminal."""
    streams = {"standard input": stdin or sys.stdin, "standard output": stdout or sys.stdout}
    problems = [f"{name} is {_kind(s)}" for name, s in streams.items() if not _is_tty(s)]
    if problems:
        raise HumanCheckFailed(
            f"afas-mcp review {command} needs a person at a terminal, and "
            f"{' and '.join(problems)}. Decisions on held writes are a human act: an agent or "
            "a script cannot make them, and no option or environment variable changes that. "
            "Run the command yourself in a terminal, or use the review page "
            "(afas-mcp review serve). Nothing was changed."
        )


def ask_secret(prompt: str, *, stdin: TextIO | None = None, stdout: TextIO | None = None) -> str:
    """Read one line from the terminal without echoing it."""
    tty_in, tty_out = stdin or sys.stdin, stdout or sys.stdout
    # Echo off before the prompt shows, so nothing typed at the prompt is ever echoed.
    with _no_echo(tty_in):
        tty_out.write(prompt)
        tty_out.flush()
        line = tty_in.readline()
    tty_out.write("\n")
    tty_out.flush()
    return line.rstrip("\r\n")


def ask(prompt: str, *, stdin: TextIO | None = None, stdout: TextIO | None = None) -> str:
    """Read one line from the terminal."""
    tty_in, tty_out = stdin or sys.stdin, stdout or sys.stdout
    tty_out.write(prompt)
    tty_out.flush()
    return tty_in.readline().strip()


def confirm_id(
    write_id: str, verb: str, *, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> None:
    """Ask the person to retype the end of the write id; raise `HumanCheckFailed` otherwise."""
    expected = write_id[-CONFIRM_CHARS:]
    typed = ask(
        f"To {verb} {write_id}, type the last {CONFIRM_CHARS} characters of its id "
        "(anything else cancels): ",
        stdin=stdin,
        stdout=stdout,
    )
    if typed.casefold() != expected.casefold():
        raise HumanCheckFailed(f"Not confirmed: {write_id} was not {verb}d; nothing was changed.")


def _is_tty(stream: TextIO) -> bool:
    try:
        return os.isatty(stream.fileno())
    except (AttributeError, ValueError, OSError):
        return False  # captured or closed: certainly not a person's terminal


def _kind(stream: TextIO) -> str:
    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (AttributeError, ValueError, OSError):
        return "not a terminal (captured or closed)"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a terminal"


@contextlib.contextmanager
def _no_echo(stream: TextIO) -> Iterator[None]:
    fd = stream.fileno()
    before = termios.tcgetattr(fd)
    quiet = list(before)
    quiet[3] = quiet[3] & ~termios.ECHO  # lflags
    # TCSANOW, not TCSAFLUSH: flushing would drop input already typed ahead.
    termios.tcsetattr(fd, termios.TCSANOW, quiet)
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, before)
