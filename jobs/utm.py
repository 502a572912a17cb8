"""The UTM tags a career page visit arrived with; kept through the apply step."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")
MAX_LENGTH = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _clean(value) -> str:
    if not isinstance(value, str):
        return ""
    return _CONTROL.sub("", value).strip()[:MAX_LENGTH]


@dataclass(frozen=True)
class Utm:
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    utm_content: str = ""

    @classmethod
    def from_mapping(cls, data) -> "Utm":
        return cls(**{name: _clean(data.get(name, "")) for name in UTM_FIELDS})

    def as_fields(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in UTM_FIELDS}

    def as_query(self) -> str:
        return urlencode({k: v for k, v in self.as_fields().items() if v})

    def __bool__(self) -> bool:
        return any(self.as_fields().values())
