"""Reading the reference data in seed/: rules, code lists and figures kept as files."""

from __future__ import annotations

import json
from typing import Any

from caremap.config import PROJECT_ROOT

SEED_DIR = PROJECT_ROOT / "seed"


def read_seed(name: str) -> Any:
    return json.loads((SEED_DIR / name).read_text(encoding="utf-8"))
