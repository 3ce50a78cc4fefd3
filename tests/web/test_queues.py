"""Queues serving customers for real, on PostgreSQL and SQLite: flows transfer conversations
into queues, distribution rounds give them to agents, timeouts and reply deadlines move them on,
supervisors move them by hand, and time is an injected clock."""

from __future__ import annotations

import uuid
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from domain.accounts.model import Actor
from domain.conversations.messaging import TextContent
from domain.errors import Conflict
from domain.notifications.services import NotificationFilter
from domain.pagination import PageRequest
from domain.queues.model import AgentStatus, OutsideHours, QueueMessages, QueueSettings
from domain.queues.routing import Entered
from domain.queues.services import QueueService
from domain.schedules import OpeningHours
from persistence.database import Database
from tests.flow_world import Nodes, World, flow_world
from tests.flows import edge, node

WELCOME: Nodes = (
    [node("t", "trigger_universal"), node("hi", "msg_text", text="U: welcome")],
    [edge("t", "hi")],
)


def to_people(queue_id: uuid.UUID, **transfer: Any) -> Nodes:
    """A keyword flow: "humano" hands the customer to a queue."""
    return (
        [
            node("t", "trigger_keyword", keywords=["humano"], match="exact"),
            node(
                "human",
                "action_transfer_to_queue",
                queueId=str(queue_id),
                message="Connecting you.",
                **transfer,
            ),
        ],
        [edge("t", "human")],
    )


async def new_queue(world: World, name: str, **settings: Any) -> uuid.UUID:
    queues: QueueService = world.runtime.services.queues
    queue = await queues.create(world.actor, QueueSettings(name, **settings))
    return queue.id


async def test_a_flow_transfer_queues_the_conversation_an_agent_serves_it_and_the_bot_resumes(
    database_url: str, database: Database
) -> None:
    async with flow_world(database_url) as world:
        support = await new_queue(
            world, "Support", messages=QueueMessages(welcome="You are in line.")
        )
        await world.publish("Welcome", "universal", WELCOME)
        await world.publish("Human", "keyword", to_people(support, priority=1))
        agent = await world.agent(2, support)
        customer = "5511900001001"
        await world.says(customer, text="humano")
        waiting = (await world.items(customer))[0]

        await world.distribute()
        assigned = (await world.items(customer))[0]
        held = await world.conversation(customer)
        await world.says(customer, text="hello? anyone?")
        replies_while_held = await world.replies(customer)
        conversation_id = await world.conversation_id(customer)
        await world.runtime.messaging.send(
            world.channel.tenant.organization_id,
            conversation_id,
            TextContent("Hi, I am Bia."),
            sender_user_id=agent.id,
        )
        replied = (await world.items(customer))[0]
        await world.runtime.services.queues.complete(
            Actor.of(agent, None), assigned["id"], rating=5, feedback="quick"
        )
        completed = (await world.items(customer))[0]
        resolved = await world.conversation(customer)
        await world.says(customer, text="oi")
        after = await world.replies(customer)
        reopened = await world.conversation(customer)

    assert (waiting["status"], waiting["priority"], waiting["agent_id"]) == ("waiting", 1, None)
    assert assigned["status"] == "assigned"
    assert assigned["agent_id"] == agent.id
    assert assigned["routing_decision"]["candidates"] == [str(agent.id)]
    assert (held["assignee_id"], held["status"], held["queue_id"]) == (agent.id, "open", support)
    assert replies_while_held == ["Connecting you.", "You are in line."]
    assert replied["first_agent_reply_at"] is not None
    assert (completed["status"], completed["rating"], completed["feedback"]) == (
        "completed",
        5,
        "quick",
    )
    assert (resolved["status"], resolved["queue_id"]) == ("resolved", support)
    assert after[-1] == "U: welcome"
    assert reopened["id"] != resolved["id"]


@pytest.mark.parametrize(
    ("fallback", "item_status", "conversation_status", "bot_answers"),
    [
        ("abandon", "timed_out", "resolved", True),
        ("overflow", "transferred", "pending", False),
        ("return_to_flow", "timed_out", "open", True),
    ],
)
async def test_a_wait_past_the_flows_timeout_takes_its_fallback(
    database_url: str,
    database: Database,
    fallback: str,
    item_status: str,
    conversation_status: str,
    bot_answers: bool,
) -> None:
    async with flow_world(database_url) as world:
        overflow = await new_queue(world, "Overflow")
        support = await new_queue(
            world,
            "Support",
            overflow_queue_id=overflow,
            messages=QueueMessages(wait_timeout="Nobody is free, sorry."),
        )
        await world.publish(
            "Human",
            "keyword",
            to_people(support, waitTimeoutMinutes=3, fallbackAction=fallback),
        )
        await world.publish("Welcome", "universal", WELCOME)
        customer = "5511900001101"
        await world.says(customer, text="humano")
        world.clock.advance(minutes=2)
        await world.distribute()
        still_waiting = (await world.items(customer))[0]["status"]
        world.clock.advance(minutes=2)
        await world.distribute()
        items = await world.items(customer)
        conversation = await world.conversation(customer)
        await world.says(customer, text="still there?")
        replies = await world.replies(customer)

    assert still_waiting == "waiting"
    assert items[0]["status"] == item_status
    assert conversation["status"] == conversation_status
    assert (replies[-1] == "U: welcome") is bot_answers
    assert conversation["queue_id"] == (overflow if fallback == "overflow" else support)
    if fallback == "overflow":
        assert [(i["queue_id"], i["status"]) for i in items[1:]] == [(overflow, "waiting")]
    else:
        assert len(items) == 1
    if fallback == "abandon":
        assert "Nobody is free, sorry." in replies


async def test_an_agent_who_does_not_reply_in_time_loses_the_conversation_to_another(
    database_url: str, database: Database
) -> None:
    async with flow_world(database_url) as world:
        queues = world.runtime.services.queues
        support = await new_queue(world, "Support", agent_reply_timeout_minutes=2)
        await world.publish("Human", "keyword", to_people(support))
        first = await world.agent(1, support)
        second = await world.agent(1, support, online=False)
        quiet_customer, answered_customer = "5511900001201", "5511900001202"
        for customer in (quiet_customer, answered_customer):
            await world.says(customer, text="humano")
        await world.distribute()
        await queues.set_status(world.actor, second.id, AgentStatus.ONLINE)
        await world.distribute()
        answered = (await world.items(answered_customer))[0]
        await world.runtime.messaging.send(
            world.channel.tenant.organization_id,
            answered["conversation_id"],
            TextContent("On it."),
            sender_user_id=second.id,
        )
        world.clock.advance(minutes=3)
        await world.distribute()
        taken = (await world.items(quiet_customer))[0]
        kept = (await world.items(answered_customer))[0]
        await queues.complete(Actor.of(second, None), kept["id"], None, None)
        await world.distribute()
        reassigned = (await world.items(quiet_customer))[0]
        found = await queues.item(world.actor, taken["id"])
        assert found is not None
        _, history = found
        while await world.runtime.notifications.round():
            pass
        told = await world.runtime.services.notifications.notifications(
            Actor.of(first, None), NotificationFilter(), PageRequest(10)
        )

    assert [(n.node.type, n.node.conversation_id) for n in told.edges] == [
        ("conversation_taken_back", taken["conversation_id"]),
        ("conversation_assigned", taken["conversation_id"]),
    ]
    assert kept["agent_id"] == second.id
    # Taken from the first agent; the second is full, and the first may not have it back.
    assert (taken["status"], taken["agent_id"]) == ("waiting", None)
    assert taken["previous_agent_ids"] == [str(first.id)]
    assert (reassigned["status"], reassigned["agent_id"]) == ("assigned", second.id)
    excluded = reassigned["routing_decision"]["excluded"]
    assert excluded["already_had_it"] == [str(first.id)]
    assert all(str(second.id) not in ids for ids in excluded.values())
    assert [entry.kind.value for entry in history] == [
        "entered",
        "assigned",
        "reassigned",
        "assigned",
    ]
    assert history[2].details == {"reason": "the agent did not reply in time"}
    assert history[2].agent_id == first.id


async def test_a_queue_keeps_its_hours_in_its_own_time_zone_and_answers_when_closed(
    database_url: str, database: Database
) -> None:
    async with flow_world(database_url) as world:
        zone = "Pacific/Kiritimati"
        today = world.clock.now().astimezone(ZoneInfo(zone)).date()
        every_day = {day: ((time(0), time(23, 59)),) for day in range(7)}
        closed_today = OpeningHours(zone, every_day, frozenset({today}))
        messages = QueueMessages(outside_hours="We open tomorrow.", queue_full="We are full.")
        waits = await new_queue(world, "Waits", hours=closed_today, messages=messages)
        refuses = await new_queue(
            world,
            "Refuses",
            hours=closed_today,
            outside_hours=OutsideHours.REFUSE,
            messages=messages,
        )
        await world.agent(3, waits, refuses)
        await world.publish("Human", "keyword", to_people(waits))
        await world.publish("Human elsewhere", "keyword", _keyword(refuses, "outro"))
        await world.says("5511900001301", text="humano")
        await world.says("5511900001302", text="outro")
        await world.distribute()
        waiting_while_closed = (await world.items("5511900001301"))[0]["status"]
        refused_items = await world.items("5511900001302")
        refused_conversation = await world.conversation("5511900001302")
        world.clock.advance(days=1)
        await world.distribute()
        served = (await world.items("5511900001301"))[0]["status"]
        replies = await world.replies("5511900001301")

    assert waiting_while_closed == "waiting"
    assert served == "assigned"
    assert "We open tomorrow." in replies
    assert refused_items == []
    assert refused_conversation["status"] == "pending"
    assert refused_conversation["assignee_id"] is None


def _keyword(queue_id: uuid.UUID, keyword: str) -> Nodes:
    nodes, edges = to_people(queue_id)
    nodes[0]["data"]["keywords"] = [keyword]
    return nodes, edges


async def test_supervisors_move_items_by_hand_within_capacity_and_a_full_queue_says_so(
    database_url: str, database: Database
) -> None:
    async with flow_world(database_url) as world:
        billing = await new_queue(world, "Billing")
        support = await new_queue(
            world, "Support", max_size=1, messages=QueueMessages(queue_full="We are full.")
        )
        await world.publish("Human", "keyword", to_people(support))
        busy = await world.agent(1, billing)
        free = await world.agent(2, billing)
        queues = world.runtime.services.queues
        await world.says("5511900001401", text="humano")
        await world.says("5511900001402", text="humano")
        first = (await world.items("5511900001401"))[0]
        turned_away = await world.items("5511900001402")
        turned_away_replies = await world.replies("5511900001402")

        moved = await queues.transfer(world.actor, first["id"], billing, None)
        await queues.assign(world.actor, moved.id, busy.id)
        other = await queues.enqueue(
            world.actor, await world.conversation_id("5511900001402"), billing, 2
        )
        assert isinstance(other, Entered)
        with pytest.raises(Conflict) as full:
            await queues.assign(world.actor, other.item.id, busy.id)
        handed = await queues.transfer(world.actor, moved.id, None, free.id)
        items = await world.items("5511900001401")

    assert turned_away == []
    assert turned_away_replies[-1] == "We are full."
    assert [(i["queue_id"], i["status"]) for i in items] == [
        (support, "transferred"),
        (billing, "assigned"),
    ]
    assert items[1]["priority"] == first["priority"]
    assert handed.agent_id == free.id
    assert full.value.message == "the agent is at capacity (1 of 1)"


async def test_a_queue_with_conversations_cannot_be_deleted(
    database_url: str, database: Database
) -> None:
    async with flow_world(database_url) as world:
        support = await new_queue(world, "Support")
        await world.publish("Human", "keyword", to_people(support))
        await world.says("5511900001501", text="humano")
        queues = world.runtime.services.queues
        with pytest.raises(Conflict) as refused:
            await queues.delete(world.actor, support)
        item = (await world.items("5511900001501"))[0]
        await queues.abandon(world.actor, item["id"])
        await queues.delete(world.actor, support)
        remaining = await queues.queues(world.actor)

    assert "still in queue 'Support'" in refused.value.message
    assert remaining == []


async def test_customers_near_the_front_hear_their_position_as_they_move_up(
    database_url: str, database: Database
) -> None:
    async with flow_world(database_url) as world:
        support = await new_queue(
            world, "Support", messages=QueueMessages(position_update="You are number {{position}}.")
        )
        await world.publish("Human", "keyword", to_people(support))
        customers = ["5511900001601", "5511900001602", "5511900001603"]
        for customer in customers:
            await world.says(customer, text="humano")
        await world.distribute()
        await world.distribute()
        await world.agent(1, support)
        await world.distribute()
        heard = [await world.replies(customer) for customer in customers]

    assert heard == [
        ["Connecting you.", "You are number 1."],
        ["Connecting you.", "You are number 2.", "You are number 1."],
        ["Connecting you.", "You are number 3.", "You are number 2."],
    ]
