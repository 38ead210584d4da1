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


# Where one node was written: (start and end mark of its key, None in a list or
# at the top; start and end mark of its value; what is inside).  What is inside
# is a dict of places by key for a mapping, a list of places for a sequence; for
# a scalar (or an alias of one), its text if it is plain, its ScalarInfo if it
# is quoted; None for an alias of a collection (whose insides are not
# positioned again).  Marks are PyYAML's own; they become spans, and a plain
# scalar's text a ScalarInfo, only when someone asks.
Place = tuple[Any, Any, Any, Any, Any]


@dataclass
class Document:
    """Plain data plus where every piece of it came from.

    A large spec has hundreds of thousands of nodes and almost never an error,
    so positions are kept as the parser's own marks in a tree shaped like the
    data (see Place): no key path is built for a node unless someone looks it up.
    """

    file: str
    data: Any
    lines: list[str]
    root: Place = (None, None, None, None, None)
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

    def _place(self, path: Path) -> tuple[Place | None, Place]:
        """The place of ``path`` (None if nothing was written there) and of its
        longest prefix that was."""
        place = self.root
        for part in self._written(path) if self.renamed else path:
            inside = place[4]
            if inside.__class__ is dict:
                found = inside.get(part)
            elif inside.__class__ is list and part.__class__ is int and 0 <= part < len(inside):
                found = inside[part]
            else:
                found = None
            if found is None:
                return None, place
            place = found
        return place, place

    def scalar(self, path: Path) -> ScalarInfo | None:
        inside = place[4] if (place := self._place(path)[0]) is not None else None
        if inside.__class__ is str:
            return _plain_info(inside)
        return inside if inside.__class__ is ScalarInfo else None

    def span(self, path: Path) -> Span | None:
        """The best span for a path: its value, else its nearest parent's."""
        _, nearest = self._place(path)
        return _span(self.file, nearest[2], nearest[3]) if nearest[2] is not None else None

    def key_span(self, path: Path) -> Span | None:
        place, nearest = self._place(path)
        if place is not None and place[0] is not None:
            return _span(self.file, place[0], place[1])
        return _span(self.file, nearest[2], nearest[3]) if nearest[2] is not None else None


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


def _span(file: str, start: Any, end: Any) -> Span:
    return Span(file, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _at(file: str, event: Any) -> Span:
    return _span(file, event.start_mark, event.end_mark)


# A spec repeats the same scalars (uuid, true, cascade) in every table; the answers
# are immutable (a str, number, bool or None; a frozen ScalarInfo), so shared.
# One argument each: a cache keyed by the string itself is the cheapest to ask.
@lru_cache(maxsize=1 << 16)
def _plain(raw: str) -> tuple[Any, str]:
    """What a plain (unquoted) scalar means, and why it may not mean what it looks
    like ("" when it surely does).  A quoted or block scalar is always its text."""
    if raw in ("", "~", "null", "Null", "NULL"):
        return None, ""
    if raw == "true":
        return True, ""
    if raw == "false":
        return False, ""
    if raw[0] not in _AMBIGUOUS_START and raw.lower() not in _AMBIGUOUS_WORDS:
        return raw, ""  # a name such as 'text' or 'cascade' (no number starts so)
    if _INT.fullmatch(raw):
        if len(raw) > 4000:  # int() refuses over 4,300 digits; no column holds such a number
            return raw, "is a number too long to read"
        return int(raw), ""
    if _FLOAT.fullmatch(raw):
        return float(raw), ""
    for pattern, why in _AMBIGUOUS:
        if pattern.fullmatch(raw):
            return raw, why
    return raw, ""


@lru_cache(maxsize=1 << 12)
def _plain_info(raw: str) -> ScalarInfo:
    return ScalarInfo(raw, plain=True, ambiguous=_plain(raw)[1])


@lru_cache(maxsize=1 << 12)
def _quoted_info(raw: str) -> ScalarInfo:
    return ScalarInfo(raw, plain=False)


_ALIAS, _SCALAR = yaml.AliasEvent, yaml.ScalarEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_MAPPING_END = yaml.MappingEndEvent


class _Stop(Exception):
    """The document cannot be read further (too deep, too large)."""


class _Builder:
    """Builds plain data, and the places it was written, from PyYAML's events.

    Working on events rather than composed nodes is several times faster with
    libyaml, and lets us count alias expansions as they happen.  A value is
    read from the event that starts it, taken by its container; a node with
    no anchor or tag (nearly all of a spec) is read by its mapping's own loop,
    a plain scalar without a call or a key path of its own (see _inline).
    """

    def __init__(self, doc: Document, diags: Diagnostics, masked: dict[str, str]):
        self.doc = doc
        self.diags = diags
        self.file = doc.file
        self.anchors: dict[str, tuple[Any, int, str | ScalarInfo | None]] = {}
        self.next: Any = None  # the parser's get_event, see attach
        self.aliases = 0
        self.expanded = 0
        self.nodes = 0
        self.masked = masked  # see _mask

    def _fail(self, code: str, message: str, event: Any, path: Path, hint: str) -> None:
        self.diags.add(code, message, _at(self.file, event), path=format_path(path), hint=hint)
        raise _Stop

    def _too_large(self, ev: Any, path: Path) -> None:
        self._fail(
            "yaml-too-large",
            f"the document has more than {MAX_NODES:,} nodes",
            ev,
            path,
            "split the spec",
        )

    def _nul(self, ev: Any, path: Path) -> None:
        self.diags.add(  # written as an escape ("\0"): no SQL text may hold it
            "nul-byte",
            "the value contains a NUL character (an escape such as \\0 or \\x00)",
            _at(self.file, ev),
            path=format_path(path),
            hint="remove the NUL character; PostgreSQL text cannot hold it",
        )

    def node(self, ev: Any, path: Path, depth: int = 0) -> tuple[Any, int, Any]:
        """Build the node event ``ev`` starts: its value, how many nodes it holds
        and what is inside its place (see Place)."""
        kind = ev.__class__  # libyaml makes exactly these classes: compare, not isinstance
        if kind is _ALIAS:
            if ev.anchor not in self.anchors:
                self._fail(
                    "yaml-syntax",
                    f"alias *{ev.anchor} refers to no anchor defined before it",
                    ev,
                    path,
                    f"define the anchor (&{ev.anchor}) before using the alias",
                )
            value, size, info = self.anchors[str(ev.anchor)]
            self.aliases += 1
            self.expanded += size
            if self.aliases > MAX_ALIASES or self.expanded > MAX_ALIAS_NODES:
                self._fail(
                    "yaml-aliases",
                    f"more than {MAX_ALIASES} alias uses or {MAX_ALIAS_NODES:,} nodes through aliases",
                    ev,
                    path,
                    "use column groups ('...name:') instead of YAML anchors and aliases",
                )
            return value, size, info
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._too_large(ev, path)
        if depth > MAX_DEPTH:
            self._fail(
                "yaml-too-deep",
                f"the document nests deeper than {MAX_DEPTH} levels",
                ev,
                path,
                "a spec is a few levels deep; check the indentation",
            )
        tag = ev.tag  # every event but an alias (handled above) has one
        if tag is not None and tag != "!":
            self.diags.add(
                "yaml-tag",
                f"explicit YAML tag {tag!r} is not allowed",
                _at(self.file, ev),
                path=format_path(path),
                hint="remove the tag; a spec holds only plain mappings, lists and scalars",
            )
        inside: dict[str, Place] | list[Place] | str | ScalarInfo
        scalar: str | ScalarInfo | None = None  # what an alias of this node holds (see Place)
        if kind is _SCALAR:
            if "\x00" in ev.value:
                self._nul(ev, path)
            raw = _unmask(ev.value, self.masked) if self.masked else ev.value
            value, scalar = (raw, _quoted_info(raw)) if ev.style else (_plain(raw)[0], raw)
            size, inside = 1, scalar
        elif kind is _SEQUENCE_START:
            value, size, inside = self._sequence(path, depth)
        else:
            value, size, inside = self._mapping(path, depth)
        if tag is not None and tag != "!":
            value = None
        if ev.anchor is not None:
            self.anchors[ev.anchor] = (value, size, scalar)
        return value, size, inside

    def _inline(self, depth: int) -> bool:
        """Whether a container at ``depth`` may read its plain scalars itself:
        ``node`` would only read them, unless a stand-in is to be restored or a
        child is too deep."""
        return not self.masked and depth + 1 <= MAX_DEPTH

    def _sequence(self, path: Path, depth: int) -> tuple[list[Any], int, list[Place]]:
        out: list[Any] = []
        places: list[Place] = []
        size = 1
        next_event, inline = self.next, self._inline(depth)
        while (ev := next_event()).__class__ is not _SEQUENCE_END:
            if (  # a plain scalar read here; anything else by node
                inline
                and ev.__class__ is _SCALAR
                and ev.anchor is None
                and ev.tag is None
                and "\x00" not in ev.value
            ):
                self.nodes += 1
                if self.nodes > MAX_NODES:
                    self._too_large(ev, path + (len(out),))
                raw = ev.value  # read as node reads it
                value, inside = (raw, _quoted_info(raw)) if ev.style else (_plain(raw)[0], raw)
                size += 1
            else:
                value, n, inside = self.node(ev, path + (len(out),), depth + 1)
                size += n
            out.append(value)
            places.append((None, None, ev.start_mark, ev.end_mark, inside))
        return out, size, places

    def _mapping(self, path: Path, depth: int) -> tuple[dict[str, Any], int, dict[str, Place]]:
        out: dict[str, Any] = {}
        places: dict[str, Place] = {}
        size = 1
        next_event, inline, masked = self.next, self._inline(depth), self.masked
        while (kev := next_event()).__class__ is not _MAPPING_END:
            if kev.__class__ is not _SCALAR or (kev.tag is not None and kev.tag != "!"):
                self.diags.add(
                    "yaml-key",
                    "mapping keys must be plain scalars",
                    _at(self.file, kev),
                    path=format_path(path),
                    hint="write the key as a plain name",
                )
                self._skip(kev, places, path, depth)  # the key ...
                self._skip(next_event(), places, path, depth)  # ... and its value
                continue
            key = _unmask(kev.value, masked) if masked else kev.value
            if key == "<<" and not kev.style:
                self.diags.add(
                    "yaml-merge",
                    "YAML merge keys ('<<') are not supported",
                    _at(self.file, kev),
                    path=format_path(path),
                    hint="use a column group and '...group_name:' to reuse columns",
                )
                self._skip(next_event(), places, path, depth, "<<")
                continue
            if key in out:  # a key's value is in ``out`` once read, its place in ``places``
                prev, here = _span(self.file, *places[key][:2]), _at(self.file, kev)
                self.diags.add(
                    "duplicate-key",
                    f"duplicate key {key!r} (first defined on line {prev.line})",
                    here,
                    path=format_path(path + (key,)),
                    hint=f"remove one of the two {key!r} entries (lines {prev.line} and {here.line})",
                )
                self._skip(next_event(), places, path, depth)
                continue
            ev = next_event()
            if not inline or ev.anchor is not None or ev.tag is not None:  # an alias has an anchor
                out[key], n, inside = self.node(ev, path + (key,), depth + 1)
            else:  # nothing to refuse or remember: read here what node would read
                self.nodes += 1
                if self.nodes > MAX_NODES:
                    self._too_large(ev, path + (key,))
                kind = ev.__class__
                if kind is _SCALAR:
                    raw = ev.value
                    if "\x00" in raw:
                        self._nul(ev, path + (key,))
                    out[key], inside = (
                        (raw, _quoted_info(raw)) if ev.style else (_plain(raw)[0], raw)
                    )
                    n = 1
                elif kind is _SEQUENCE_START:
                    out[key], n, inside = self._sequence(path + (key,), depth + 1)
                else:
                    out[key], n, inside = self._mapping(path + (key,), depth + 1)
            size += n
            places[key] = (kev.start_mark, kev.end_mark, ev.start_mark, ev.end_mark, inside)
        return out, size, places

    def _skip(
        self, ev: Any, places: dict[str, Place], path: Path, depth: int, name: str = "?"
    ) -> None:
        """Read a node that is reported and left out of the data (a bad or
        duplicate key, a merge); its place is ``name``'s, as its diagnostics say."""
        _, _, inside = self.node(ev, path + (name,), depth + 1)
        key = places[name][:2] if name in places else (None, None)  # a real key keeps its own
        places[name] = (*key, ev.start_mark, ev.end_mark, inside)

    def attach(self, loader: Any) -> None:
        """Read events straight from the parser."""
        self.next = loader.get_event


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
    lines = text.splitlines()
    if masked:
        lines = [_unmask(line, masked) for line in lines]
    doc = Document(file, None, lines)
    builder = _Builder(doc, diags, masked)
    loader = None
    try:
        loader = _Loader(text)
        builder.attach(loader)
        first = loader.get_event()
        assert isinstance(first, yaml.StreamStartEvent)
        if isinstance(loader.peek_event(), yaml.StreamEndEvent):
            diags.add(
                "empty-spec",
                "the spec is empty",
                Span(file, 1, 1),
                hint="start with 'version: 1' and a 'tables:' mapping",
            )
            return None
        loader.get_event()  # DocumentStart
        root = loader.get_event()
        doc.data, _, inside = builder.node(root, ())
        doc.root = (None, None, root.start_mark, root.end_mark, inside)
        loader.get_event()  # DocumentEnd
        extra = loader.peek_event()
        if isinstance(extra, yaml.DocumentStartEvent):
            diags.add(
                "multiple-documents",
                "the file holds more than one YAML document; a spec is one document",
                _at(file, extra),
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
