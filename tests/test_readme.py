"""The README's two set-up commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> dict[str, str]:
    text = (ROOT / "scripts" / "readme-commands.sh").read_text("utf-8")
    return dict(re.findall(r"^(\w+_COMMAND)='(.*)'$", text, flags=re.M))


def test_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```bash\n(.*?)\n```", readme, flags=re.S)
    commands = _commands()
    assert blocks[:2] == [commands["MAIN_COMMAND"], commands["TEST_COMMAND"]]


def test_ci_runs_the_test_command():
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "TEST_COMMAND" in ci and "readme-commands.sh" in ci
