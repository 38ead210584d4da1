"""The spec stage: the YAML's data checked against the spec language.

* ``models``     the pydantic models of schema.yaml (shape only: keys, kinds)
* ``places``     which model applies at a key path: the keys valid there, and
                 the places one level up or down where a misplaced key belongs
* ``shape``      pydantic's errors as positioned diagnostics with hints
* ``repair``     a copy of the data that the models accept, so the resolver
                 can check the meaning of everything else in the same run
* ``followon``   which of the resolver's errors on a repaired copy the repair
                 caused, and so are not reported
* ``validate``   the loop that ties them together (``validate(doc, diags)``)
* ``jsonschema`` the JSON Schema editors use, generated from the models

The models are re-exported here: ``from generator.spec import Spec``.
"""

from .models import (
    Action,
    CheckSpec,
    ColumnSpec,
    DomainSpec,
    EnumSpec,
    ForeignKeySpec,
    IndexMethod,
    IndexSpec,
    PostgresOptions,
    PythonOptions,
    ReferenceSpec,
    Spec,
    SqlExpression,
    TableSpec,
)

__all__ = [
    "Action",
    "CheckSpec",
    "ColumnSpec",
    "DomainSpec",
    "EnumSpec",
    "ForeignKeySpec",
    "IndexMethod",
    "IndexSpec",
    "PostgresOptions",
    "PythonOptions",
    "ReferenceSpec",
    "Spec",
    "SqlExpression",
    "TableSpec",
]
