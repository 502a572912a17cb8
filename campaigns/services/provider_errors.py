"""The provider's field errors (its names, nested by position) mapped onto the wizard's
fields, so that each is shown next to the field it concerns.

Result: ``{"fields": {wizard field: [messages]}, "requirements": {contract pk: {facet name
or "": [messages]}}, "general": [messages]}``.
"""

from distribution.errors import flatten_field_errors

PATHS = {
    "campaignName": "campaign_name",
    "recruiterInfo.name": "recruiter_name",
    "recruiterInfo.emailAddress": "recruiter_email",
    "postingDetails.title": "title",
    "postingDetails.description": "description",
    "postingDetails.workingLocation.addressLine1": "address_line1",
    "postingDetails.workingLocation.addressLine2": "address_line2",
    "postingDetails.workingLocation.postcode": "postcode",
    "postingDetails.workingLocation.city": "city",
    "postingDetails.workingLocation.country": "country",
    "postingDetails.workingLocation.allowsRemoteWork": "allows_remote_work",
    "postingDetails.contactInfo.name": "contact_name",
    "postingDetails.contactInfo.emailAddress": "contact_email",
    "postingDetails.contactInfo.phoneNumber": "contact_phone",
    "postingDetails.yearsOfExperience": "years_of_experience",
    "postingDetails.employmentType": "employment_type",
    "postingDetails.weeklyWorkingHours.from": "weekly_hours_from",
    "postingDetails.weeklyWorkingHours.to": "weekly_hours_to",
    "postingDetails.weeklyWorkingHours": "weekly_hours_to",
    "postingDetails.salaryIndication.period": "salary_period",
    "postingDetails.salaryIndication.range.from": "salary_from",
    "postingDetails.salaryIndication.range.to": "salary_to",
    "postingDetails.salaryIndication.range.currency": "salary_currency",
    "targetGroup.educationLevel": "education_level",
    "targetGroup.seniority": "seniority",
    "targetGroup.industry": "industry",
    "targetGroup.jobCategory": "job_function",
}
SPEC_PREFIX = "orderedProductsSpecs."
# The guides name a vacancy field in an option's ``requires`` without the postingDetails
# prefix, and the postcode once as ``zipCode``.
VACANCY_ALIASES = {"workingLocation.zipCode": "workingLocation.postcode"}


def _field_for(path: str) -> str | None:
    if path in PATHS:
        return PATHS[path]
    # Taxonomy errors are nested by position: targetGroup.industry.0.vonqId.
    for prefix, name in PATHS.items():
        if prefix.startswith("targetGroup.") and path.startswith(prefix + "."):
            return name
    return None


def vacancy_field_name(path: str) -> str | None:
    """The wizard field of a vacancy field named as the provider does (``requires``)."""
    path = VACANCY_ALIASES.get(path, path)
    return PATHS.get(path) or PATHS.get("postingDetails." + path)


def wizard_field_errors(errors: dict, document: dict) -> dict:
    """Map ``errors`` (as the client gives them) for the order ``document``."""
    products = document.get("products") or []
    result: dict = {"fields": {}, "requirements": {}, "general": []}
    flat = flatten_field_errors(errors or {})
    has_facet_detail = {
        path.split(".")[1]
        for path in flat
        if path.startswith(SPEC_PREFIX) and ".posting_requirements." in path
    }
    for path, messages in flat.items():
        if path.startswith(SPEC_PREFIX):
            parts = path.split(".")
            index = parts[1]
            if not index.isdigit() or int(index) >= len(products):
                result["general"].extend(messages)
                continue
            contract = str(products[int(index)].get("contract"))
            board = result["requirements"].setdefault(contract, {})
            rest = parts[2:]
            if rest[:1] in (["posting_requirements"], ["postingRequirements"]) and len(rest) > 1:
                board.setdefault(rest[1], []).extend(messages)
            elif rest[:1] == ["postingRequirements"] and index in has_facet_detail:
                continue  # the same problems, already placed at their fields
            else:
                board.setdefault("", []).extend(messages)
            continue
        name = _field_for(path)
        if name:
            result["fields"].setdefault(name, []).extend(messages)
        else:
            # A path we cannot place is the provider's internal name: say only the words.
            result["general"].extend(messages)
    return _once(result)


def _unique(messages: list[str]) -> list[str]:
    return list(dict.fromkeys(str(message).strip() for message in messages if str(message).strip()))


def _once(result: dict) -> dict:
    """Each message once per place, and a general message that repeats one already shown at
    a field not again at the top (the provider may report a problem in both forms)."""
    placed = set()
    result["fields"] = {name: _unique(msgs) for name, msgs in result["fields"].items()}
    for messages in result["fields"].values():
        placed.update(messages)
    for contract, facets in result["requirements"].items():
        result["requirements"][contract] = {name: _unique(msgs) for name, msgs in facets.items()}
        for messages in result["requirements"][contract].values():
            placed.update(messages)
    result["general"] = [m for m in _unique(result["general"]) if m not in placed]
    return result


def has_errors(mapped: dict) -> bool:
    return bool(mapped.get("fields") or mapped.get("requirements") or mapped.get("general"))
