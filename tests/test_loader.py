"""The positioned YAML loader (generator/source/): YAML 1.2 scalars and every refusal."""

from __future__ import annotations

from typing import Any

import pytest
from diag import where, yaml_errors

from generator.source import builder, loader


def data(text: str) -> Any:
    doc, diags = yaml_errors(text)
    assert not diags, [where(d) for d in diags]
    assert doc is not None
    return doc.data


# --- YAML 1.2 scalars -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("no", "is a boolean in YAML 1.1"),
        ("off", "is a boolean in YAML 1.1"),
        ("yes", "is a boolean in YAML 1.1"),
        ("On", "is a boolean in YAML 1.1"),
        ("y", "is a boolean in YAML 1.1"),
        ("True", "has unusual capitalisation for a boolean"),
        ("0755", "is an octal number in YAML 1.1"),
        ("0o17", "is an octal number in YAML 1.1"),
        ("0x1F", "is a hexadecimal number"),
        ("1_000", "contains '_' digit separators"),
        ("12:30", "is a sexagesimal number in YAML 1.1"),
        ("2024-01-01", "is a date in YAML 1.1"),
        ("2024-01-01 10:00:00", "is a date in YAML 1.1"),
        (".inf", "is a special float"),
        (".5", "is a float in YAML 1.1"),
    ],
)
def test_yaml_11_scalars_stay_strings_and_are_flagged(raw: str, why: str) -> None:
    doc, diags = yaml_errors(f"key: {raw}\n")
    assert not diags
    assert doc is not None
    assert doc.data == {"key": raw}
    info = doc.scalar(("key",))
    assert info is not None
    assert (info.raw, info.plain, info.ambiguous) == (raw, True, why)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("true", True),
        ("false", False),
        ("0", 0),
        ("-12", -12),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("~", None),
        ("null", None),
        ("", None),
        ("hello", "hello"),
    ],
)
def test_yaml_12_core_scalars(raw: str, value: Any) -> None:
    doc, diags = yaml_errors(f"key: {raw}\n")
    assert not diags
    assert doc is not None
    got = doc.data["key"]
    assert got == value and type(got) is type(value)
    info = doc.scalar(("key",))
    assert info is not None and info.ambiguous == ""


@pytest.mark.parametrize("quoted", ["'no'", '"off"', "'0755'", "'12:30'", "|\n  yes"])
def test_quoted_and_block_scalars_are_plain_strings_never_ambiguous(quoted: str) -> None:
    doc, diags = yaml_errors(f"key: {quoted}\n")
    assert not diags
    assert doc is not None
    info = doc.scalar(("key",))
    assert info is not None and isinstance(doc.data["key"], str)
    assert (info.plain, info.ambiguous) == (False, "")


def test_spans_are_kept_per_key_path_in_characters() -> None:
    doc, _ = yaml_errors("a:\n  é: {b: [x, yz]}\n")
    assert doc is not None
    key = doc.key_span(("a", "é"))
    value = doc.span(("a", "é", "b", 1))
    assert key is not None and value is not None
    assert (key.line, key.col) == (2, 3)
    # columns count characters, not bytes: 'é' is two bytes but one column
    assert (value.line, value.col, value.end_col) == (2, 14, 16)
    # a missing path falls back to its nearest parent
    parent = doc.span(("a", "é", "nope"))
    assert parent is not None and (parent.line, parent.col) == (2, 6)


# --- duplicate keys ---------------------------------------------------------------------


def test_duplicate_key_is_an_error_naming_both_lines() -> None:
    doc, diags = yaml_errors("tables:\n  t:\n    a: 1\n    b: 2\n    a: 3\n")
    assert [where(d) for d in diags] == [("duplicate-key", 5, 5, "tables.t.a")]
    assert diags[0].message == "duplicate key 'a' (first defined on line 3)"
    assert diags[0].hint == "remove one of the two 'a' entries (lines 3 and 5)"
    assert doc is not None and doc.data == {"tables": {"t": {"a": 1, "b": 2}}}


def test_duplicate_keys_in_flow_mapping_and_at_top_level_are_all_reported() -> None:
    _, diags = yaml_errors("x: {k: 1, k: 2}\ny: 1\ny: 2\n")
    assert [where(d) for d in diags] == [
        ("duplicate-key", 1, 11, "x.k"),
        ("duplicate-key", 3, 1, "y"),
    ]


# --- tags, merge keys, complex keys -----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/object:os.system x", "tag:yaml.org,2002:python/object:os.system"),
        ("!custom x", "!custom"),
        ("!!str 5", "tag:yaml.org,2002:str"),
        ("!!map {a: 1}", "tag:yaml.org,2002:map"),
    ],
)
def test_explicit_tags_are_refused(value: str, tag: str) -> None:
    doc, diags = yaml_errors(f"ok: 1\nkey: {value}\n")
    assert [where(d) for d in diags] == [("yaml-tag", 2, 6, "key")]
    assert diags[0].message == f"explicit YAML tag {tag!r} is not allowed"
    assert doc is not None and doc.data["key"] is None  # never constructed


def test_merge_key_is_refused_and_a_quoted_one_is_an_ordinary_key() -> None:
    _, diags = yaml_errors("base: &b {x: 1}\nt:\n  y: 2\n  <<: *b\n")
    assert [where(d) for d in diags] == [("yaml-merge", 4, 3, "t")]
    assert "column group" in diags[0].hint
    doc, diags = yaml_errors("t:\n  '<<': 1\n")
    assert not diags and doc is not None and doc.data == {"t": {"<<": 1}}


def test_non_scalar_keys_are_refused() -> None:
    _, diags = yaml_errors("t:\n  ? [a, b]\n  : 1\n")
    assert [where(d) for d in diags] == [("yaml-key", 2, 5, "t")]


# --- aliases ------------------------------------------------------------------------------


def _count(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(_count(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_count(v) for v in value)
    return 1


def test_billion_laughs_is_refused_without_expanding() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    doc, diags = yaml_errors("\n".join(lines) + "\n")
    assert [d.code for d in diags] == ["yaml-aliases"]
    assert diags[0].message.startswith(f"more than {builder.MAX_ALIASES} alias uses")
    # Only 72 alias uses, but they reach 9**9 nodes: the loader stops at the
    # use where the total passes its budget, and points at that alias.
    span = diags[0].span
    assert span is not None
    assert lines[span.line - 1][span.col - 1] == "*"
    assert diags[0].path.startswith("bcdefghi"[span.line - 2] + "[")
    # fully expanded, the document would hold 9**9 strings; nothing like it is kept
    assert doc is None or _count(doc.data) < builder.MAX_NODES


def test_aliases_up_to_the_cap_are_expanded() -> None:
    uses = ", ".join(["*m"] * builder.MAX_ALIASES)
    got = data(f"m: &m {{k: v}}\nl: [{uses}]\n")
    assert got["l"] == [{"k": "v"}] * builder.MAX_ALIASES
    _, diags = yaml_errors(f"m: &m {{k: v}}\nl: [{uses}, *m]\n")
    # the error points at the alias use that passes the cap: the 101st *m
    col = len("l: [") + 4 * builder.MAX_ALIASES + 1
    assert [where(d) for d in diags] == [("yaml-aliases", 2, col, f"l[{builder.MAX_ALIASES}]")]
    assert "column groups" in diags[0].hint


def test_an_alias_to_an_undefined_anchor_is_a_positioned_error() -> None:
    _, diags = yaml_errors("a: 1\nb: *nope\n")
    assert [where(d) for d in diags] == [("yaml-syntax", 2, 4, "b")]


# --- bytes: encoding, NUL, tabs, emptiness, documents, size -------------------------------


def test_invalid_utf8_names_the_byte_and_its_position() -> None:
    doc, diags = yaml_errors(b"a: 1\nbb: x\xff y\n")
    assert doc is None
    assert [where(d) for d in diags] == [("encoding", 2, 6, "")]
    assert diags[0].message == "invalid UTF-8 byte 0xff"


def test_utf8_bom_is_accepted() -> None:
    doc, diags = yaml_errors(b"\xef\xbb\xbfa: 1\n")
    assert not diags and doc is not None and doc.data == {"a": 1}


def test_nul_character_is_refused() -> None:
    doc, diags = yaml_errors(b"a: 1\nb: 'x\x00'\n")
    assert doc is None
    assert [where(d) for d in diags] == [("nul-byte", 2, 6, "")]


def test_tab_indentation_is_a_syntax_error_with_a_tab_hint() -> None:
    doc, diags = yaml_errors("a:\n  b: 1\n\tc: 2\n")
    assert doc is None
    assert [where(d) for d in diags] == [("yaml-syntax", 3, 1, "")]
    assert diags[0].hint == "YAML does not allow tabs for indentation; indent with spaces"


def test_syntax_error_points_at_the_problem() -> None:
    _, diags = yaml_errors("a: [1, 2\nb: 3\n")
    assert [where(d) for d in diags] == [("yaml-syntax", 2, 2, "")]
    assert diags[0].message == "YAML syntax error: did not find expected ',' or ']'"
    assert diags[0].hint == "check indentation and quoting near this position"


@pytest.mark.parametrize("text", [b"", b"\n\n", b"# only a comment\n", b"   \n"])
def test_empty_file_is_refused(text: bytes) -> None:
    doc, diags = yaml_errors(text)
    assert doc is None
    assert [where(d) for d in diags] == [("empty-spec", 1, 1, "")]
    assert diags[0].hint == "start with 'version: 1' and a 'tables:' mapping"


def test_several_documents_are_refused_at_the_second() -> None:
    doc, diags = yaml_errors("a: 1\n---\nb: 2\n---\nc: 3\n")
    assert doc is None
    # the position is the second document's '---' marker
    assert [where(d) for d in diags] == [("multiple-documents", 2, 1, "")]
    assert diags[0].message == "the file holds more than one YAML document; a spec is one document"


def test_a_single_document_with_explicit_markers_is_fine() -> None:
    assert data("---\na: 1\n...\n") == {"a": 1}


def test_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    assert data("a: " + "x" * 90 + "\n") == {"a": "x" * 90}
    doc, diags = yaml_errors("a: " + "x" * 100 + "\n")
    assert doc is None
    assert [where(d) for d in diags] == [("file-too-large", 1, 1, "")]
    assert diags[0].message == "file is 104 bytes; the limit is 100"


def test_node_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(builder, "MAX_NODES", 10)
    _, diags = yaml_errors("l: [" + ", ".join(["x"] * 20) + "]\n")
    assert [d.code for d in diags] == ["yaml-too-large"]
