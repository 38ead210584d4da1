"""The self-check: the generated DDL, parsed by sqlglot, must declare exactly
what the model holds (``sql.py``: tables, columns, keys; ``statements.py`` and
``objects.py``: everything around them, in an ``extras.Extras``).  Expectations
come from the model alone (``expected.py``)."""

from __future__ import annotations

from .sql import check_sql, prepare_check

__all__ = ["check_sql", "prepare_check"]
