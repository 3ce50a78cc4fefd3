"""The flow editor's node catalog (console/src/flows/catalog.ts) against the engine's: a node
type PyTake runs that the editor cannot draw, or a setting the editor writes under a name the
engine does not read, fails here rather than in a customer's flow."""

from __future__ import annotations

import re
from pathlib import Path

from domain.flows.model import NodeType

ROOT = Path(__file__).parents[2]
CATALOG = (ROOT / "console" / "src" / "flows" / "catalog.ts").read_text()
ENGINE_SOURCES = (ROOT / "domain" / "flows" / "model.py").read_text() + (
    ROOT / "domain" / "schedules.py"
).read_text()


def test_the_editor_draws_every_node_type_the_engine_runs() -> None:
    listed = re.search(r"export const NODE_TYPES = \[(.*?)\] as const", CATALOG, re.S)
    assert listed is not None
    in_editor = re.findall(r'"(\w+)"', listed.group(1))

    assert sorted(in_editor) == sorted(member.value for member in NodeType)


def test_every_setting_the_editor_writes_is_one_the_engine_reads() -> None:
    keys = set(re.findall(r'\{ key: "(\w+)", kind:', CATALOG))
    unread = sorted(key for key in keys if f'"{key}"' not in ENGINE_SOURCES)

    assert len(keys) > 30
    assert unread == []
