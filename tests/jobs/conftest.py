import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # The apply rate limit lives in the shared cache; start every test from zero.
    cache.clear()
    yield
    cache.clear()
