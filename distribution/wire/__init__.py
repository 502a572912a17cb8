"""The provider's wire format: its JSON turned into our messages and back.

Decoders (``decode_*``) read every documented variant of an answer (the OpenAPI document's
and the guides' shapes, see ``tests/provider_docs/README.md``) and raise ``ShapeError``,
saying what was expected, for anything else; the client turns that into one
``ProviderProtocolError`` naming the endpoint. Encoders (``*_body``, ``*_params``) write
what both sources accept, or the guides' form where only one can be sent. Every URL that
comes from the provider passes ``distribution.values.web_url`` here, and nowhere else.
"""

from .campaigns import (
    SORT_CREATED_DESC,
    SORT_MODIFIED_ASC,
    SORT_MODIFIED_DESC,
    campaign_list_params,
    cancellation_body,
    decode_campaign,
    decode_campaign_answer,
    decode_campaign_page,
    decode_campaign_status,
    decode_cancellation_answer,
    decode_notification,
    decode_order_answer,
    decode_validation,
    product_cancellation_body,
)
from .catalogue import (
    channel_list_params,
    decode_bilingual_tree,
    decode_channel_detail,
    decode_channel_page,
    decode_industry_page,
    decode_multilingual_list,
)
from .contracts import (
    autocomplete_body,
    contract_body,
    contract_list_params,
    contract_update_body,
    decode_contract,
    decode_contract_page,
    decode_group,
    decode_groups,
    decode_options,
    group_body,
    requirement_defaults_body,
)
from .decoding import ShapeError
from .orders import order_body

__all__ = [
    "SORT_MODIFIED_ASC",
    "SORT_CREATED_DESC",
    "SORT_MODIFIED_DESC",
    "ShapeError",
    "autocomplete_body",
    "campaign_list_params",
    "cancellation_body",
    "channel_list_params",
    "contract_body",
    "contract_list_params",
    "contract_update_body",
    "requirement_defaults_body",
    "decode_bilingual_tree",
    "decode_campaign",
    "decode_campaign_answer",
    "decode_campaign_page",
    "decode_campaign_status",
    "decode_cancellation_answer",
    "decode_channel_detail",
    "decode_channel_page",
    "decode_contract",
    "decode_contract_page",
    "decode_group",
    "decode_groups",
    "decode_industry_page",
    "decode_multilingual_list",
    "decode_notification",
    "decode_options",
    "decode_order_answer",
    "decode_validation",
    "group_body",
    "order_body",
    "product_cancellation_body",
]
