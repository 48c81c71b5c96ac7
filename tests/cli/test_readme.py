"""The README's CLI section quotes the program word for word: every `$ tracker ...`
example in it is run, and what it prints must be what the README shows."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.cli.support import tracker
from tests.helpers import REPO


def examples() -> list[tuple[str, list[str]]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## The CLI"):]
    section = section[:section.index("\n## ", 1)]
    found: list[tuple[str, list[str]]] = []
    for block in section.split("```")[1::2]:
        current: tuple[str, list[str]] | None = None
        for line in block.strip("\n").splitlines():
            if line.startswith("$ tracker "):
                current = (line[2:], [])
                found.append(current)
            elif current is not None:
                current[1].append(line)
    return found


def test_the_readme_quotes_what_the_cli_prints(tmp_path: Path) -> None:
    quoted = examples()
    assert len(quoted) >= 2
    for command, expected in quoted:
        r = tracker(*shlex.split(command)[1:], env={"TRACKER_LIBRARY": str(tmp_path / "none")})
        printed = r.stdout if r.returncode == 0 else r.stderr
        assert printed.splitlines() == expected, command


def test_the_synopsis_lists_every_command() -> None:
    from tracker.cli.parser import build_parser

    text = (REPO / "README.md").read_text(encoding="utf-8")
    synopsis = text[text.index("## The CLI"):].split("```")[1]
    listed = {line.split()[0] for line in synopsis.splitlines()[2:] if line.startswith("  ") and line.split()}
    commands = next(a for a in build_parser()._actions if a.dest == "command").choices
    assert commands is not None
    assert set(commands) <= listed, sorted(set(commands) - listed)


def test_the_synopsis_lists_every_option() -> None:
    """Every long option of every command is in the README's synopsis (or its short
    form, as ``-o``), so the README never lags behind ``--help``."""
    import argparse

    from tracker.cli.parser import build_parser

    text = (REPO / "README.md").read_text(encoding="utf-8")
    synopsis = text[text.index("## The CLI"):].split("```")[1]
    missing: list[str] = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}")
            elif action.option_strings and action.help != argparse.SUPPRESS:
                if "--help" not in action.option_strings and not any(
                        re.search(re.escape(o) + r"(?![\w-])", synopsis) for o in action.option_strings):
                    missing.append(f"{path} {action.option_strings[-1]}")

    walk(build_parser(), "tracker")
    assert [m for m in missing if not m.endswith("--library")] == []
