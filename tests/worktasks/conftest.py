from tests.episodes.conftest import reablement  # noqa: F401  (the fixture, shared)
