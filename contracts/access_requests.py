"""The access-request conversation between an organisation's admins and support staff, and
support enabling My Own Contracts for the organisation (the writes; reads are selectors)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.selectors import organization_active_admins
from accounts.services import organization_record_support_changes, organization_snapshot
from contracts.access import AccessState, my_own_contracts_state
from contracts.models import AccessRequest, AccessRequestMessage, AccessRequestStatus
from contracts.services.groups import contract_group_default

MAX_MESSAGE_LENGTH = 4000


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")})
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            {"body": _("Keep the message under %(n)s characters.") % {"n": MAX_MESSAGE_LENGTH}}
        )
    return body


def _mail_on_commit(*, subject: str, message: str, recipients: list[str]) -> None:
    if recipients:
        transaction.on_commit(
            lambda: send_mail(
                subject=subject, message=message, from_email=None, recipient_list=recipients
            )
        )


@transaction.atomic
def access_request_post_message(*, org: Organization, by: User, body: str) -> AccessRequestMessage:
    """An admin writes to support; the first message opens the organisation's request."""
    body = _clean_body(body)
    if my_own_contracts_state(org) in {AccessState.TRIAL, AccessState.UNVERIFIED}:
        raise ValidationError(
            _("Your organisation cannot request My Own Contracts yet."), code="not_eligible"
        )
    access_request, _created = AccessRequest.objects.select_for_update().get_or_create(
        organization=org, defaults={"opened_by": by}
    )
    message = AccessRequestMessage.objects.create(
        organization=org, access_request=access_request, author=by, body=body
    )
    access_request.last_message_at = message.created_at
    access_request.save(update_fields=["last_message_at"])
    link = settings.SITE_URL + reverse(
        "supportdesk:request_detail", kwargs={"access_request_id": access_request.pk}
    )
    _mail_on_commit(
        subject=_("My Own Contracts access request from %(org)s") % {"org": org.name},
        message=f"{by.get_full_name()} <{by.email}>:\n\n{body}\n\n{link}\n",
        recipients=[settings.SUPPORT_EMAIL],
    )
    return message


def _admin_emails(org: Organization) -> list[str]:
    return [admin.email for admin in organization_active_admins(org=org)]


@transaction.atomic
def access_request_reply(
    *, access_request: AccessRequest, by: User, body: str
) -> AccessRequestMessage:
    """Support staff answer; the organisation's admins get the reply by email too."""
    if not by.is_staff:
        raise ValidationError(_("Only support staff may reply."))
    body = _clean_body(body)
    org = access_request.organization
    message = AccessRequestMessage.objects.create(
        organization=org,
        access_request=access_request,
        author=by,
        from_support=True,
        body=body,
    )
    AccessRequest.objects.filter(pk=access_request.pk).update(last_message_at=message.created_at)
    link = settings.SITE_URL + reverse("access_request")
    _mail_on_commit(
        subject=_("Jobcast support answered your My Own Contracts request"),
        message=f"{body}\n\n{link}\n",
        recipients=_admin_emails(org),
    )
    return message


@transaction.atomic
def access_request_enable(*, access_request: AccessRequest, by: User) -> AccessRequest:
    """Support enables My Own Contracts for the organisation, recorded with who and when."""
    if not by.is_staff:
        raise ValidationError(_("Only support staff may enable My Own Contracts."))
    org = Organization.objects.select_for_update().get(pk=access_request.organization_id)
    state = my_own_contracts_state(org)
    if state == AccessState.ENABLED and access_request.status == AccessRequestStatus.ENABLED:
        return access_request
    blocked_because = {
        AccessState.TRIAL: _("it is on a trial plan"),
        AccessState.UNVERIFIED: _("it is not verified yet"),
        AccessState.CAREER_PAGE_DISABLED: _("its career page is disabled"),
    }
    if state in blocked_because:
        raise ValidationError(
            _("%(org)s cannot use My Own Contracts yet: %(reason)s. Fix that first.")
            % {"org": org.name, "reason": blocked_because[state]}
        )
    before = organization_snapshot(org)
    org.my_own_contracts_enabled = True
    org.save(update_fields=["my_own_contracts_enabled", "updated_at"])
    organization_record_support_changes(org=org, before=before, by=by)
    contract_group_default(org=org)  # the group the first contracts go to
    access_request.status = AccessRequestStatus.ENABLED
    access_request.enabled_by = by
    access_request.enabled_at = timezone.now()
    access_request.save(update_fields=["status", "enabled_by", "enabled_at"])
    message = AccessRequestMessage.objects.create(
        organization=org,
        access_request=access_request,
        author=by,
        from_support=True,
        body=_(
            "My Own Contracts is now enabled for %(org)s. Open Administration → Job boards → "
            "Manage existing contracts to add your first contract."
        )
        % {"org": org.name},
    )
    AccessRequest.objects.filter(pk=access_request.pk).update(last_message_at=message.created_at)
    access_request.organization = org
    _mail_on_commit(
        subject=_("My Own Contracts is enabled for %(org)s") % {"org": org.name},
        message=message.body + "\n\n" + settings.SITE_URL + reverse("job_boards") + "\n",
        recipients=_admin_emails(org),
    )
    return access_request
