import pytest


@pytest.fixture(autouse=True)
def english_throughout(english: None) -> None:
    """Messages are checked on their English msgid, whatever the catalogues say later (every rule test)."""
