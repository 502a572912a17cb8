"""The History tests' factories are the campaigns factories (one per model)."""

from tests.campaigns.factories import (
    CampaignFactory,
    OnlinePostingFactory,
    PostingEventFactory,
    PostingFactory,
)

__all__ = ["CampaignFactory", "OnlinePostingFactory", "PostingEventFactory", "PostingFactory"]
