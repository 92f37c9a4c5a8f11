"""The pre-commit hooks run what `make lint` (and so CI) runs: the same commands, from the same venv."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lint_recipe() -> set[str]:
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = lines.index("lint: $(STAMP)") + 1
    recipe = []
    for line in lines[start:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return set(recipe)


def test_every_hook_is_a_line_of_make_lint_and_every_line_a_hook() -> None:
    config = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    # nothing to fetch: the hooks are the venv's own pinned tools
    assert re.findall(r"^  - repo: (.+)$", config, re.MULTILINE) == ["local"]
    entries = {entry.removeprefix("env KLIMABOK_DEBUG=true ").replace(".venv/bin/", "$(BIN)/")
               for entry in re.findall(r"^ +entry: ([^#]+?) *(?:#.*)?$", config, re.MULTILINE)}
    assert entries == lint_recipe()
