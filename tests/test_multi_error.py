"""Every error in one run (issue 8).

Each folder under tests/multi_error/ holds ``schema.yaml``, a spec with several
independent mistakes (each commented where it is), ``expected.txt``, every
diagnostic that one run must report (``line:col: code path``), and
``fixed.yaml``, the same spec with every mistake fixed, which must be clean.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli import ROOT, run_cli
from diag import HEAD, only, spec_errors, where

from generator.pipeline import load_schema
from generator.spec import models
from generator.spec.places import is_model

CORPUS = ROOT / "tests" / "multi_error"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def expected(case: str) -> list[tuple[str, int, int, str]]:
    out = []
    for row in (CORPUS / case / "expected.txt").read_text().splitlines():
        place, code, path = row.split(" ")
        line, col, _ = place.split(":")
        out.append((code, int(line), int(col), path))
    return out


def test_the_corpus_has_eight_specs_with_several_mistakes_each() -> None:
    assert len(CASES) >= 8
    for case in CASES:
        assert len(expected(case)) >= 5, case
        assert {"schema.yaml", "fixed.yaml", "expected.txt"} <= {
            p.name for p in (CORPUS / case).iterdir()
        }


@pytest.mark.parametrize("case", CASES)
def test_one_run_reports_every_mistake(case: str) -> None:
    loaded = load_schema((CORPUS / case / "schema.yaml").read_bytes(), "schema.yaml")
    assert loaded.schema is None
    assert [where(d) for d in loaded.diagnostics] == expected(case)


@pytest.mark.parametrize("case", CASES)
def test_the_fixed_spec_is_clean(case: str) -> None:
    loaded = load_schema((CORPUS / case / "fixed.yaml").read_bytes(), "fixed.yaml")
    assert loaded.diagnostics == []
    assert loaded.schema is not None


def test_every_mistake_is_commented_where_it_is() -> None:
    # The corpus documents itself: a reported line without a comment is a
    # mistake nobody meant to make (a follow-on error, or a broken case).
    for case in CASES:
        lines = (CORPUS / case / "schema.yaml").read_text().splitlines()
        for code, line, _, path in expected(case):
            commented = [row for row in lines[line - 1 : line + 1] if "#" in row]
            assert commented, (case, code, line, path)


def test_the_command_line_prints_them_all_and_exits_2(tmp_path: Path) -> None:
    result = run_cli("validate", str(CORPUS / "missing_version" / "schema.yaml"))
    assert result.returncode == 2
    count = len(expected("missing_version"))
    assert result.stderr.endswith(f"\n{count} errors found\n")
    assert result.stderr.count("error[") == count


# -- unknown and misplaced keys ------------------------------------------------


def test_on_delete_beside_a_shorthand_reference() -> None:
    diag = only(HEAD + "      a: {type: uuid, references: t.id, on_delete: cascade}\n")
    assert where(diag) == ("misplaced-key", 6, 41, "tables.t.columns.a.on_delete")
    assert diag.message == "'on_delete' is not a key of a column"
    assert diag.hint == (
        "move it under tables.t.columns.a.references, written as a mapping: "
        "references: {to: t.id, on_delete: cascade}"
    )


def test_on_delete_beside_a_reference_mapping_is_moved_in_and_checked() -> None:
    text = HEAD + "      a:\n        type: uuid\n        references: {to: t.id}\n"
    diags = spec_errors(text + "        on_delete: cascad\n")
    assert [(where(d), d.message, d.hint) for d in diags] == [
        (
            ("misplaced-key", 9, 9, "tables.t.columns.a.on_delete"),
            "'on_delete' is not a key of a column",
            "move it under tables.t.columns.a.references",
        ),
        (
            ("invalid-value", 9, 20, "tables.t.columns.a.references.on_delete"),
            "the string 'cascad' is not a valid on_delete",
            "did you mean 'cascade'? expected 'no action', 'restrict', 'cascade', "
            "'set null' or 'set default'",
        ),
    ]


def test_a_table_key_written_in_a_column_is_sent_one_level_up() -> None:
    diag = only(HEAD + "      a: {type: text, indexes: [{columns: [a]}]}\n")
    assert where(diag) == ("misplaced-key", 6, 23, "tables.t.columns.a.indexes")
    assert diag.hint == "move it under tables.t"


def test_an_option_written_in_the_sibling_mapping() -> None:
    diag = only("version: 1\npython:\n  index_foreign_keys: true\n" + HEAD[len("version: 1\n") :])
    assert where(diag) == ("misplaced-key", 3, 3, "python.index_foreign_keys")
    assert diag.message == "'index_foreign_keys' is not a key of the python options"
    assert diag.hint == "move it under postgres"


def test_a_foreign_key_action_written_in_a_table() -> None:
    diag = only(HEAD + "    on_delete: cascade\n")
    assert where(diag) == ("misplaced-key", 6, 5, "tables.t.on_delete")
    assert diag.hint == "move it into an entry of tables.t.foreign_keys"


def test_an_unknown_key_lists_the_keys_of_its_place() -> None:
    diag = only(HEAD + "      a: {type: text, colour: red}\n")
    assert where(diag) == ("unknown-key", 6, 23, "tables.t.columns.a.colour")
    assert diag.hint == (
        "remove it; the keys of a column are: type, nullable, default, primary_key, unique, "
        "references, on_update, description, check, identity, generated, renamed_from, migrate"
    )


PLACES = {  # where a key is written -> a spec with KEY there
    "top level": "version: 1\nKEY: x\ntables: {}\n",
    "table": "version: 1\ntables:\n  t:\n    KEY: x\n    columns: {id: {type: uuid, primary_key: true}}\n",
    "column": HEAD + "      a: {type: text, KEY: x}\n",
    "reference": HEAD + "      a: {type: uuid, references: {to: t.id, KEY: x}}\n",
    "index": HEAD + "    indexes: [{columns: [id], KEY: x}]\n",
}
EVERY_KEY = sorted(
    {name for model in vars(models).values() if is_model(model) for name in model.model_fields}
)


@pytest.mark.parametrize("place", PLACES)
def test_did_you_mean_never_offers_the_key_itself(place: str) -> None:
    # Before, did-you-mean drew on the keys of every model, so a key valid
    # elsewhere was "unknown key 'on_delete': did you mean 'on_delete'?".
    for key in EVERY_KEY:
        for diag in spec_errors(PLACES[place].replace("KEY", key)):
            assert f"did you mean {key!r}" not in diag.hint, (place, key, diag)
            if diag.code in ("unknown-key", "misplaced-key"):
                assert diag.path.rpartition(".")[2] == key, diag


def test_a_near_miss_of_a_key_of_another_place() -> None:
    diag = only(HEAD + "      a: {type: uuid, references: {to: t.id}, ondelete: cascade}\n")
    assert where(diag) == ("unknown-key", 6, 47, "tables.t.columns.a.ondelete")
    assert diag.hint == "did you mean 'on_delete'? it goes under tables.t.columns.a.references"


def test_missing_version_is_one_error_among_the_rest() -> None:
    text = HEAD[len("version: 1\n") :] + "      a: txt\n"
    assert [where(d) for d in spec_errors(text)] == [
        ("missing-key", 1, 1, "version"),
        ("unknown-type", 5, 10, "tables.t.columns.a.type"),
    ]


# -- follow-ons: what a repair changed is not reported as more errors ----------


def test_a_bad_key_flag_in_a_group_does_not_unkey_every_table() -> None:
    text = (
        "version: 1\n"
        "column_groups:\n"
        "  id: {id: {type: uuid, primary_key: maybe}}\n"
        "tables:\n"
        "  a: {columns: {...id: , x: txt}}\n"
        "  b: {columns: {...id: , a_id: {type: uuid, references: a.id}}}\n"
    )
    # no "table 'a' has no primary key", no "a.id is not unique": only the two mistakes
    assert [where(d) for d in spec_errors(text)] == [
        ("invalid-value", 3, 38, "column_groups.id.id.primary_key"),
        ("unknown-type", 5, 29, "tables.a.columns.x.type"),
    ]


def test_a_column_without_a_type_is_not_a_type_mismatch_for_its_references() -> None:
    text = HEAD + "      a: {unique: true}\n      b: {type: text, references: t.a}\n      c: txt\n"
    assert [where(d) for d in spec_errors(text)] == [
        ("missing-key", 6, 7, "tables.t.columns.a.type"),
        ("unknown-type", 8, 10, "tables.t.columns.c.type"),
    ]


def test_a_bad_column_groups_mapping_is_not_an_unknown_group_per_use() -> None:
    text = "version: 1\ncolumn_groups: [id]\n" + HEAD[len("version: 1\n") :] + "      ...id:\n"
    assert [where(d) for d in spec_errors(text)] == [
        ("invalid-value", 2, 16, "column_groups"),
    ]


def test_no_move_to_a_place_that_already_has_the_key() -> None:
    # The table already has 'columns:': moving this one there would make a duplicate.
    diag = only(HEAD + "      a: {type: text, columns: [id]}\n")
    assert where(diag) == ("unknown-key", 6, 23, "tables.t.columns.a.columns")
    assert diag.hint.startswith("remove it; the keys of a column are: type, nullable,")


def test_a_dropped_nullable_is_not_taken_as_not_null() -> None:
    text = (
        HEAD
        + "      a: {type: uuid, nullable: maybe, references: {to: t.id, on_delete: set null}}\n"
    )
    assert [where(d) for d in spec_errors(text)] == [
        ("invalid-value", 6, 33, "tables.t.columns.a.nullable"),
    ]
