"""stub"""

from typing import Any

from ..model import Schema


def context(schema: Schema) -> dict[str, Any]:
    return {}
