"""Who may open a My Own Contracts page, decided in ``dispatch()`` before any handler runs.

Compose them after ``AdminRequiredMixin`` (which sets ``request.organization``): first the
mixins that look up the objects named in the URL, so that another organisation's object is a
404 whatever the feature state, then ``FeatureRequiredMixin``.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from contracts import selectors
from contracts.access import AccessState, my_own_contracts_state


class FeatureRequiredMixin:
    """Without the feature the admin is sent to the Job boards card, which says why (the
    same decision as everywhere: ``contracts.access``)."""

    def dispatch(self, request, *args, **kwargs):
        if my_own_contracts_state(request.organization) != AccessState.ENABLED:
            messages.info(request, _("My Own Contracts is not enabled for your organisation."))
            return redirect("job_boards")
        return super().dispatch(request, *args, **kwargs)


class GroupMixin:
    """``self.group``: the organisation's group named by ``group_id`` (404 otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        self.group = selectors.contract_group_get(
            org=request.organization, group_id=kwargs["group_id"]
        )
        return super().dispatch(request, *args, **kwargs)


class ContractMixin:
    """``self.contract``: the organisation's contract named by ``contract_id`` (404
    otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        self.contract = selectors.contract_get(
            org=request.organization, contract_id=kwargs["contract_id"]
        )
        return super().dispatch(request, *args, **kwargs)
