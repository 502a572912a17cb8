"""Every write of My Own Contracts, split by concept: ``groups``, ``contracts`` (creating,
editing, deleting; the one create-or-adopt path at the provider), ``credentials`` (checked,
encrypted, revealed) and ``rotation`` (re-sealing under a new key).

Groups and contracts live at the provider too. A write that talks to the provider calls it
*outside* any database transaction (never hold a transaction open across HTTP), then saves
locally in one transaction; when the local save cannot happen, the provider-side object is
removed again, so a failure leaves nothing half-saved on our side.

Refusals are ``ValidationError``s whose dict keys are ``alias``, ``group``, ``new_group_name``,
``channel``, ``followed_instructions``, ``posting_duration_days``, ``credentials:<name>``,
``name`` (groups) or ``__all__``; the messages are for the admin and never contain a
credential value. A provider failure reads as ``contracts.refusals`` words it.
"""
