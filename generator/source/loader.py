"""Load one YAML document from bytes: decoded, parsed and built into a ``Document``.

The file is refused whole when it cannot be a spec (too large, not UTF-8, a
NUL byte, empty, several documents) or does not parse; each refusal is a
diagnostic and the result None.  Parsing is libyaml's when it is installed,
and reading what it parses is ``builder.py``'s.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..diagnostics import Diagnostics, Span
from .builder import _at, _Builder, _mask, _Stop, _unmask
from .document import Document

MAX_BYTES = 32 * 1024 * 1024

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
