"""Meta's payloads as typed commands, including the shapes other platforms drop."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.flows.sessions import customer_message
from domain.whatsapp.inbound import MessageStatus, advance, conversation_keys, parse_delivery
from tests.meta_payloads import (
    BUTTON_REPLY,
    INBOUND_TEXT,
    PHONE_NUMBER_ID,
    STATUS_DELIVERED,
    STATUS_FAILED,
    TEMPLATE_STATUS,
)


def with_message(
    message: dict[str, Any], contacts: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    payload = copy.deepcopy(INBOUND_TEXT)
    value = payload["entry"][0]["changes"][0]["value"]
    value["messages"] = [message]
    if contacts is not None:
        value["contacts"] = contacts
    return payload


def only_message(payload: dict[str, Any]) -> Any:
    parsed = parse_delivery(payload)
    assert len(parsed.number_changes) == 1
    (message,) = parsed.number_changes[0].messages
    return message


def test_metas_text_example_reads_as_a_text_message_from_its_contact() -> None:
    parsed = parse_delivery(INBOUND_TEXT)

    (change,) = parsed.number_changes
    (message,) = change.messages
    assert change.phone_number_id == PHONE_NUMBER_ID
    assert message.wamid == "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="
    assert message.type == "text"
    assert message.content == {"body": "Does it come in another color?"}
    assert message.sent_at == datetime.fromtimestamp(1749416383, tz=UTC)
    assert change.contact_for(message).profile_name == "Sheena Nelson"


def test_metas_button_reply_example_keeps_the_choice_and_the_replied_message() -> None:
    message = only_message(BUTTON_REPLY)

    assert message.type == "interactive"
    assert message.content == {
        "kind": "button_reply",
        "id": "change-button",
        "title": "Change",
        "description": None,
    }
    assert message.context_wamid == "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBJBM0Y4RUU0RUNFQkFDMjYzQUMA"


@pytest.mark.parametrize(
    ("raw", "expected_type", "expected_content"),
    [
        (
            {
                "type": "interactive",
                "interactive": {
                    "type": "list_reply",
                    "list_reply": {
                        "id": "priority_express",
                        "title": "Priority Mail Express",
                        "description": "Next Day to 2 Days",
                    },
                },
            },
            "interactive",
            {
                "kind": "list_reply",
                "id": "priority_express",
                "title": "Priority Mail Express",
                "description": "Next Day to 2 Days",
            },
        ),
        (
            {"type": "button", "button": {"payload": "Unsubscribe", "text": "Unsubscribe"}},
            "button",
            {"payload": "Unsubscribe", "text": "Unsubscribe"},
        ),
        (
            {
                "type": "image",
                "image": {
                    "mime_type": "image/jpeg",
                    "sha256": "abc",
                    "id": "1234",
                    "caption": "hi",
                },
            },
            "image",
            {
                "mediaId": "1234",
                "mimeType": "image/jpeg",
                "sha256": "abc",
                "caption": "hi",
                "filename": None,
                "voice": None,
                "animated": None,
            },
        ),
        (
            {
                "type": "audio",
                "audio": {"mime_type": "audio/ogg", "sha256": "x", "id": "9", "voice": True},
            },
            "audio",
            {
                "mediaId": "9",
                "mimeType": "audio/ogg",
                "sha256": "x",
                "caption": None,
                "filename": None,
                "voice": True,
                "animated": None,
            },
        ),
        (
            {
                "type": "location",
                "location": {"latitude": -23.55, "longitude": -46.63, "name": "Sé"},
            },
            "location",
            {"latitude": -23.55, "longitude": -46.63, "name": "Sé", "address": None, "url": None},
        ),
        (
            {"type": "reaction", "reaction": {"message_id": "wamid.OUT", "emoji": "👍"}},
            "reaction",
            {"messageId": "wamid.OUT", "emoji": "👍"},
        ),
        (
            {
                "type": "system",
                "system": {
                    "body": "User changed number",
                    "wa_id": "5511",
                    "type": "user_changed_number",
                },
            },
            "system",
            {"body": "User changed number", "kind": "user_changed_number", "newWaId": "5511"},
        ),
    ],
)
def test_each_message_type_gets_its_typed_content(
    raw: dict[str, Any], expected_type: str, expected_content: dict[str, Any]
) -> None:
    message = only_message(
        with_message({"from": "16505551234", "id": "wamid.X", "timestamp": "1", **raw})
    )

    assert message.type == expected_type
    assert message.content == expected_content


def test_unsupported_messages_keep_metas_error_and_raw_object() -> None:
    raw = {
        "from": "16505551234",
        "id": "wamid.U",
        "timestamp": "1",
        "type": "unsupported",
        "errors": [
            {
                "code": 131051,
                "title": "Message type unknown",
                "message": "Message type unknown",
                "error_data": {"details": "Message type is currently not supported."},
            }
        ],
        "unsupported": {"type": "poll_creation"},
    }

    message = only_message(with_message(raw))

    assert message.type == "unsupported"
    assert message.content["unsupportedType"] == "poll_creation"
    assert message.content["errors"][0]["code"] == 131051
    assert message.errors[0]["code"] == 131051


def test_a_type_meta_adds_tomorrow_is_kept_not_dropped() -> None:
    raw = {
        "from": "16505551234",
        "id": "wamid.N",
        "timestamp": "1",
        "type": "poll",
        "poll": {"question": "?"},
    }

    message = only_message(with_message(raw))

    assert message.type == "unsupported"
    assert message.content["unsupportedType"] == "poll"
    assert message.content["raw"]["poll"] == {"question": "?"}


def test_contacts_are_matched_by_id_not_by_position_and_may_lack_a_phone_number() -> None:
    payload = copy.deepcopy(INBOUND_TEXT)
    value = payload["entry"][0]["changes"][0]["value"]
    value["contacts"] = [
        {"profile": {"name": "Someone Else"}, "wa_id": "5511999999999"},
        {"profile": {"name": "Ana", "username": "ana.s"}, "user_id": "BR.1349120865530274"},
    ]
    value["messages"] = [
        {
            "from": "5511999999999",
            "id": "wamid.1",
            "timestamp": "1",
            "type": "text",
            "text": {"body": "a"},
        },
        {
            "from_user_id": "BR.1349120865530274",
            "id": "wamid.2",
            "timestamp": "1",
            "type": "text",
            "text": {"body": "b"},
        },
    ]

    (change,) = parse_delivery(payload).number_changes

    first, second = change.messages
    assert change.contact_for(first).profile_name == "Someone Else"
    assert second.from_wa_id is None
    assert change.contact_for(second).username == "ana.s"
    assert change.contact_for(second).user_id == "BR.1349120865530274"


def test_statuses_carry_metas_error_and_pricing() -> None:
    (delivered,) = parse_delivery(STATUS_DELIVERED).number_changes[0].statuses
    (failed,) = parse_delivery(STATUS_FAILED).number_changes[0].statuses

    assert delivered.status is MessageStatus.DELIVERED
    assert delivered.pricing == {
        "billable": False,
        "pricing_model": "PMP",
        "type": "free_customer_service",
        "category": "service",
    }
    assert failed.status is MessageStatus.FAILED
    assert failed.errors[0]["code"] == 131049


def test_template_status_updates_and_unknown_fields_are_reported() -> None:
    payload = copy.deepcopy(TEMPLATE_STATUS)
    payload["entry"][0]["changes"].append({"field": "account_update", "value": {"event": "X"}})

    parsed = parse_delivery(payload)

    (change,) = parsed.template_changes
    assert (change.template_id, change.event, change.reason) == (
        "1689556908129835",
        "REJECTED",
        "INVALID_FORMAT: Your template has parameters placed next to each other ... "
        "Separate parameters ...",
    )
    assert parsed.ignored_fields == ["account_update"]


def test_every_entry_and_change_of_a_batch_is_read() -> None:
    payload = copy.deepcopy(INBOUND_TEXT)
    payload["entry"].append(copy.deepcopy(STATUS_DELIVERED["entry"][0]))
    payload["entry"][0]["changes"].append(copy.deepcopy(BUTTON_REPLY["entry"][0]["changes"][0]))

    parsed = parse_delivery(payload)

    assert sum(len(c.messages) for c in parsed.number_changes) == 2
    assert sum(len(c.statuses) for c in parsed.number_changes) == 1


@pytest.mark.parametrize(
    ("current", "incoming", "expected"),
    [
        (MessageStatus.PENDING, MessageStatus.SENT, MessageStatus.SENT),
        (MessageStatus.SENT, MessageStatus.READ, MessageStatus.READ),
        (MessageStatus.READ, MessageStatus.DELIVERED, None),
        (MessageStatus.DELIVERED, MessageStatus.SENT, None),
        (MessageStatus.READ, MessageStatus.PLAYED, MessageStatus.PLAYED),
        (MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.FAILED),
        (MessageStatus.DELIVERED, MessageStatus.FAILED, None),
        (MessageStatus.FAILED, MessageStatus.SENT, None),
        (MessageStatus.FAILED, MessageStatus.READ, MessageStatus.READ),
        (MessageStatus.READ, MessageStatus.READ, None),
    ],
)
def test_statuses_only_move_forward_and_failed_outranks_sent(
    current: MessageStatus, incoming: MessageStatus, expected: MessageStatus | None
) -> None:
    assert advance(current, incoming) is expected


def message_of(kind: str, body: object, **more: object) -> dict[str, Any]:
    return {
        "from": "16505551234",
        "id": "wamid.X",
        "timestamp": "1749416383",
        "type": kind,
        kind: body,
        **more,
    }


@pytest.mark.parametrize(
    ("message", "note"),
    [
        pytest.param(
            message_of("location", {"latitude": "LOCATION_LATITUDE", "longitude": -46.6}),
            "location.latitude is not a number",
            id="Meta's documentation example location",
        ),
        pytest.param(message_of("interactive", {}), "is not a reply", id="interactive, empty"),
        pytest.param(
            message_of(
                "interactive",
                {"type": "call_permission_reply", "call_permission_reply": {"response": "x"}},
            ),
            "response is neither accept nor reject",
            id="a call permission answer that neither accepts nor rejects",
        ),
        pytest.param(
            message_of(
                "interactive",
                {
                    "type": "call_permission_reply",
                    "call_permission_reply": {
                        "response": "accept",
                        "expiration_timestamp": "next week",
                    },
                },
            ),
            "expiration_timestamp is not a time",
            id="a call permission whose expiry is not a time",
        ),
        pytest.param(
            message_of("interactive", {"type": "nfm_reply", "nfm_reply": {"response_json": 1}}),
            "response_json is not a string",
            id="a WhatsApp Flow answer without its response",
        ),
        pytest.param(
            message_of("order", {"product_items": [{"quantity": 1}]}),
            "no product_retailer_id",
            id="an order item without its product",
        ),
        pytest.param(message_of("text", {"body": 5}), "text.body is not a string", id="text"),
        pytest.param(message_of("image", "x"), "has no image object", id="image not an object"),
    ],
)
def test_content_that_does_not_fit_its_type_is_kept_as_unsupported_saying_why(
    message: dict[str, Any], note: str
) -> None:
    parsed = only_message(with_message(message))

    assert parsed.type == "unsupported"
    assert parsed.content["unsupportedType"] == message["type"]
    assert parsed.content["raw"][message["type"]] == message[message["type"]]
    assert any(note in written for written in parsed.content["notes"])


def test_nul_characters_are_replaced_and_the_message_says_so() -> None:
    payload = with_message(
        message_of("text", {"body": "a\u0000b\u0000"}),
        contacts=[{"wa_id": "16505551234", "profile": {"name": "Ze\u0000"}}],
    )

    parsed = parse_delivery(payload)

    (message,) = parsed.number_changes[0].messages
    assert message.content["body"] == "a\ufffdb\ufffd"
    assert message.content["notes"] == [
        "2 NUL or lone surrogate characters were replaced with U+FFFD: the database cannot "
        "store them"
    ]
    assert parsed.number_changes[0].contacts[0].profile_name == "Ze\ufffd"
    assert any(
        "1 NUL or lone surrogate characters replaced" in problem for problem in parsed.problems
    )


def test_a_bsuid_only_message_takes_its_sender_from_the_single_contact() -> None:
    message = message_of("text", {"body": "oi"})
    del message["from"]
    payload = with_message(message, contacts=[{"user_id": "BR.1234567890", "profile": {}}])

    parsed = only_message(payload)

    assert (parsed.from_wa_id, parsed.from_user_id) == (None, "BR.1234567890")


def test_a_message_with_no_sender_at_all_is_reported_not_applied() -> None:
    message = message_of("text", {"body": "oi"})
    del message["from"]
    parsed = parse_delivery(with_message(message, contacts=[]))

    assert parsed.number_changes[0].messages == []
    assert any("names no sender" in problem for problem in parsed.problems)


def test_a_from_that_is_not_a_number_is_not_taken_for_a_whatsapp_id() -> None:
    message = message_of("text", {"body": "x"}, **{"from": "<script>"})

    parsed = parse_delivery(with_message(message, contacts=[{"wa_id": "no", "profile": {}}]))

    assert parsed.number_changes[0].messages == []
    assert any("names no sender" in problem for problem in parsed.problems)


def test_a_whatsapp_flow_answer_keeps_its_response() -> None:
    answer = message_of(
        "interactive",
        {
            "type": "nfm_reply",
            "nfm_reply": {
                "name": "flow",
                "body": "Sent",
                "response_json": '{"flow_token": "t-1", "size": "M"}',
            },
        },
    )

    parsed = only_message(with_message(answer))

    assert parsed.type == "interactive"
    assert parsed.content["response"] == {"flow_token": "t-1", "size": "M"}
    assert (parsed.content["name"], parsed.content["body"]) == ("flow", "Sent")


@pytest.mark.parametrize(
    ("reply", "content"),
    [
        pytest.param(
            {
                "response": "accept",
                "is_permanent": False,
                "expiration_timestamp": 1760000000,
                "response_source": "user_action",
            },
            {
                "response": "accept",
                "permanent": False,
                "expiresAt": "2025-10-09T08:53:20+00:00",
                "responseSource": "user_action",
            },
            id="a temporary grant",
        ),
        pytest.param(
            {"response": "accept", "is_permanent": True, "response_source": "automatic"},
            {
                "response": "accept",
                "permanent": True,
                "expiresAt": None,
                "responseSource": "automatic",
            },
            id="a permanent grant",
        ),
        pytest.param(
            {"response": "reject"},
            {"response": "reject", "permanent": False, "expiresAt": None, "responseSource": None},
            id="a refusal",
        ),
    ],
)
def test_an_answer_to_a_request_to_call_is_typed(
    reply: dict[str, object], content: dict[str, object]
) -> None:
    answer = message_of(
        "interactive", {"type": "call_permission_reply", "call_permission_reply": reply}
    )

    parsed = only_message(with_message(answer))

    assert parsed.type == "interactive"
    assert parsed.content == {"kind": "call_permission_reply", **content}
    assert customer_message(parsed.type, parsed.content) is None, "no flow takes it as an answer"


def test_an_order_lists_its_products_and_a_referred_product_is_kept() -> None:
    order = message_of(
        "order",
        {
            "catalog_id": "cat-1",
            "text": "for Friday",
            "product_items": [
                {
                    "product_retailer_id": "sku-9",
                    "quantity": 2,
                    "item_price": 9.9,
                    "currency": "BRL",
                }
            ],
        },
        context={
            "from": "15550",
            "id": "wamid.PRODUCT",
            "referred_product": {"catalog_id": "cat-1", "product_retailer_id": "sku-9"},
        },
    )

    parsed = only_message(with_message(order))

    assert parsed.type == "order"
    assert parsed.content["items"] == [
        {"productRetailerId": "sku-9", "quantity": 2, "itemPrice": 9.9, "currency": "BRL"}
    ]
    assert parsed.content["referredProduct"] == {"catalogId": "cat-1", "productRetailerId": "sku-9"}


def test_an_edit_carries_the_new_content_and_a_revoke_names_the_original() -> None:
    edit = message_of(
        "edit",
        {
            "original_message_id": "wamid.FIRST",
            "message": {"type": "image", "image": {"id": "77", "caption": "new caption"}},
        },
    )
    revoke = message_of("revoke", {"original_message_id": "wamid.FIRST"})
    broken = message_of("revoke", {})

    edited, revoked, unreadable = (
        only_message(with_message(message)) for message in (edit, revoke, broken)
    )

    assert edited.type == "edit"
    assert edited.content["originalWamid"] == "wamid.FIRST"
    assert edited.content["type"] == "image"
    assert edited.content["content"]["caption"] == "new caption"
    assert (revoked.type, revoked.content) == ("revoke", {"originalWamid": "wamid.FIRST"})
    assert unreadable.type == "unsupported"
    assert unreadable.content["notes"] == ["revoke.original_message_id is not a string"]


def test_a_customers_identity_change_keeps_what_meta_sent_about_it() -> None:
    identity = {"acknowledged": True, "created_timestamp": 1749416383, "hash": "h-1"}
    changed = message_of(
        "system",
        {"body": "User's identity changed", "type": "customer_identity_changed"},
        identity=identity,
    )

    parsed = only_message(with_message(changed))

    assert parsed.content["kind"] == "customer_identity_changed"
    assert parsed.content["identity"] == identity


def test_a_delivery_names_the_conversation_of_each_sender_and_none_for_statuses() -> None:
    batch = copy.deepcopy(INBOUND_TEXT)
    value = batch["entry"][0]["changes"][0]["value"]
    first = value["messages"][0]
    value["messages"] = [
        first,
        {**first, "id": "wamid.2", "from": "5511999990000"},
        # Meta's BSUID-only shape: the customer is named by contacts[] alone.
        {**first, "id": "wamid.3", "from": None, "from_user_id": "US.13491208655302741918"},
    ]

    assert conversation_keys(batch) == {
        f"{PHONE_NUMBER_ID} wa:16505551234",
        f"{PHONE_NUMBER_ID} wa:5511999990000",
        f"{PHONE_NUMBER_ID} user:US.13491208655302741918",
    }
    bsuid_only = with_message(
        {"id": "wamid.4", "timestamp": "1749416383", "type": "text", "text": {"body": "oi"}},
        [{"profile": {"name": "Ana"}, "user_id": "US.1"}],
    )
    assert conversation_keys(bsuid_only) == {f"{PHONE_NUMBER_ID} user:US.1"}
    assert conversation_keys(STATUS_DELIVERED) == frozenset()
    assert conversation_keys(TEMPLATE_STATUS) == frozenset()
    assert conversation_keys({"entry": "not a list"}) == frozenset()
