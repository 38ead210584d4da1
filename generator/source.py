"""Load YAML with positions, strictly.

PyYAML composes a node graph (each node knows its start and end mark); we turn
that graph into plain Python data ourselves instead of using PyYAML's
constructors, because the constructors are where YAML's surprises live:

* YAML 1.1 booleans and numbers (``no``, ``off``, ``0755``, ``12:30``,
  ``1_000``, dates) are kept as strings, as YAML 1.2 says, and remembered as
  *ambiguous* so a default written that way can be refused with a hint to
  quote it (never converted silently);
* duplicate keys are an error naming both lines (PyYAML keeps the last one);
* explicit tags (``!!python/object``) are refused;
* aliases are counted and capped, so a "billion laughs" file cannot blow up.

The result keeps, for every key path, the span of the key and of the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from .diagnostics import Diagnostics, Span

MAX_BYTES = 32 * 1024 * 1024
MAX_ALIASES = 100
MAX_NODES = 2_000_000
MAX_DEPTH = 64
MAX_ALIAS_NODES = 10_000  # nodes reachable through aliases, all uses added up

Path = tuple[str | int, ...]

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
# Plain scalars that YAML 1.1 (and so many tools and readers) would convert.
_AMBIGUOUS = [
    (re.compile(r"(?i)y|n|yes|no|on|off"), "is a boolean in YAML 1.1"),
    (re.compile(r"(?i)true|false"), "has unusual capitalisation for a boolean"),
    (re.compile(r"[-+]?0[0-7]+|[-+]?0o[0-7]+"), "is an octal number in YAML 1.1"),
    (re.compile(r"[-+]?0x[0-9a-fA-F]+"), "is a hexadecimal number"),
    (re.compile(r"(?=[^_]*_)[-+]?[0-9][0-9_]*(\.[0-9_]*)?"), "contains '_' digit separators"),
    (re.compile(r"[-+]?[0-9]+(:[0-5]?[0-9])+(\.[0-9_]*)?"), "is a sexagesimal number in YAML 1.1"),
    (re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?"), "is a date in YAML 1.1"),
    (re.compile(r"[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"), "is a special float"),
    (
        re.compile(r"[-+]?\.[0-9]+([eE][-+]?[0-9]+)?|[-+]?[0-9]+\.([eE][-+]?[0-9]+)?"),
        "is a float in YAML 1.1",
    ),
]
# Only scalars starting like a number, or these words, can be ambiguous.
_AMBIGUOUS_START = frozenset("0123456789+-.")
_AMBIGUOUS_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false"})


@dataclass(frozen=True, eq=False, repr=False)
class ScalarInfo:
    raw: str
    plain: bool
    ambiguous: str = ""  # why a plain scalar may not mean what it looks like


Marks = tuple[Any, Any]  # (start_mark, end_mark) as PyYAML reports them


@dataclass
class Document:
    """Plain data plus where every piece of it came from.

    Marks are kept and turned into spans only when a diagnostic asks: a large
    spec has hundreds of thousands of nodes and almost never an error.
    """

    file: str
    data: Any
    lines: list[str]
    value_marks: dict[Path, Marks] = field(default_factory=dict)
    key_marks: dict[Path, Marks] = field(default_factory=dict)
    scalars: dict[Path, ScalarInfo] = field(default_factory=dict)
    # Keys the spec stage renamed or moved to check what is inside them
    # (spec/repair.py): new path -> path before, in the order they were made.
    renamed: dict[Path, Path] = field(default_factory=dict)

    def _written(self, path: Path) -> Path:
        if not self.renamed:  # nearly always: the model build asks this for every column
            return path
        for new, old in reversed(self.renamed.items()):  # a later repair undone first
            if path[: len(new)] == new:
                path = old + path[len(new) :]
        return path

    def scalar(self, path: Path) -> ScalarInfo | None:
        return self.scalars.get(self._written(path))

    def span(self, path: Path) -> Span | None:
        """The best span for a path: the value, else the key, else the nearest parent."""
        path = self._written(path)
        while True:
            if path in self.value_marks:
                return _span(self.file, self.value_marks[path])
            if path in self.key_marks:
                return _span(self.file, self.key_marks[path])
            if not path:
                return None
            path = path[:-1]

    def key_span(self, path: Path) -> Span | None:
        path = self._written(path)
        marks = self.key_marks.get(path)
        return _span(self.file, marks) if marks is not None else self.span(path)


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            out += ("." if out else "") + part
        else:
            out += f'["{part}"]' if out else f'"{part}"'
    return out


_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# YAML 1.2 reads NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR as ordinary
# characters; PyYAML (YAML 1.1) breaks lines there, so a comment holding one
# ends early.  They are parsed as private-use stand-ins (one character each, so
# columns hold) and restored in every value, key and source line.
_BREAKS_1_1 = {"\x85": "\ue085", "\u2028": "\ue028", "\u2029": "\ue029"}


def _mask(text: str) -> tuple[str, dict[str, str]]:
    """The text to parse, and each stand-in used to the character it replaces."""
    if not any(c in text for c in _BREAKS_1_1) or any(
        c in text for c in _BREAKS_1_1.values()
    ):  # nothing to do, or the stand-ins are the user's own characters
        return text, {}
    for original, stand_in in _BREAKS_1_1.items():
        text = text.replace(original, stand_in)
    return text, {stand_in: original for original, stand_in in _BREAKS_1_1.items()}


def _unmask(text: str, masked: dict[str, str]) -> str:
    if masked and any(c in text for c in masked):
        for stand_in, original in masked.items():
            text = text.replace(stand_in, original)
    return text


def _span(file: str, marks: Marks) -> Span:
    start, end = marks
    return Span(file, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


# A spec repeats the same scalars (uuid, true, cascade) in every table; the answer
# is immutable (a str, number, bool or None, and a frozen ScalarInfo), so shared.
@lru_cache(maxsize=1 << 16)
def _scalar(raw: str, style: str | None) -> tuple[Any, ScalarInfo]:
    if style:  # quoted or block scalar: always a string (libyaml says "" for plain)
        return raw, ScalarInfo(raw, plain=False)
    if raw in ("", "~", "null", "Null", "NULL"):
        return None, ScalarInfo(raw, plain=True)
    if raw == "true":
        return True, ScalarInfo(raw, plain=True)
    if raw == "false":
        return False, ScalarInfo(raw, plain=True)
    if _INT.fullmatch(raw):
        if len(raw) > 4000:  # int() refuses over 4,300 digits; no column holds such a number
            return raw, ScalarInfo(raw, plain=True, ambiguous="is a number too long to read")
        return int(raw), ScalarInfo(raw, plain=True)
    if _FLOAT.fullmatch(raw):
        return float(raw), ScalarInfo(raw, plain=True)
    if raw[0] not in _AMBIGUOUS_START and raw.lower() not in _AMBIGUOUS_WORDS:
        return raw, ScalarInfo(raw, plain=True)  # a name such as 'text' or 'cascade'
    for pattern, why in _AMBIGUOUS:
        if pattern.fullmatch(raw):
            return raw, ScalarInfo(raw, plain=True, ambiguous=why)
    return raw, ScalarInfo(raw, plain=True)


_ALIAS, _SCALAR = yaml.AliasEvent, yaml.ScalarEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_MAPPING_END = yaml.MappingEndEvent


class _Stop(Exception):
    """The document cannot be read further (too deep, too large)."""


class _Builder:
    """Builds plain data straight from PyYAML's event stream.

    Working on events rather than composed nodes is several times faster with
    libyaml, and lets us count alias expansions as they happen.
    """

    def __init__(self, doc: Document, diags: Diagnostics):
        self.doc = doc
        self.diags = diags
        self.file = doc.file
        self.anchors: dict[str, tuple[Any, int, ScalarInfo | None]] = {}
        self._peek: Any = None
        self.take: Any = None
        self.aliases = 0
        self.expanded = 0
        self.nodes = 0
        self.masked: dict[str, str] = {}  # see _mask

    def _fail(self, code: str, message: str, marks: Marks, path: Path, hint: str) -> None:
        self.diags.add(code, message, _span(self.file, marks), path=format_path(path), hint=hint)
        raise _Stop

    def node(self, path: Path, depth: int = 0) -> tuple[Any, int]:
        """Build the next node; returns its value and how many nodes it holds."""
        ev = self.take()
        marks = (ev.start_mark, ev.end_mark)
        self.doc.value_marks[path] = marks
        kind = ev.__class__  # libyaml makes exactly these classes: compare, not isinstance
        if kind is _ALIAS:
            if ev.anchor not in self.anchors:
                self._fail(
                    "yaml-syntax",
                    f"alias *{ev.anchor} refers to no anchor defined before it",
                    marks,
                    path,
                    f"define the anchor (&{ev.anchor}) before using the alias",
                )
            value, size, alias_info = self.anchors[str(ev.anchor)]
            self.aliases += 1
            self.expanded += size
            if self.aliases > MAX_ALIASES or self.expanded > MAX_ALIAS_NODES:
                self._fail(
                    "yaml-aliases",
                    f"more than {MAX_ALIASES} alias uses or {MAX_ALIAS_NODES:,} nodes through aliases",
                    marks,
                    path,
                    "use column groups ('...name:') instead of YAML anchors and aliases",
                )
            if alias_info is not None:
                self.doc.scalars[path] = alias_info
            return value, size
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._fail(
                "yaml-too-large",
                f"the document has more than {MAX_NODES:,} nodes",
                marks,
                path,
                "split the spec",
            )
        if depth > MAX_DEPTH:
            self._fail(
                "yaml-too-deep",
                f"the document nests deeper than {MAX_DEPTH} levels",
                marks,
                path,
                "a spec is a few levels deep; check the indentation",
            )
        tag = ev.tag  # every event but an alias (handled above) has one
        if tag is not None and tag != "!":
            self.diags.add(
                "yaml-tag",
                f"explicit YAML tag {tag!r} is not allowed",
                _span(self.file, marks),
                path=format_path(path),
                hint="remove the tag; a spec holds only plain mappings, lists and scalars",
            )
        info: ScalarInfo | None = None
        if kind is _SCALAR:
            if "\x00" in ev.value:  # written as an escape ("\0"): no SQL text may hold it
                self.diags.add(
                    "nul-byte",
                    "the value contains a NUL character (an escape such as \\0 or \\x00)",
                    _span(self.file, marks),
                    path=format_path(path),
                    hint="remove the NUL character; PostgreSQL text cannot hold it",
                )
            raw = _unmask(ev.value, self.masked) if self.masked else ev.value
            value, info = _scalar(raw, ev.style)
            self.doc.scalars[path] = info
            size = 1
        elif kind is _SEQUENCE_START:
            value, size = self._sequence(path, depth)
        else:
            value, size = self._mapping(path, depth)
        if tag is not None and tag != "!":
            value = None
        if ev.anchor is not None:
            self.anchors[ev.anchor] = (value, size, info)
        return value, size

    def _sequence(self, path: Path, depth: int) -> tuple[list[Any], int]:
        out: list[Any] = []
        size = 1
        while self._peek().__class__ is not _SEQUENCE_END:
            value, n = self.node(path + (len(out),), depth + 1)
            out.append(value)
            size += n
        self.take()
        return out, size

    def _mapping(self, path: Path, depth: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        key_marks = self.doc.key_marks
        size = 1
        while True:
            kev = self._peek()
            if kev.__class__ is _MAPPING_END:
                break
            kmarks = (kev.start_mark, kev.end_mark)
            if kev.__class__ is not _SCALAR or (kev.tag is not None and kev.tag != "!"):
                self.diags.add(
                    "yaml-key",
                    "mapping keys must be plain scalars",
                    _span(self.file, kmarks),
                    path=format_path(path),
                    hint="write the key as a plain name",
                )
                self.node(path + ("?",), depth + 1)  # skip the key ...
                self.node(path + ("?",), depth + 1)  # ... and its value
                continue
            self.take()
            key = _unmask(kev.value, self.masked) if self.masked else kev.value
            kpath = path + (key,)
            if key == "<<" and not kev.style:
                self.diags.add(
                    "yaml-merge",
                    "YAML merge keys ('<<') are not supported",
                    _span(self.file, kmarks),
                    path=format_path(path),
                    hint="use a column group and '...group_name:' to reuse columns",
                )
                self.node(path + ("<<",), depth + 1)
                continue
            if key in out:  # a key's value is in ``out`` once read, its marks in key_marks
                prev, here = _span(self.file, key_marks[kpath]), _span(self.file, kmarks)
                self.diags.add(
                    "duplicate-key",
                    f"duplicate key {key!r} (first defined on line {prev.line})",
                    here,
                    path=format_path(kpath),
                    hint=f"remove one of the two {key!r} entries (lines {prev.line} and {here.line})",
                )
                self.node(path + ("?",), depth + 1)
                continue
            key_marks[kpath] = kmarks
            value, n = self.node(kpath, depth + 1)
            out[key] = value
            size += n
        self.take()
        return out, size

    def attach(self, loader: Any) -> None:
        """Read events straight from the parser (libyaml's own look-ahead)."""
        self._peek = loader.peek_event
        self.take = loader.get_event


def _decode(raw: bytes, file: str, diags: Diagnostics) -> str | None:
    if len(raw) > MAX_BYTES:
        diags.add(
            "file-too-large",
            f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}",
            Span(file, 1, 1),
            hint="a spec this large is almost certainly not hand-written YAML",
        )
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        diags.add(
            "encoding",
            f"invalid UTF-8 byte 0x{raw[exc.start]:02x}",
            Span(file, line, col),
            hint="save the file as UTF-8",
        )
        return None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        col = nul - (text.rfind("\n", 0, nul) + 1) + 1
        diags.add(
            "nul-byte",
            "the file contains a NUL character",
            Span(file, line, col),
            hint="remove the NUL character; it is never valid in a spec",
        )
        return None
    return text


def load_yaml(raw: bytes, file: str, diags: Diagnostics) -> Document | None:
    """Parse one YAML document; on failure add diagnostics and return None."""
    text = _decode(raw, file, diags)
    if text is None:
        return None
    text, masked = _mask(text)
    lines = [_unmask(line, masked) for line in text.splitlines()]
    doc = Document(file, None, lines)
    builder = _Builder(doc, diags)
    builder.masked = masked
    loader = None
    try:
        loader = _Loader(text)
        builder.attach(loader)
        first = builder._peek()
        assert isinstance(first, yaml.StreamStartEvent)
        builder.take()
        if isinstance(builder._peek(), yaml.StreamEndEvent):
            diags.add(
                "empty-spec",
                "the spec is empty",
                Span(file, 1, 1),
                hint="start with 'version: 1' and a 'tables:' mapping",
            )
            return None
        builder.take()  # DocumentStart
        doc.data, _ = builder.node(())
        builder.take()  # DocumentEnd
        extra = builder._peek()
        if isinstance(extra, yaml.DocumentStartEvent):
            marks = (extra.start_mark, extra.end_mark)
            diags.add(
                "multiple-documents",
                "the file holds more than one YAML document; a spec is one document",
                _span(file, marks),
                hint="remove the '---' separator and merge the documents",
            )
            return None
    except _Stop:
        return None
    except RecursionError:
        diags.add("yaml-too-deep", "the document nests too deeply", Span(file, 1, 1))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = Span(file, mark.line + 1, mark.column + 1) if mark else Span(file, 1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        hint = "check indentation and quoting near this position"
        if "\t" in (lines[span.line - 1] if 0 < span.line <= len(lines) else ""):
            hint = "YAML does not allow tabs for indentation; indent with spaces"
        if "found undefined alias" in problem or "undefined alias" in str(exc):
            hint = "define the anchor (&name) before using the alias (*name)"
        diags.add("yaml-syntax", f"YAML syntax error: {problem}", span, hint=hint)
        return None
    except yaml.YAMLError as exc:  # reader errors without a mark
        diags.add("yaml-syntax", f"YAML error: {exc}", Span(file, 1, 1))
        return None
    finally:
        if loader is not None:
            loader.dispose()
    return doc
