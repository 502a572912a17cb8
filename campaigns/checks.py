"""What the contracts app asks before deleting a contract (its ``LIVE_USE_CHECKS``):
a contract that live campaigns still use cannot be deleted, because the provider would then
strand those ads with no way to take them down."""

from django.utils.translation import gettext as _

from campaigns.selectors import live_postings_using_contract
from contracts.models import Contract


def contract_live_uses(contract: Contract) -> list[str]:
    names = sorted({p.campaign.name for p in live_postings_using_contract(contract)})
    if not names:
        return []
    return [
        _(
            "Live campaigns still use this contract: %(campaigns)s. Take them down first "
            "(job page → Sourcing), then delete the contract."
        )
        % {"campaigns": ", ".join(names)}
    ]
