"""Every command is documented in docs/commands.md."""

from __future__ import annotations

from pathlib import Path

import click

from csphub.cli.main import cli

DOCS = Path(__file__).resolve().parents[2] / "docs" / "commands.md"


def _commands(group: click.Group, prefix: str = "csphub") -> list[str]:
    out = []
    for name, command in group.commands.items():
        full = f"{prefix} {name}"
        if isinstance(command, click.Group):
            out.extend(_commands(command, full))
        else:
            out.append(full)
    return out


def test_every_command_has_a_section_in_the_docs():
    text = DOCS.read_text(encoding="utf-8")
    missing = [c for c in _commands(cli) if f"## `{c}" not in text]
    assert missing == []
