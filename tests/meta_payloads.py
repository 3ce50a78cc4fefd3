"""Meta's own example webhook payloads (../shared/reference/whatsapp-cloud-api.md §2.5, §9),
verbatim, plus helpers that build more of the same shapes."""

from __future__ import annotations

import json
from typing import Any

PHONE_NUMBER_ID = "106540352242922"
WABA_ID = "102290129340398"

INBOUND_TEXT: dict[str, Any] = {
    "object": "whatsapp_business_account",
    "entry": [
        {
            "id": "102290129340398",
            "changes": [
                {
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {
                            "display_phone_number": "15550783881",
                            "phone_number_id": "106540352242922",
                        },
                        "contacts": [
                            {"profile": {"name": "Sheena Nelson"}, "wa_id": "16505551234"}
                        ],
                        "messages": [
                            {
                                "from": "16505551234",
                                "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
                                "timestamp": "1749416383",
                                "type": "text",
                                "text": {"body": "Does it come in another color?"},
                            }
                        ],
                    },
                    "field": "messages",
                }
            ],
        }
    ],
}

BUTTON_REPLY: dict[str, Any] = {
    "object": "whatsapp_business_account",
    "entry": [
        {
            "id": "102290129340398",
            "changes": [
                {
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {
                            "display_phone_number": "15550783881",
                            "phone_number_id": "106540352242922",
                        },
                        "contacts": [
                            {"profile": {"name": "Pablo Morales"}, "wa_id": "16505551234"}
                        ],
                        "messages": [
                            {
                                "context": {
                                    "from": "15550783881",
                                    "id": "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBJBM0Y4RUU0RUNFQkFDMjYzQUMA",
                                },
                                "from": "16505551234",
                                "id": "wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQThBREYwNzc2RDc2QjA1QTIwMgA=",
                                "timestamp": "1714510003",
                                "type": "interactive",
                                "interactive": {
                                    "type": "button_reply",
                                    "button_reply": {"id": "change-button", "title": "Change"},
                                },
                            }
                        ],
                    },
                    "field": "messages",
                }
            ],
        }
    ],
}

STATUS_DELIVERED: dict[str, Any] = {
    "object": "whatsapp_business_account",
    "entry": [
        {
            "id": "102290129340398",
            "changes": [
                {
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {
                            "display_phone_number": "15550783881",
                            "phone_number_id": "106540352242922",
                        },
                        "statuses": [
                            {
                                "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCNkY5NTBENEU3ODYxQTM3RUQA",
                                "status": "delivered",
                                "timestamp": "1750030080",
                                "recipient_id": "16505551234",
                                "pricing": {
                                    "billable": False,
                                    "pricing_model": "PMP",
                                    "type": "free_customer_service",
                                    "category": "service",
                                },
                            }
                        ],
                    },
                    "field": "messages",
                }
            ],
        }
    ],
}

STATUS_FAILED: dict[str, Any] = {
    "object": "whatsapp_business_account",
    "entry": [
        {
            "id": "102290129340398",
            "changes": [
                {
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {
                            "display_phone_number": "15550783881",
                            "phone_number_id": "106540352242922",
                        },
                        "statuses": [
                            {
                                "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA",
                                "status": "failed",
                                "timestamp": "1751142888",
                                "recipient_id": "16505551234",
                                "errors": [
                                    {
                                        "code": 131049,
                                        "title": "This message was not delivered to maintain healthy ecosystem engagement.",
                                        "message": "This message was not delivered to maintain healthy ecosystem engagement.",
                                        "error_data": {
                                            "details": "In order to maintain a healthy ecosystem engagement, the message failed to be delivered."
                                        },
                                        "href": "/documentation/business-messaging/whatsapp/support/error-codes",
                                    }
                                ],
                            }
                        ],
                    },
                    "field": "messages",
                }
            ],
        }
    ],
}

TEMPLATE_STATUS: dict[str, Any] = {
    "entry": [
        {
            "id": "102290129340398",
            "time": 1751247548,
            "changes": [
                {
                    "value": {
                        "event": "REJECTED",
                        "message_template_id": 1689556908129835,
                        "message_template_name": "abandoned_cart",
                        "message_template_language": "en",
                        "reason": "INVALID_FORMAT",
                        "message_template_category": "MARKETING",
                        "rejection_info": {
                            "reason": "Your template has parameters placed next to each other ...",
                            "recommendation": "Separate parameters ...",
                        },
                    },
                    "field": "message_template_status_update",
                }
            ],
        }
    ],
    "object": "whatsapp_business_account",
}


def meta_bytes(payload: dict[str, Any]) -> bytes:
    """Serialised as Meta does: compact, non-ASCII escaped as \\uXXXX."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode()
