"""A template send gives exactly the header and button parameters the stored template takes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.errors import InvalidInput
from domain.whatsapp.outbound import TemplateButton, TemplateHeader
from domain.whatsapp.templates import Template, from_meta

SHIPPED: dict[str, Any] = {
    "id": "1",
    "name": "order_shipped",
    "language": "en_US",
    "status": "APPROVED",
    "category": "UTILITY",
    "components": [
        {"type": "HEADER", "format": "IMAGE"},
        {"type": "BODY", "text": "Hi {{1}}, it is on its way"},
        {
            "type": "BUTTONS",
            "buttons": [
                {"type": "QUICK_REPLY", "text": "Stop updates"},
                {"type": "URL", "text": "Track", "url": "https://example.com/{{1}}"},
                {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+15550001111"},
            ],
        },
    ],
}
IMAGE = TemplateHeader("image", link="https://example.com/parcel.jpg")
TRACK = TemplateButton(1, url_suffix="track/A-1001")


def template(definition: dict[str, Any]) -> Template:
    return from_meta(uuid.uuid4(), "1022", definition, datetime.now(UTC))


def test_the_parameters_the_template_takes_are_accepted() -> None:
    template(SHIPPED).check_send(IMAGE, (TemplateButton(0, payload="stop"), TRACK))
    template(SHIPPED).check_send(IMAGE, (TRACK,))


@pytest.mark.parametrize(
    ("header", "buttons", "field", "words"),
    [
        (None, (TRACK,), "template.header", "needs a image header"),
        (TemplateHeader("text", text="x"), (TRACK,), "template.header", "needs a image header"),
        (IMAGE, (), "template.buttons[1]", "give its url suffix"),
        (IMAGE, (TRACK, TemplateButton(0, url_suffix="x")), "template.buttons[0]", "payload"),
        (IMAGE, (TRACK, TemplateButton(2, payload="x")), "template.buttons[2]", "takes no"),
        (IMAGE, (TRACK, TemplateButton(5, payload="x")), "template.buttons[5]", "no button 5"),
    ],
)
def test_anything_else_is_refused_with_the_field(
    header: TemplateHeader | None, buttons: tuple[TemplateButton, ...], field: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        template(SHIPPED).check_send(header, buttons)

    assert refused.value.field == field
    assert words in refused.value.message


def test_a_text_header_with_a_placeholder_needs_its_text_and_a_plain_one_takes_none() -> None:
    with_placeholder: dict[str, Any] = {
        **SHIPPED,
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}"},
            {"type": "BODY", "text": "Shipped"},
        ],
    }
    plain: dict[str, Any] = {
        **SHIPPED,
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Your order"},
            {"type": "BODY", "text": "Shipped"},
        ],
    }

    template(with_placeholder).check_send(TemplateHeader("text", text="A-1001"), ())
    with pytest.raises(InvalidInput, match="needs a text header"):
        template(with_placeholder).check_send(None, ())
    with pytest.raises(InvalidInput, match="takes no header"):
        template(plain).check_send(TemplateHeader("text", text="A-1001"), ())
