"""How a job's facts read in a sentence, in the current language: ranges in words ("up to 40
hours a week", not "?–40"), enum keys as their labels ("Permanent", not "permanent"), numbers
with the language's digit grouping. Pages and the order review share these."""

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobs.models import EmploymentType, SalaryPeriod


def _number(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _amount(value: Decimal) -> str:
    """45000 → "45,000" (English) or "45 000" (French); cents only when there are some."""
    decimals = 0 if value == value.to_integral_value() else 2
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def employment_type_label(key: str) -> str:
    """The employment type's label; an unknown key is shown as it is."""
    if key in EmploymentType.values:
        return str(EmploymentType(key).label)
    return key or ""


def salary_period_label(key: str) -> str:
    if key in SalaryPeriod.values:
        return str(SalaryPeriod(key).label)
    return key or ""


def weekly_hours_text(low, high) -> str:
    """In words, e.g. "35 to 39 hours a week", "up to 40 hours a week" or "at least 20 hours a
    week"; empty when neither end is known."""
    low, high = _number(low), _number(high)
    if low is None and high is None:
        return ""
    if low is None:
        text = ngettext("up to %(hours)s hour a week", "up to %(hours)s hours a week", int(high))
        return text % {"hours": _amount(high)}
    if high is None:
        text = ngettext(
            "at least %(hours)s hour a week", "at least %(hours)s hours a week", int(low)
        )
        return text % {"hours": _amount(low)}
    if low == high:
        text = ngettext("%(hours)s hour a week", "%(hours)s hours a week", int(low))
        return text % {"hours": _amount(low)}
    return _("%(low)s to %(high)s hours a week") % {"low": _amount(low), "high": _amount(high)}


def salary_text(low, high, currency: str, period: str) -> str:
    """In words, e.g. "45,000 to 55,000 EUR per year", "up to 3,000 EUR per month" or "from
    20 EUR per hour"; empty when neither end is known."""
    low, high = _number(low), _number(high)
    if low is None and high is None:
        return ""
    unit = " ".join(part for part in (currency or "", salary_period_label(period)) if part)
    if low is None:
        text = _("up to %(high)s %(unit)s")
    elif high is None:
        text = _("from %(low)s %(unit)s")
    elif low == high:
        text = _("%(low)s %(unit)s")
    else:
        text = _("%(low)s to %(high)s %(unit)s")
    values = {"low": _amount(low) if low is not None else "", "unit": unit}
    values["high"] = _amount(high) if high is not None else ""
    return (text % values).strip()
