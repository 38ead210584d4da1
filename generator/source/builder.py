"""PyYAML's parser events turned into plain data and the places it was written.

The builder is where the loader's refusals happen as the document is read:
duplicate keys, explicit tags, merge keys, NUL characters, and the limits
below (depth, nodes, aliases), so a "billion laughs" file cannot blow up.
The line-break stand-ins (``_mask``) are here too: ``loader.py`` parses the
text masked with them, and the builder restores them in every value and key.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..diagnostics import Diagnostics, Span
from .document import Document, Path, Place, _span, format_path
from .scalars import ScalarInfo, _plain, _quoted_info

MAX_ALIASES = 100
MAX_NODES = 2_000_000
MAX_DEPTH = 64
MAX_ALIAS_NODES = 10_000  # nodes reachable through aliases, all uses added up

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


def _at(file: str, event: Any) -> Span:
    return _span(file, event.start_mark, event.end_mark)


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
