"""Flow engine speed in pure domain code, and what a flow adds to webhook ingestion.

Steps: each session runs the support triage flow of the library through its four waits (keyword
start, a list choice, a free-text answer) and a welcome flow with a condition, a business-hours
check, variables and interpolation; every node gone through counts as a step. The figure is
the engine alone: no database, no outbox, no network (target: at least 20,000 steps/s).

Ingestion: on PostgreSQL, in this process, a stored delivery of one customer message is applied
(contact, conversation, message, events; one transaction) three ways, interleaved so that drift
hits each alike: with no flow (the baseline), starting a universal flow that checks the window
and queues a reply, and continuing a keyword flow's question (answer saved, reply queued). The
extra latency is each way's median and 99th percentile against the baseline's.

    .venv/bin/python -m bench.flow_engine [--sessions 20000] [--deliveries 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.databases import recreated_and_migrated
from domain.accounts.model import Actor
from domain.flows.engine import CustomerMessage, FlowEngine, RunContext
from domain.flows.library import ready_made
from domain.flows.model import FlowKind, parse_flow
from domain.flows.services import FlowDraft
from domain.ingestion.ingest import InboundService
from domain.whatsapp.numbers import NumberDetails
from persistence.database import Database
from web.app import Runtime, build_runtime
from web.settings import load_settings

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
    support_triage = next(f for f in ready_made("en", "support") if f.key == "support_triage")
    triage = FlowEngine(parse_flow(support_triage.document).graph)
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


DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/pytake_bench_flows"
PHONE_NUMBER_ID = "106540352242922"
GREETING = {
    "nodes": [
        {"id": "t", "type": "trigger_universal", "data": {}},
        {"id": "window", "type": "logic_window_check", "data": {}},
        {"id": "hi", "type": "msg_text", "data": {"text": "Hello {{contact.name}}!"}},
        {"id": "end", "type": "action_end", "data": {}},
    ],
    "edges": [
        {"id": "1", "source": "t", "target": "window"},
        {"id": "2", "source": "window", "target": "hi", "sourceHandle": "open"},
        {"id": "3", "source": "window", "target": "end", "sourceHandle": "closed"},
    ],
}
QUESTION = {
    "nodes": [
        {"id": "t", "type": "trigger_keyword", "data": {"keywords": ["ajuda"]}},
        {"id": "ask", "type": "input_question", "data": {"text": "Tell us", "variable": "topic"}},
        {"id": "ok", "type": "msg_text", "data": {"text": "Noted: {{vars.topic}}"}},
    ],
    "edges": [
        {"id": "1", "source": "t", "target": "ask"},
        {"id": "2", "source": "ask", "target": "ok"},
    ],
}


def delivery(wa_id: str, text: str) -> dict[str, Any]:
    message = {
        "from": wa_id,
        "id": f"wamid.{uuid.uuid4().hex}",
        "timestamp": str(int(time.time())),
        "type": "text",
        "text": {"body": text},
    }
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
        "contacts": [{"profile": {"name": "Ana"}, "wa_id": wa_id}],
        "messages": [message],
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}],
    }


async def fresh_database(dsn: str) -> Database:
    return await recreated_and_migrated(dsn)


async def publish_flows(runtime: Runtime) -> None:
    services = runtime.services
    owner = await services.accounts.bootstrap_admin(
        "Bench Co", "owner@bench.example", "Owner", "benchmark password 1"
    )
    assert owner is not None
    actor = Actor.of(owner, None)
    number = await services.numbers.create(
        actor, PHONE_NUMBER_ID, "102290129340398", NumberDetails(access_token="bench")
    )
    for name, kind, document in (
        ("Greeting", FlowKind.UNIVERSAL, GREETING),
        ("Help", FlowKind.KEYWORD, QUESTION),
    ):
        flow = await services.flows.create(
            actor, FlowDraft(name, kind, (number.id,), document=document)
        )
        await services.flows.publish(actor, flow.id)


async def timed(service: InboundService, payload: dict[str, Any]) -> float:
    started = time.perf_counter()
    await service.apply(payload)
    return (time.perf_counter() - started) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def ingestion(dsn: str, deliveries: int) -> None:
    database = await fresh_database(dsn)
    await database.dispose()
    settings = load_settings(
        database_url=dsn.replace("postgresql://", "postgresql+asyncpg://"),
        secret_key="bench-secret-key-of-at-least-32-characters",
        password_hash_time_cost=1,
        password_hash_memory_kib=8192,
    )
    runtime = build_runtime(settings)
    async with runtime.started():
        await publish_flows(runtime)
        plain = InboundService(runtime.unit_of_work, runtime.clock)
        with_flows = InboundService(runtime.unit_of_work, runtime.clock, runtime.flow_runner)
        ways: dict[str, list[float]] = {"no flow": [], "universal start": [], "question": []}
        for n in range(deliveries + 100):
            await with_flows.apply(delivery(f"55113{n:07d}", "ajuda"))
            measured = {
                "no flow": await timed(plain, delivery(f"55111{n:07d}", "oi")),
                "universal start": await timed(with_flows, delivery(f"55112{n:07d}", "oi")),
                "question": await timed(with_flows, delivery(f"55113{n:07d}", "a refund")),
            }
            if n >= 100:
                for way, latency in measured.items():
                    ways[way].append(latency)
    base50 = statistics.median(ways["no flow"])
    base99 = percentile(ways["no flow"], 0.99)
    print(f"ingestion on PostgreSQL, {deliveries:,} deliveries each way (after 100 warm-up):")
    for way, latencies in ways.items():
        p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
        print(
            f"  {way:16} p50 {p50:6.2f} ms  p99 {p99:6.2f} ms"
            + (
                ""
                if way == "no flow"
                else f"  (+{p50 - base50:.2f} ms p50, +{p99 - base99:.2f} ms p99,"
                f" ratio {p50 / base50:.2f})"
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=20_000)
    parser.add_argument("--deliveries", type=int, default=1000)
    parser.add_argument("--dsn", default=DEFAULT_DSN, help="a PostgreSQL database to recreate")
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
    if args.deliveries:
        asyncio.run(ingestion(args.dsn, args.deliveries))


if __name__ == "__main__":
    main()
