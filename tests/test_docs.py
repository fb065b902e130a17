"""Every command and option is documented: in its --help and in the README."""

from __future__ import annotations

import click
import pytest

from searcher.cli import main
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands.items())


@pytest.mark.parametrize(("name", "command"), COMMANDS)
def test_command_has_help_and_readme_section(name: str, command: click.Command) -> None:
    assert command.help, name
    assert f"searcher {name}" in README, f"README does not document `searcher {name}`"


@pytest.mark.parametrize(("name", "command"), COMMANDS)
def test_every_option_is_documented(name: str, command: click.Command) -> None:
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts}"
            assert any(opt in README for opt in param.opts), f"README lacks {param.opts} of `searcher {name}`"
