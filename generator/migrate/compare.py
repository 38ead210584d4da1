"""Compare two resolved models: the operations that take a database from ``old`` to ``new``.

Only what PostgreSQL stores is compared; Python-only options (class names,
relation names, JSON aliases) and column order produce nothing.  Tables,
columns, enums and labels are paired by name or by a ``renamed_from`` hint
(matching.py); everything inside a table by its definition (tables.py).
"""

from __future__ import annotations

from dataclasses import replace

from ..diagnostics import Diagnostics
from ..model import Column, Default, Enum, ForeignKey, Schema, Table
from ..source import format_path
from ..sqltext import quote_string
from ..types import ColumnType
from . import compare_sequences, compare_types, objects
from . import ops as o
from . import ops_constraints as cn
from . import ops_tables as tb
from .hints import NO_HINTS, Hints
from .matching import DiffError, Matcher, Where, pair
from .tables import TableDiff

__all__ = ["DiffError", "compare"]


def _parts(key: str) -> tuple[str | None, str]:
    schema, _, name = key.rpartition(".")
    return (schema or None, name)


def compare(
    old: Schema | None, new: Schema, hints: Hints = NO_HINTS, *, confirm_drops: bool = False
) -> list[o.Op]:
    """The operations, unordered (plan.py orders them). Raises DiffError on ambiguity."""
    return _Compare(old, new, hints, confirm_drops).run()


class _Compare:
    def __init__(self, old: Schema | None, new: Schema, hints: Hints, confirm: bool) -> None:
        self.old = old if old is not None else Schema(())
        self.initial = old is None  # the first migration: raw SQL runs
        self.new = new
        self.hints = hints
        self.diags = Diagnostics()
        self.match = Matcher(self.diags, old is None, confirm)
        self.ops: list[o.Op] = []
        self.enum_map: dict[str, str] = {}  # old key -> new key
        self.table_map: dict[str, str] = {}  # old key -> new key
        self.diffs: dict[str, TableDiff] = {}  # new key -> its pairing with the old table
        self.label_maps: dict[str, dict[str, str]] = {}  # old enum key -> {old: new label}

    def run(self) -> list[o.Op]:
        old, new = self.old, self.new
        self.ops += [o.CreateExtension(e) for e in new.extensions if e not in old.extensions]
        self.ops += [o.CreateSchema(n) for n in new.namespaces if n not in old.namespaces]
        self._unnamed_hints()
        self._pair_enums()
        self._pair_labels()
        self._pair_tables()
        if self.diags:
            raise DiffError(self.diags.sorted())
        self._enums()
        compare_types.domains(self)
        self._tables()
        compare_sequences.sequences(self)
        self._foreign_keys()
        gone = objects.functions(self)
        objects.triggers(self, gone)
        objects.views(self, gone)
        objects.security(self)
        objects.raw_sql(self)
        self._schedule_renames(o.RenameEnum, [e.key for e in old.enums])
        self._schedule_renames(tb.RenameTable, [t.key for t in old.tables])
        self.ops += [o.DropSchema(n) for n in old.namespaces if n not in new.namespaces]
        self.ops += [o.DropExtension(e) for e in old.extensions if e not in new.extensions]
        if self.diags:
            raise DiffError(self.diags.sorted())
        return self.ops

    def _schedule_renames(self, kind: type[o.RenameEnum | tb.RenameTable], keys: list[str]) -> None:
        """Order renames so that each new name (and the one between SET SCHEMA and
        RENAME) is free when it is taken: ``b -> c`` before ``a -> b``."""
        renames = [op for op in self.ops if isinstance(op, kind)]
        taken = {_parts(k) for k in keys}
        done: list[o.RenameEnum | tb.RenameTable] = []
        while renames:
            for op in renames:
                old, new = (op.old.schema, op.old.name), (op.new.schema, op.new.name)
                moved, renamed = (new[0], old[1]), (old[0], new[1])
                if new in taken:
                    continue
                if old[0] != new[0] and old[1] != new[1]:
                    if moved in taken and renamed in taken:
                        continue
                    op = type(op)(op.old, op.new, moved not in taken)  # type: ignore[arg-type]
                taken.discard(old)
                taken.add(new)
                done.append(op)
                renames.remove(next(r for r in renames if r.old == op.old))
                break
            else:  # a cycle (names swapped): left as they are; see README, Limits
                done += renames
                break
        rest = iter(done)
        self.ops = [next(rest) if isinstance(op, kind) else op for op in self.ops]

    # -- pairing -------------------------------------------------------------------

    def _unnamed_hints(self) -> None:
        for what, hints in (("check", self.hints.checks), ("index", self.hints.indexes)):
            for (_, name), h in hints.items():
                if not name:
                    self.diags.add(
                        "bad-hint",
                        f"renamed_from on a {what} without a name",
                        h.span,
                        path=h.path,
                        hint=f"add `name:` to the {what} (its new name) beside renamed_from",
                    )

    def _pair_enums(self) -> None:
        new = {e.key: e for e in self.new.enums}

        def where(key: str) -> Where:
            return Where(new[key].span, format_path(("enums", key)))

        pairs = self.match.names(
            "enum",
            [e.key for e in self.old.enums],
            list(new),
            self.hints.enums.get,
            where,
        )
        self.enum_map = {old: new for new, old in pairs.items()}

    def _pair_tables(self) -> None:
        new = {t.key: t for t in self.new.tables}

        def where(key: str) -> Where:
            return Where(new[key].span, format_path(("tables", key)))

        pairs = self.match.names(
            "table", [t.key for t in self.old.tables], list(new), self.hints.tables.get, where
        )
        self.table_map = {old: new for new, old in pairs.items()}
        for new_key, old_key in pairs.items():
            diff = TableDiff(self.old.table(old_key), new[new_key], self)
            diff.pair_columns()
            self.diffs[new_key] = diff

    def map_type(self, t: ColumnType) -> ColumnType:
        """An old column type in the new model's terms (a renamed enum keeps its columns)."""
        if t.enum is None or t.enum not in self.enum_map:
            return t
        return replace(t, enum=self.enum_map[t.enum])

    def in_new_terms(self, column: Column) -> Column:
        """A dropped column as down re-adds it: down runs the drop's reverse before
        it renames enums and labels back, so it names them as the new model does."""
        return replace(column, type=self.map_type(column.type), default=self.map_default(column))

    # -- enums -----------------------------------------------------------------------

    def _enums(self) -> None:
        by_old = {v: k for k, v in self.enum_map.items()}
        for ne in self.new.enums:
            if ne.key not in by_old:
                self.ops.append(o.CreateEnum(ne))
                continue
            oe = self.old.enum(by_old[ne.key])
            if oe.key != ne.key:
                self.ops.append(o.RenameEnum(oe, ne))
            self._labels(oe, ne)
            if oe.description != ne.description:
                self.ops.append(o.SetComment("TYPE", ne.sql_name, oe.description, ne.description))
        for oe in self.old.enums:
            if oe.key not in self.enum_map:
                self.ops.append(o.DropEnum(oe))

    def _pair_labels(self) -> None:
        for ne in self.new.enums:
            if ne.key not in self.enum_map.values():
                continue
            oe = self.old.enum(next(k for k, v in self.enum_map.items() if v == ne.key))

            def where(_: str, ne: Enum = ne) -> Where:
                return Where(ne.span, format_path(("enums", ne.key)))

            def advice(new: str, old: str, _: str, key: str = ne.key) -> str:
                return (
                    f"write the enum as `{key}: {{values: [...], renamed_labels: "
                    f"{{{quote_string(new)}: {quote_string(old)}}}}}`"
                )

            hints = {label: h for (key, label), h in self.hints.labels.items() if key == ne.key}
            pairs = self.match.names(
                "label",
                oe.labels,
                ne.labels,
                hints.get,
                where,
                f" in enum {ne.key!r}",
                advice,
            )
            self.label_maps[oe.key] = {old: new for new, old in pairs.items()}

    def map_default(self, column: Column) -> Default | None:
        """An old enum default under renamed labels (PostgreSQL's default follows a rename)."""
        d, renamed = column.default, self.label_maps.get(column.type.enum or "", {})
        if d is None or d.kind != "literal" or column.type.array or d.value not in renamed:
            return d
        return Default("literal", quote_string(renamed[d.value]), renamed[d.value])

    def _labels(self, oe: Enum, ne: Enum) -> None:
        renamed = self.label_maps[oe.key]
        for old_label, new_label in renamed.items():
            if old_label != new_label:
                self.ops.append(o.RenameEnumLabel(ne, old_label, new_label))
        before = tuple(renamed.get(label, label) for label in oe.labels)
        enum = replace(ne, description=oe.description)  # the comment a rebuild keeps
        kept = [label for label in ne.labels if label in before]
        if kept == list(before):  # old labels in their order: only additions
            if len(ne.labels) > len(before):
                self.ops.append(o.AddEnumLabels(enum, before, self._old_usages(oe)))
            return
        self.ops.append(o.RebuildEnum(enum, before, ne.labels, self._usages(oe, ne)))

    def _old_usages(self, oe: Enum) -> tuple[o.EnumUsage, ...]:
        """Columns of the type in the old model, as named there (a down migration's end)."""
        return tuple(
            o.EnumUsage(t.sql_name, c.name, c.type.array, c.default, c.default)
            for t in self.old.tables
            for c in t.columns
            if c.type.enum == oe.key
        )

    def _usages(self, oe: Enum, ne: Enum) -> tuple[o.EnumUsage, ...]:
        """Columns of the type while it is rebuilt: surviving ones, under their new names."""
        out = []
        for diff in self.diffs.values():
            for new_name, oc in diff.columns.items():
                nc = diff.new.column(new_name)
                if oc.type.enum != oe.key or new_name in diff.regenerated:
                    continue
                was = self.map_default(oc)
                if self.map_type(oc.type) == nc.type:
                    after = nc.default  # the rebuild sets the new default itself
                    diff.rebuild_defaults.add(new_name)
                else:  # a type change follows; keep the old default if its label survives
                    keep = was is not None and was.value in ne.labels
                    after = was if keep else None
                out.append(o.EnumUsage(diff.new.sql_name, new_name, oc.type.array, was, after))
        return tuple(out)

    # -- tables ----------------------------------------------------------------------

    def _tables(self) -> None:
        for nt in self.new.tables:
            diff = self.diffs.get(nt.key)
            if diff is None:
                self.ops += [tb.CreateTable(nt), *compare_types.created_table(nt)]
                self.ops += [cn.CreateIndex(nt, ix) for ix in nt.indexes]
                self.ops += [cn.CreateTrigger(nt, tr) for tr in nt.triggers]
            else:
                diff.emit(self.ops)
        for ot in self.old.tables:
            if ot.key not in self.table_map:
                self.ops += [cn.DropTrigger(ot, tr) for tr in ot.triggers]
                self.ops += [cn.DropIndex(ot, ix) for ix in ot.indexes]
                columns = tuple(self.in_new_terms(c) for c in ot.columns)
                self.ops.append(tb.DropTable(replace(ot, columns=columns)))
                self.ops += compare_types.dropped_table(ot)

    # -- foreign keys ------------------------------------------------------------------

    def _old_fk_def(self, table: Table, fk: ForeignKey) -> object:
        """An old foreign key in the new model's terms; None if a side is gone."""
        new_key = self.table_map.get(table.key)
        target = self.table_map.get(fk.ref_table)
        if new_key is None or target is None:
            return None
        here, there = self.diffs[new_key], self.diffs[target]
        columns = tuple(here.new_name(c) for c in fk.columns)
        refs = tuple(there.new_name(c) for c in fk.ref_columns)
        if None in columns or None in refs:
            return None
        if any(c in here.retyped for c in columns) or any(c in there.retyped for c in refs):
            return None  # PostgreSQL checks both sides' types: drop, then add anew
        if (fk.ref_table, fk.ref_columns) in self.recreated_keys():
            return None  # the key it depends on is dropped and added again
        return (columns, target, refs, fk.on_delete, fk.on_update)

    def recreated_keys(self) -> set[tuple[str, tuple[str, ...]]]:
        return {key for diff in self.diffs.values() for key in diff.recreated_keys}

    def _foreign_keys(self) -> None:
        for nt in self.new.tables:
            diff = self.diffs.get(nt.key)
            old_fks = diff.old.foreign_keys if diff else ()
            old_table = diff.old if diff else nt

            def new_def(fk: ForeignKey, nt: Table = nt) -> object:
                return (fk.columns, fk.ref_table, fk.ref_columns, fk.on_delete, fk.on_update)

            def old_def(fk: ForeignKey, ot: Table = old_table) -> object:
                return self._old_fk_def(ot, fk)

            paired = pair(old_fks, nt.foreign_keys, old_def, new_def, lambda fk: fk.name)
            for ofk, nfk in paired.same:
                if ofk.name != nfk.name:
                    self.ops.append(cn.RenameConstraint(nt, ofk.name, nfk.name))
            self.ops += [
                cn.DropForeignKey(old_table, fk, self.old.table(fk.ref_table))
                for fk in paired.dropped
            ]
            self.ops += [
                cn.AddForeignKey(nt, fk, self.new.table(fk.ref_table)) for fk in paired.added
            ]
        for ot in self.old.tables:
            if ot.key not in self.table_map:
                self.ops += [
                    cn.DropForeignKey(ot, fk, self.old.table(fk.ref_table))
                    for fk in ot.foreign_keys
                ]
