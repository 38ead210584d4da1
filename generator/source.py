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
from typing import Any

import yaml

from .diagnostics import Diagnostics, Span

MAX_BYTES = 32 * 1024 * 1024
MAX_ALIASES = 100
MAX_NODES = 2_000_000

Path = tuple[str | int, ...]

_IMPLICIT = "tag:schemagen:implicit"

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
# Plain scalars that YAML 1.1 (and so many tools and readers) would convert.
_AMBIGUOUS = [
    (re.compile(r"(?i)y|n|yes|no|on|off"), "is a boolean in YAML 1.1"),
    (re.compile(r"(?i)true|false"), "has unusual capitalisation for a boolean"),
    (re.compile(r"[-+]?0[0-7]+|[-+]?0o[0-7]+"), "is an octal number in YAML 1.1"),
    (re.compile(r"[-+]?0x[0-9a-fA-F]+"), "is a hexadecimal number"),
    (re.compile(r"[-+]?[0-9][0-9_]*(\.[0-9_]*)?"), "contains '_' digit separators"),
    (re.compile(r"[-+]?[0-9]+(:[0-5]?[0-9])+(\.[0-9_]*)?"), "is a sexagesimal number in YAML 1.1"),
    (re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?"), "is a date in YAML 1.1"),
    (re.compile(r"[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"), "is a special float"),
    (
        re.compile(r"[-+]?\.[0-9]+([eE][-+]?[0-9]+)?|[-+]?[0-9]+\.([eE][-+]?[0-9]+)?"),
        "is a float in YAML 1.1",
    ),
]


@dataclass(frozen=True)
class ScalarInfo:
    raw: str
    plain: bool
    ambiguous: str = ""  # why a plain scalar may not mean what it looks like


@dataclass
class Document:
    """Plain data plus where every piece of it came from."""

    file: str
    data: Any
    lines: list[str]
    value_spans: dict[Path, Span] = field(default_factory=dict)
    key_spans: dict[Path, Span] = field(default_factory=dict)
    scalars: dict[Path, ScalarInfo] = field(default_factory=dict)

    def span(self, path: Path) -> Span | None:
        """The best span for a path: the value, else the key, else the nearest parent."""
        while True:
            if path in self.value_spans:
                return self.value_spans[path]
            if path in self.key_spans:
                return self.key_spans[path]
            if not path:
                return None
            path = path[:-1]

    def key_span(self, path: Path) -> Span | None:
        return self.key_spans.get(path) or self.span(path)


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            needs_quotes = not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part)
            text = f'"{part}"' if needs_quotes else part
            out += (
                ("." if out else "") + text if not needs_quotes else (f"[{text}]" if out else text)
            )
    return out


if hasattr(yaml, "CSafeLoader"):
    _Base: Any = yaml.CSafeLoader
else:  # pragma: no cover - libyaml is in every PyYAML wheel
    _Base = yaml.SafeLoader


class _Composer(_Base):  # type: ignore[misc]
    """Composes nodes only; every untagged node gets one neutral tag."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return _IMPLICIT


def _span(file: str, node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(file, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _scalar(node: yaml.ScalarNode) -> tuple[Any, ScalarInfo]:
    raw = node.value
    if node.style:  # quoted or block scalar: always a string (libyaml says "" for plain)
        return raw, ScalarInfo(raw, plain=False)
    if raw in ("", "~", "null", "Null", "NULL"):
        return None, ScalarInfo(raw, plain=True)
    if raw == "true":
        return True, ScalarInfo(raw, plain=True)
    if raw == "false":
        return False, ScalarInfo(raw, plain=True)
    if _INT.fullmatch(raw):
        return int(raw), ScalarInfo(raw, plain=True)
    if _FLOAT.fullmatch(raw):
        return float(raw), ScalarInfo(raw, plain=True)
    for pattern, why in _AMBIGUOUS:
        if pattern.fullmatch(raw):
            return raw, ScalarInfo(raw, plain=True, ambiguous=why)
    return raw, ScalarInfo(raw, plain=True)


class _Builder:
    def __init__(self, doc: Document, diags: Diagnostics):
        self.doc = doc
        self.diags = diags
        self.file = doc.file
        self.seen: set[int] = set()
        self.aliases = 0
        self.nodes = 0
        self.too_big = False

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            if not self.too_big:
                self.too_big = True
                self.diags.add(
                    "yaml-too-large",
                    f"the document expands to more than {MAX_NODES:,} nodes",
                    _span(self.file, node),
                    hint="split the spec or remove repeated aliases",
                )
            return None
        if id(node) in self.seen and not isinstance(node, yaml.ScalarNode):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                if self.aliases == MAX_ALIASES + 1:
                    self.diags.add(
                        "yaml-aliases",
                        f"more than {MAX_ALIASES} alias expansions",
                        _span(self.file, node),
                        path=format_path(path),
                        hint="use column groups ('...name:') instead of YAML anchors and aliases",
                    )
                return None
        self.seen.add(id(node))
        self.doc.value_spans[path] = _span(self.file, node)
        if node.tag != _IMPLICIT and node.tag != "!":
            self.diags.add(
                "yaml-tag",
                f"explicit YAML tag {node.tag!r} is not allowed",
                _span(self.file, node),
                path=format_path(path),
                hint="remove the tag; a spec holds only plain mappings, lists and scalars",
            )
            return None
        if isinstance(node, yaml.ScalarNode):
            value, info = _scalar(node)
            self.doc.scalars[path] = info
            return value
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        return self._mapping(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first: dict[str, Span] = {}
        for knode, vnode in node.value:
            kspan = _span(self.file, knode)
            if not isinstance(knode, yaml.ScalarNode) or (
                knode.tag != _IMPLICIT and knode.tag != "!"
            ):
                self.diags.add(
                    "yaml-key",
                    "mapping keys must be plain scalars",
                    kspan,
                    path=format_path(path),
                    hint="write the key as a plain name",
                )
                continue
            key = knode.value
            if key == "<<" and not knode.style:
                self.diags.add(
                    "yaml-merge",
                    "YAML merge keys ('<<') are not supported",
                    kspan,
                    path=format_path(path),
                    hint="use a column group and '...group_name:' to reuse columns",
                )
                continue
            if key in first:
                prev = first[key]
                self.diags.add(
                    "duplicate-key",
                    f"duplicate key {key!r} (first defined on line {prev.line})",
                    kspan,
                    path=format_path(path + (key,)),
                    hint=f"remove one of the two {key!r} entries (lines {prev.line} and {kspan.line})",
                )
                continue
            first[key] = kspan
            self.doc.key_spans[path + (key,)] = kspan
            out[key] = self.build(vnode, path + (key,))
        return out


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
    lines = text.splitlines()
    try:
        loader = _Composer(text)
        try:
            nodes: list[yaml.Node] = []
            while loader.check_node():
                nodes.append(loader.get_node())
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = Span(file, mark.line + 1, mark.column + 1) if mark else Span(file, 1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        hint = "check indentation and quoting near this position"
        if "\t" in (lines[span.line - 1] if 0 < span.line <= len(lines) else ""):
            hint = "YAML does not allow tabs for indentation; indent with spaces"
        diags.add("yaml-syntax", f"YAML syntax error: {problem}", span, hint=hint)
        return None
    except yaml.YAMLError as exc:  # reader errors without a mark
        diags.add("yaml-syntax", f"YAML error: {exc}", Span(file, 1, 1))
        return None
    doc = Document(file, None, lines)
    if not nodes:
        diags.add(
            "empty-spec",
            "the spec is empty",
            Span(file, 1, 1),
            hint="start with 'version: 1' and a 'tables:' mapping",
        )
        return None
    if len(nodes) > 1:
        diags.add(
            "multiple-documents",
            f"the file holds {len(nodes)} YAML documents; a spec is one document",
            _span(file, nodes[1]),
            hint="remove the '---' separator and merge the documents",
        )
        return None
    doc.data = _Builder(doc, diags).build(nodes[0], ())
    return doc
