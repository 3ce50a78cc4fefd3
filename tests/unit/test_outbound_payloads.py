"""Send payloads: Meta's limits enforced with precise errors, and every shape valid against
the request schema of Meta's OpenAPI spec (vendored in tests/meta/)."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from domain.errors import InvalidInput
from domain.whatsapp.outbound import (
    ListRow,
    ListSection,
    ReplyButton,
    TemplateButton,
    TemplateHeader,
    buttons_payload,
    list_payload,
    mark_read_payload,
    media_payload,
    placeholders,
    reaction_payload,
    recipient,
    template_payload,
    text_payload,
)
from tests.meta_spec import assert_valid, meta_message_schema


@pytest.fixture(scope="module")
def message_schema() -> Draft202012Validator:
    return meta_message_schema()


BUTTONS = [ReplyButton("change-button", "Change"), ReplyButton("cancel-button", "Cancel")]
SECTIONS = [
    ListSection(
        "I want it ASAP!",
        [ListRow("priority_express", "Priority Mail Express", "Next Day to 2 Days")],
    )
]


@pytest.mark.parametrize(
    "payload",
    [
        text_payload("16505551234", "Hello!"),
        text_payload(
            "16505551234", "See https://example.com", preview_url=True, reply_to="wamid.X"
        ),
        buttons_payload(
            "16505551234", "Hi Pablo!", BUTTONS, header="Workshop Details", footer="Lucky Shrub"
        ),
        list_payload(
            "16505551234",
            "Which shipping option?",
            "Shipping Options",
            SECTIONS,
            header="Choose Shipping Option",
            footer="Lucky Shrub",
        ),
        media_payload("16505551234", "image", media_id="1234", caption="hi"),
        media_payload(
            "16505551234",
            "document",
            link="https://example.com/invoice.pdf",
            filename="invoice.pdf",
            caption="Your invoice",
        ),
        media_payload("16505551234", "audio", media_id="5678"),
        media_payload("16505551234", "video", link="https://example.com/clip.mp4"),
        media_payload("16505551234", "sticker", media_id="9"),
        reaction_payload("16505551234", "wamid.X", "👍"),
        template_payload("16505551234", "hello_world", "en_US", "Hello World", []),
        template_payload(
            "16505551234",
            "order_confirmation",
            "en_US",
            "Hi {{1}}, your order {{2}} is confirmed",
            ["Jessica", "SKBUP2-4CPIG9"],
        ),
        template_payload(
            "16505551234", "greeting", "en_US", "Hi {{first_name}}!", {"first_name": "Ana"}
        ),
        template_payload(
            "16505551234",
            "order_shipped",
            "en_US",
            "Hi {{1}}, it is on its way",
            ["Ana"],
            header=TemplateHeader("image", link="https://example.com/parcel.jpg"),
            buttons=(
                TemplateButton(0, payload="stop-updates"),
                TemplateButton(1, url_suffix="track/A-1001"),
            ),
        ),
        template_payload(
            "16505551234",
            "invoice_ready",
            "en_US",
            "Your invoice",
            [],
            header=TemplateHeader("document", media_id="778", filename="invoice.pdf"),
        ),
        template_payload(
            "16505551234",
            "welcome_back",
            "en_US",
            "Good to see you",
            [],
            header=TemplateHeader("text", text="Hello Ana"),
        ),
    ],
    ids=[
        "text",
        "text-preview-reply",
        "buttons",
        "list",
        "image-id",
        "document-link",
        "audio",
        "video-link",
        "sticker",
        "reaction",
        "template-plain",
        "template-positional",
        "template-named",
        "template-image-header-and-buttons",
        "template-document-header",
        "template-text-header",
    ],
)
def test_every_payload_matches_metas_request_schema(
    message_schema: Draft202012Validator, payload: dict[str, Any]
) -> None:
    assert_valid(message_schema, payload)


def test_mark_read_with_typing_indicator_has_metas_shape() -> None:
    assert mark_read_payload("wamid.X", typing=True) == {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": "wamid.X",
        "typing_indicator": {"type": "text"},
    }


def test_recipients_get_a_plus_and_bad_numbers_are_refused() -> None:
    assert recipient("16505551234") == "+16505551234"
    assert recipient("+55 (11) 99999-0000") == "+5511999990000"
    with pytest.raises(InvalidInput, match="international form"):
        recipient("12")


@pytest.mark.parametrize(
    ("build", "field", "message"),
    [
        (
            lambda: buttons_payload(
                "1650555123", "b", [ReplyButton(str(n), f"T{n}") for n in range(4)]
            ),
            "interactive.action.buttons",
            "1 to 3 buttons",
        ),
        (
            lambda: buttons_payload("1650555123", "b", [ReplyButton("a", "x" * 21)]),
            "interactive.action.buttons[0].reply.title",
            "at most 20 characters (it has 21)",
        ),
        (
            lambda: buttons_payload(
                "1650555123", "b", [ReplyButton("a", "Same"), ReplyButton("b", "Same")]
            ),
            "interactive.action.buttons",
            "unique",
        ),
        (
            lambda: buttons_payload("1650555123", "x" * 1025, BUTTONS),
            "interactive.body.text",
            "at most 1024",
        ),
        (
            lambda: buttons_payload("1650555123", "b", BUTTONS, footer="f" * 61),
            "interactive.footer.text",
            "at most 60",
        ),
        (
            lambda: list_payload(
                "1650555123",
                "b",
                "Pick",
                [ListSection("s", [ListRow(str(n), "r") for n in range(11)])],
            ),
            "interactive.action.sections",
            "1 to 10 rows",
        ),
        (
            lambda: list_payload(
                "1650555123", "b", "Pick", [ListSection("s" * 25, [ListRow("1", "r")])]
            ),
            "interactive.action.sections[0].title",
            "at most 24",
        ),
        (
            lambda: list_payload(
                "1650555123", "b", "Pick", [ListSection("s", [ListRow("1", "r", "d" * 73)])]
            ),
            "interactive.action.sections[0].rows[0].description",
            "at most 72",
        ),
        (
            lambda: list_payload("1650555123", "b", "x" * 21, SECTIONS),
            "interactive.action.button",
            "at most 20",
        ),
        (
            lambda: media_payload(
                "1650555123", "image", media_id="1", link="https://x.example/a.png"
            ),
            "image.id",
            "exactly one",
        ),
        (
            lambda: media_payload("1650555123", "audio", media_id="1", caption="no"),
            "audio.caption",
            "no caption",
        ),
        (lambda: text_payload("1650555123", "x" * 4097), "text.body", "at most 4096"),
        (
            lambda: template_payload("1650555123", "t", "en", "Hi {{1}} {{2}}", ["one"]),
            "template.components.body",
            "takes 2 positional body parameters; got 1",
        ),
        (
            lambda: template_payload("1650555123", "t", "en", "Hi {{name}}", {"nome": "x"}),
            "template.components.body",
            "takes the body parameters ['name']",
        ),
    ],
)
def test_limits_are_enforced_with_the_field_and_the_reason(
    build: Any, field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        build()

    assert refused.value.field == field
    assert message in refused.value.message


def test_placeholders_are_read_from_template_text() -> None:
    assert placeholders("Hi {{1}}, code {{2}}, again {{1}}").names == ["1", "2"]
    named = placeholders("Hi {{first_name}}, your {{ order_id }} ships")
    assert (named.format, named.names) == ("named", ["first_name", "order_id"])


def test_the_schema_check_does_reject_what_meta_would(message_schema: Draft202012Validator) -> None:
    unknown_key = {**text_payload("16505551234", "Hello!"), "priority": "high"}
    wrong_type = text_payload("16505551234", "Hello!")
    wrong_type["text"]["body"] = 42
    four_buttons = buttons_payload("16505551234", "b", BUTTONS)
    four_buttons["interactive"]["action"]["buttons"] *= 2

    for payload in (unknown_key, wrong_type, four_buttons):
        assert list(message_schema.iter_errors(payload)) != []
