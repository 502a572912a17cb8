"""Forms validate input only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from contracts.credential_fields import is_secret_credential
from contracts.models import ContractGroup, CredentialKind
from contracts.services.credentials import CREDENTIAL_FIELD_PREFIX

NEW_GROUP = "new"
# The default group, whether it exists yet or not (the first contract saved in it creates it).
DEFAULT_GROUP = "default"
FIELD_PREFIX = "cred_"
# The optional terms of a new contract (kept in the draft while an account is connected).
TERM_FIELDS = ("expiry_date", "credits", "purchase_price_amount", "purchase_price_currency")


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=100)


class AccessMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def credential_field_name(name: str) -> str:
    return FIELD_PREFIX + name


def _credential_field(definition, *, required: bool, stored=None) -> forms.Field | None:
    help_text = definition.description or ""
    if definition.kind == CredentialKind.OAUTH:
        return None  # connected through the board's consent page, not typed
    if definition.kind == CredentialKind.SELECT:
        choices = [("", "—")] + [(option.key, option.label) for option in definition.options]
        if stored is not None:
            help_text = " ".join(
                filter(None, [str(_("A choice is set; leave empty to keep it.")), help_text])
            )
        return forms.ChoiceField(
            label=definition.label, choices=choices, required=required, help_text=help_text
        )
    if is_secret_credential(definition):
        if stored is not None:
            help_text = " ".join(
                filter(None, [str(_("A value is set; leave empty to keep it.")), help_text])
            )
        return forms.CharField(
            label=definition.label,
            required=required,
            help_text=help_text,
            strip=False,
            max_length=2000,
            widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        )
    if stored is not None:
        note = (
            _("A value ending in “%(last4)s” is set; leave empty to keep it.")
            % {"last4": stored.last4}
            if stored.last4
            else _("A value is set; leave empty to keep it.")
        )
        help_text = " ".join(filter(None, [str(note), help_text]))
    return forms.CharField(
        label=definition.label,
        required=required,
        help_text=help_text,
        max_length=2000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class CredentialFieldsMixin:
    """Adds one field per typed credential definition (OAuth ones are connected instead)."""

    def add_credential_fields(self, definitions, *, required: bool, stored=None):
        self.credential_definitions = list(definitions)
        for definition in self.credential_definitions:
            field = _credential_field(
                definition,
                required=required,
                stored=(stored or {}).get(definition.name),
            )
            if field is not None:
                self.fields[credential_field_name(definition.name)] = field

    def credential_values(self) -> dict[str, str]:
        values = {}
        for definition in self.credential_definitions:
            value = self.cleaned_data.get(credential_field_name(definition.name))
            if value:
                values[definition.name] = value
        return values

    def credential_bound_fields(self):
        return [
            self[credential_field_name(d.name)]
            for d in self.credential_definitions
            if credential_field_name(d.name) in self.fields
        ]

    def apply_service_errors(self, error) -> None:
        """Put a service refusal at the right field (``credentials:<name>`` → its input)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            field = key
            if key.startswith(CREDENTIAL_FIELD_PREFIX):
                field = credential_field_name(key.removeprefix(CREDENTIAL_FIELD_PREFIX))
                if field not in self.fields:  # an OAuth credential: no input to attach to
                    self.oauth_errors.setdefault(key.removeprefix(CREDENTIAL_FIELD_PREFIX), [])
                    self.oauth_errors[key.removeprefix(CREDENTIAL_FIELD_PREFIX)].extend(messages)
                    continue
            if field not in self.fields:
                field = None
            self.add_error(field, messages)


class ContractAddForm(CredentialFieldsMixin, forms.Form):
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=64)
    draft = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    group = forms.ChoiceField(label=_("Contract group"))
    new_group_name = forms.CharField(
        label=_("New group name"),
        required=False,
        max_length=100,
        help_text=_("Only when you create a new group, e.g. “India” or “LinkedIn EMEA”."),
    )
    alias = forms.CharField(
        label=_("Alias"),
        required=False,
        max_length=100,
        help_text=_("A name your team recognises, e.g. “LinkedIn – Paris office”."),
    )

    expiry_date = forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional. The last day the board's account can be used."),
    )
    credits = forms.IntegerField(
        label=_("Credits"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        help_text=_("Optional. How many postings the account allows; leave empty for no limit."),
    )
    purchase_price_amount = forms.DecimalField(
        label=_("Purchase price"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
        help_text=_("Optional. What the account cost, to compare boards."),
    )
    purchase_price_currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=3,
        min_length=3,
        help_text=_("A three-letter code, e.g. EUR."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 4}),
    )

    def __init__(self, *args, groups, details, holding=frozenset(), **kwargs):
        """``holding``: ids of the groups that already hold a contract for this board; the
        group list says so (a group holds one contract per board)."""
        super().__init__(*args, **kwargs)
        self.oauth_errors: dict[str, list[str]] = {}
        others = [group for group in groups if not group.is_default]
        default = next((group for group in groups if group.is_default), None)
        # Until its first contract creates it, the default group is offered by its name.
        default_name = (
            default.display_name if default else pgettext("contract group name", "Default group")
        )

        def label(group, name):
            if group is None or group.pk not in holding:
                return name
            return _("%(group)s (already holds a %(board)s contract)") % {
                "group": name,
                "board": details.name,
            }

        self.groups = {str(group.pk): group for group in others}
        self.fields["group"].choices = [
            (DEFAULT_GROUP, label(default, default_name)),
            *((str(group.pk), label(group, group.display_name)) for group in others),
            (NEW_GROUP, _("Create a new group…")),
        ]
        if holding:
            self.fields["group"].help_text = _(
                "A group holds one contract per board: choose a group that does not hold a "
                "%(board)s contract yet, or create a new group."
            ) % {"board": details.name}
        self.fields["group"].initial = DEFAULT_GROUP
        self.add_credential_fields(details.credentials, required=True)
        # OAuth credentials are filled from the session draft by the view, not typed here.
        for definition in self.credential_definitions:
            if definition.kind == CredentialKind.OAUTH:
                self.fields[credential_field_name(definition.name)] = forms.CharField(
                    required=False, widget=forms.HiddenInput
                )
        if details.manual_setup_required:
            self.fields["followed_instructions"] = forms.BooleanField(
                label=_("I followed the setup instructions above."),
                required=True,
            )

    def clean(self):
        data = super().clean()
        if data.get("group") == NEW_GROUP and not (data.get("new_group_name") or "").strip():
            self.add_error("new_group_name", _("Name the new group."))
        amount, currency = data.get("purchase_price_amount"), data.get("purchase_price_currency")
        if amount is not None and not currency and "purchase_price_currency" not in self.errors:
            self.add_error("purchase_price_currency", _("Give the price's currency, e.g. EUR."))
        if currency and amount is None and "purchase_price_amount" not in self.errors:
            self.add_error("purchase_price_amount", _("Give the amount of the price too."))
        return data

    @property
    def terms(self) -> dict:
        """The optional terms, as ``contract_create`` takes them."""
        return {
            name: self.cleaned_data.get(name)
            for name in ("credits", "expiry_date", "purchase_price_amount")
        } | {"purchase_price_currency": self.cleaned_data.get("purchase_price_currency") or ""}

    @property
    def chosen_group(self) -> ContractGroup | None:
        """The group chosen; None for a new group or for the default group (the service
        finds it, or creates it)."""
        return self.groups.get(self.cleaned_data.get("group"))

    @property
    def group_to_create(self) -> str:
        """The name typed for a new group, when the admin chose to create one."""
        if self.cleaned_data.get("group") != NEW_GROUP:
            return ""
        return self.cleaned_data.get("new_group_name", "")

    @property
    def typed_credential_fields(self):
        return [
            self[credential_field_name(d.name)]
            for d in self.credential_definitions
            if d.kind != CredentialKind.OAUTH
        ]


class ContractEditForm(CredentialFieldsMixin, forms.Form):
    alias = forms.CharField(label=_("Alias"), required=False, max_length=100)

    def __init__(self, *args, details, stored, **kwargs):
        super().__init__(*args, **kwargs)
        self.oauth_errors: dict[str, list[str]] = {}
        self.add_credential_fields(details.credentials, required=False, stored=stored)
