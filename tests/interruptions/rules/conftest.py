from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are checked on their English msgid, whatever the catalogues say later."""
    with translation.override("en"):
        yield
