"""The tolerant readers of the provider's scalar values, and the one URL check."""

import pytest

from distribution.values import flag, number, text, web_url


@pytest.mark.parametrize(
    "value",
    [
        "https://www.seek.com.au",
        "http://127.0.0.1:8100/_sandbox/boards/c/p/",
        "https://example.com/a?b=c#d",
    ],
)
def test_web_addresses_are_kept(value):
    assert web_url(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://files.example.com/logo.png",
        "/relative/path",
        "//evil.example/no-scheme",
        "https://",
        "https://exa mple.com",
        "https://example.com/\nSet-Cookie: x",
        None,
        42,
        ["https://example.com"],
    ],
)
def test_anything_else_is_dropped(value):
    assert web_url(value) == ""


def test_documented_spellings_of_scalars():
    assert [flag(v) for v in (True, 1, "1", "true", "yes")] == [True] * 5
    assert [flag(v) for v in (False, 0, "0", "false", "", None)] == [False] * 6
    assert [number(v) for v in ("2", 3, "4.0", 5.7, None, "abc", "")] == [2, 3, 4, 5, 0, 0, 0]
    assert text(None) == "" and text(12) == "12"
