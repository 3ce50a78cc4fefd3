"""Flow engine speed in pure domain code: node steps per second on one core.

Each session runs the support triage flow of the library through its four waits (keyword
start, a list choice, a free-text answer) and a welcome flow with a condition, a business-hours
check, variables and interpolation; every node gone through counts as a step. The figure is
the engine alone: no database, no outbox, no network (target: at least 20,000 steps/s).

    .venv/bin/python -m bench.flow_engine [--sessions 20000]
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime, timedelta

from domain.flows.engine import CustomerMessage, FlowEngine, RunContext
from domain.flows.library import SUPPORT_TRIAGE
from domain.flows.model import parse_flow

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
WELCOME = {
    "nodes": [
        {"id": "t", "type": "trigger_universal", "data": {}},
        {
            "id": "vip",
            "type": "logic_condition",
            "data": {"subject": "vars.spent", "operator": "greater_than", "value": "1000"},
        },
        {
            "id": "hours",
            "type": "logic_business_hours",
            "data": {
                "timeZone": "America/Sao_Paulo",
                "weekly": {"monday": [["09:00", "18:00"]]},
            },
        },
        {"id": "set", "type": "action_set_variable", "data": {"variable": "tier", "value": "gold"}},
        {"id": "hi", "type": "msg_text", "data": {"text": "Hi {{contact.name}} ({{vars.tier}})"}},
        {"id": "bye", "type": "msg_text", "data": {"text": "We are closed, {{contact.name}}."}},
        {"id": "regular", "type": "msg_text", "data": {"text": "Hello!"}},
    ],
    "edges": [
        {"id": "1", "source": "t", "target": "vip"},
        {"id": "2", "source": "vip", "target": "hours", "sourceHandle": "true"},
        {"id": "3", "source": "vip", "target": "regular", "sourceHandle": "false"},
        {"id": "4", "source": "hours", "target": "set", "sourceHandle": "open"},
        {"id": "5", "source": "hours", "target": "bye", "sourceHandle": "closed"},
        {"id": "6", "source": "set", "target": "hi"},
    ],
}


def run_sessions(sessions: int) -> int:
    triage = FlowEngine(parse_flow(SUPPORT_TRIAGE.document).graph)
    welcome = FlowEngine(parse_flow(WELCOME).graph)
    context = RunContext(NOW, "5511987654321", "Ana", True, timedelta(minutes=10))
    steps = 0
    for index in range(sessions):
        started = triage.start(context, CustomerMessage("ajuda"))
        chosen = triage.resume(started.state, CustomerMessage("Billing", "billing"), context)
        answered = triage.resume(chosen.state, CustomerMessage(f"problem {index}"), context)
        greeted = welcome.start(context, CustomerMessage("oi"), {"spent": "1500"})
        steps += sum(len(outcome.steps) for outcome in (started, chosen, answered, greeted))
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=20_000)
    args = parser.parse_args()
    if (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {0})
    run_sessions(500)
    started = time.perf_counter()
    steps = run_sessions(args.sessions)
    elapsed = time.perf_counter() - started
    print(
        f"{steps:,} node steps in {elapsed:.2f} s: {steps / elapsed:,.0f} steps/s on one core "
        f"({args.sessions:,} triage sessions of 4 runs each plus {args.sessions:,} welcome "
        "runs; target >= 20,000 steps/s)"
    )


if __name__ == "__main__":
    main()
