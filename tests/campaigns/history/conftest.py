import pytest

from campaigns.history import selectors


@pytest.fixture(autouse=True)
def _fresh_filter_choices():
    """Each test starts with no cached filter choices (ids repeat across rolled-back tests)."""
    selectors._CHOICES_CACHE.clear()
    yield
    selectors._CHOICES_CACHE.clear()
