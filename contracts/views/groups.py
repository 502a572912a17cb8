"""The contract list (Manage existing contracts) and its contract groups."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View

from accounts.mixins import AdminRequiredMixin
from config.forms import form_add_service_errors
from contracts import selectors
from contracts.forms import GroupForm
from contracts.services.groups import (
    contract_group_create,
    contract_group_delete,
    contract_group_delete_blockers,
    contract_group_rename,
)
from contracts.views.mixins import FeatureRequiredMixin, GroupMixin

CONTRACTS_PER_PAGE = 50


def _render_contract_list(request, group_form=None):
    org = request.organization
    page = Paginator(selectors.contract_list(org=org), CONTRACTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    groups = list(selectors.contract_groups(org=org))
    return render(
        request,
        "contracts/contract_list.html",
        {
            "groups": groups,
            # Until its first contract, the default group exists only as a name.
            "default_group_to_come": None
            if any(group.is_default for group in groups)
            else pgettext("contract group name", "Default group"),
            "page": page,
            "group_form": group_form or GroupForm(),
        },
        status=400 if group_form is not None else 200,
    )


class ContractListView(AdminRequiredMixin, FeatureRequiredMixin, View):
    def get(self, request):
        return _render_contract_list(request)


class ContractGroupCreateView(AdminRequiredMixin, FeatureRequiredMixin, View):
    def get(self, request):
        return redirect("contract_list")

    def post(self, request):
        form = GroupForm(request.POST)
        if form.is_valid():
            try:
                group = contract_group_create(
                    org=request.organization, name=form.cleaned_data["name"]
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("Group “%(name)s” created.") % {"name": group.name})
                return redirect("contract_list")
        return _render_contract_list(request, group_form=form)


class ContractGroupRenameView(AdminRequiredMixin, GroupMixin, FeatureRequiredMixin, View):
    template_name = "contracts/group_rename.html"

    def get(self, request, group_id, form=None):
        form = form or GroupForm(initial={"name": self.group.name})
        return render(
            request,
            self.template_name,
            {"group": self.group, "form": form},
            status=400 if form.is_bound else 200,
        )

    def post(self, request, group_id):
        form = GroupForm(request.POST)
        if form.is_valid():
            try:
                contract_group_rename(group=self.group, name=form.cleaned_data["name"])
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("Group renamed."))
                return redirect("contract_list")
        return self.get(request, group_id, form=form)


class ContractGroupDeleteView(AdminRequiredMixin, GroupMixin, FeatureRequiredMixin, View):
    template_name = "contracts/group_delete.html"

    def get(self, request, group_id):
        return render(
            request,
            self.template_name,
            {"group": self.group, "blockers": contract_group_delete_blockers(group=self.group)},
        )

    def post(self, request, group_id):
        try:
            contract_group_delete(group=self.group)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("contract_group_delete", group_id=self.group.pk)
        messages.success(request, _("Group “%(name)s” deleted.") % {"name": self.group.name})
        return redirect("contract_list")
