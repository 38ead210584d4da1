"""Pass ``triggers``: with ``postgres: on_update_trigger``, a database trigger
sets each table's ``on_update: now`` columns, so writers other than the ORM
get them too.

One function serves every table: the trigger passes the names of its
``on_update: now`` columns as arguments.  PL/pgSQL cannot assign NEW.<name>
for a name held in a variable, so the new values go through jsonb.  A column
the UPDATE sets itself is left alone, as the ORM's onupdate does.
"""

from __future__ import annotations

from ..model import Function, Trigger
from .draft import Draft

FUNCTION = Function(
    name="schemagen_on_update_now",
    returns="trigger",
    language="plpgsql",
    body="""
DECLARE
    changes jsonb := '{}';
    col text;
BEGIN
    FOREACH col IN ARRAY TG_ARGV LOOP
        IF to_jsonb(NEW) -> col IS NOT DISTINCT FROM to_jsonb(OLD) -> col THEN
            changes := changes || jsonb_build_object(col, now());
        END IF;
    END LOOP;
    RETURN jsonb_populate_record(NEW, changes);
END;
""",
)
TRIGGER_NAME = "on_update_now"


def run(d: Draft) -> None:
    if not d.spec.postgres.on_update_trigger:
        return
    for table in d.tables.values():
        table.on_update_trigger = tuple(
            c.name for c in table.columns.values() if c.spec.on_update == "now"
        )
        if table.on_update_trigger:
            table.triggers.append(Trigger(TRIGGER_NAME, FUNCTION.name, table.on_update_trigger))
    if any(t.triggers for t in d.tables.values()):
        d.functions.append(FUNCTION)
    else:
        d.error(
            "unused-trigger",
            "on_update_trigger is on, but no column has 'on_update: now'",
            ("postgres", "on_update_trigger"),
            "add 'on_update: now' to the updated_at columns, or remove this option",
        )
