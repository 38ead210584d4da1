"""TypeScript laid out as Prettier (default options) lays it out.

The generated schema.ts must pass ``prettier --check`` without the generator
running Node.  We build Prettier's own document model for the few shapes we
emit (calls, method chains, objects, arrays, arrows) and print it with
Prettier's algorithm: a group is flat when it fits in the rest of the line
(80 columns), otherwise broken; a conditional group takes its first state that
fits.  Only what schema.ts needs is here.
"""

from __future__ import annotations

from .pyfmt import width

WIDTH = 80
INDENT = "  "

# The document nodes are plain slotted classes rather than dataclasses: creating
# the six dataclasses took ~16 M instructions (some 4 ms) of every run that
# writes schema.ts, more than laying out a small schema.  Nothing compares them.


class Line:
    __slots__ = ("hard", "soft")

    def __init__(self, hard: bool = False, soft: bool = False) -> None:
        self.hard = hard
        self.soft = soft  # nothing when flat (a plain line is a space)


class Group:
    __slots__ = ("parts", "broken", "states", "printed_broken")

    def __init__(
        self, parts: list[Doc], broken: bool = False, states: list[Doc] | None = None
    ) -> None:
        self.parts = parts
        self.broken = broken  # shouldBreak: a newline Prettier keeps (an object's first line)
        self.states = states if states is not None else []  # a conditional group's states
        self.printed_broken = False  # set while printing, read by IndentIfBreak


class IndentIfBreak:
    """Indent ``parts`` when ``group`` was printed broken (Prettier's indentIfBreak)."""

    __slots__ = ("group", "parts")

    def __init__(self, group: Group, parts: tuple[Doc, ...]) -> None:
        self.group = group
        self.parts = parts


class Template(str):
    """A tagged template literal: never a "simple" call argument to Prettier."""


class Indent:
    __slots__ = ("parts",)

    def __init__(self, parts: tuple[Doc, ...]) -> None:
        self.parts = parts


class IfBreak:
    __slots__ = ("broken", "flat")

    def __init__(self, broken: str, flat: str = "") -> None:
        self.broken = broken
        self.flat = flat


# A tuple, not ``Indent | IndentIfBreak``: that union is a new object at every call.
_INDENTS = (Indent, IndentIfBreak)

Doc = str | Line | Group | Indent | IndentIfBreak | IfBreak | list["Doc"]
LINE, SOFT, HARD = Line(), Line(soft=True), Line(hard=True)


def _width(text: str) -> int:
    """Columns as Prettier counts them: wide characters (CJK, most emoji) take two."""
    return len(text) if text.isascii() else width(text)  # nearly every piece is ASCII


def indent(*parts: Doc) -> Indent:
    return Indent(tuple(parts))


def will_break(doc: Doc) -> bool:
    if isinstance(doc, Line):
        return doc.hard
    if isinstance(doc, Group):
        return doc.broken or any(will_break(p) for p in doc.parts)
    if isinstance(doc, _INDENTS):
        return any(will_break(p) for p in doc.parts)
    if isinstance(doc, list):
        return any(will_break(p) for p in doc)
    return False


def _propagate(doc: Doc, seen: dict[int, bool] | None = None) -> bool:
    """Prettier's propagateBreaks: a group holding a hard line is broken.

    A conditional group's states hold the same groups as its parts (and nested
    calls nest that), so each group is visited once per pass: ``seen`` keeps
    its answer by identity (the documents live through the pass).
    """
    if isinstance(doc, str):
        return False
    if seen is None:
        seen = {}
    if isinstance(doc, Line):
        return doc.hard
    if isinstance(doc, Group):
        known = seen.get(id(doc))
        if known is not None:
            return known
        inner = [_propagate(p, seen) for p in doc.parts]
        for state in doc.states:
            _propagate(state, seen)
        if any(inner) and not doc.states:
            doc.broken = True
        seen[id(doc)] = answer = doc.broken or any(inner)
        return answer
    if isinstance(doc, _INDENTS):
        return any([_propagate(p, seen) for p in doc.parts])
    if isinstance(doc, list):
        return any([_propagate(p, seen) for p in doc])
    return False


_Cmd = tuple[int, bool, Doc]  # (indent level, broken mode, doc)


def _fits(next_cmd: _Cmd, rest: list[_Cmd], width: int, must_flat: bool = False) -> bool:
    cmds = [next_cmd]
    rest_i = len(rest)
    while width >= 0:
        if not cmds:
            if rest_i == 0:
                return True
            rest_i -= 1
            cmds.append(rest[rest_i])
            continue
        level, broken, doc = cmds.pop()
        if isinstance(doc, str):
            width -= _width(doc)
        elif isinstance(doc, list):
            cmds.extend((level, broken, d) for d in reversed(doc))
        elif isinstance(doc, _INDENTS):
            cmds.extend((level + 1, broken, d) for d in reversed(doc.parts))
        elif isinstance(doc, IfBreak):
            width -= len(doc.broken if broken else doc.flat)
        elif isinstance(doc, Group):
            if must_flat and doc.broken:
                return False
            mode = doc.broken or broken
            body: Doc = doc.states[-1] if doc.states and mode else doc.parts
            cmds.append((level, mode, body))
        elif isinstance(doc, Line):
            if broken or doc.hard:
                return True
            if not doc.soft:
                width -= 1
    return False


def render(doc: Doc, width: int = WIDTH) -> str:
    _propagate(doc)
    out: list[str] = []
    pos = 0
    cmds: list[_Cmd] = [(0, True, doc)]
    while cmds:
        level, broken, d = cmds.pop()
        if isinstance(d, str):
            out.append(d)
            pos += _width(d)
        elif isinstance(d, list):
            cmds.extend((level, broken, x) for x in reversed(d))
        elif isinstance(d, Indent):
            cmds.extend((level + 1, broken, x) for x in reversed(d.parts))
        elif isinstance(d, IndentIfBreak):
            extra = 1 if d.group.printed_broken else 0
            cmds.extend((level + extra, broken, x) for x in reversed(d.parts))
        elif isinstance(d, IfBreak):
            text = d.broken if broken else d.flat
            out.append(text)
            pos += len(text)
        elif isinstance(d, Group):
            if not broken:  # a flat parent prints a group flat unless it must break
                d.printed_broken = d.broken
                cmds.append((level, d.broken, d.parts))
            elif not d.broken and _fits((level, False, d.parts), cmds, width - pos):
                d.printed_broken = False
                cmds.append((level, False, d.parts))
            elif d.states:  # a conditional group: the first later state that fits
                d.printed_broken = True
                chosen: _Cmd = (level, True, d.states[-1])
                if not d.broken:
                    for state in d.states[1:]:
                        if _fits((level, False, state), cmds, width - pos):
                            chosen = (level, False, state)
                            break
                cmds.append(chosen)
            else:
                d.printed_broken = True
                cmds.append((level, True, d.parts))
        elif isinstance(d, Line):
            if broken or d.hard:
                while out and out[-1].endswith(" "):  # Prettier trims trailing spaces
                    out[-1] = out[-1].rstrip(" ")
                out.append("\n" + INDENT * level)
                pos = len(INDENT) * level
            elif not d.soft:
                out.append(" ")
                pos += 1
    return "".join(out)


# -- the shapes ---------------------------------------------------------------


def _listing(open_: str, items: list[Doc], close: str, *, spaced: bool) -> list[Doc]:
    sep: Doc = LINE if spaced else SOFT
    body: list[Doc] = []
    for i, item in enumerate(items):
        body += [item] if i == 0 else [",", LINE, item]
    return [open_, indent(sep, *body), IfBreak(","), sep, close]


def obj(props: list[Doc], *, broken: bool = False) -> Group:
    if not props:
        return Group(["{}"])
    return HugArg(_listing("{", props, "}", spaced=True), broken=broken)


def arr(items: list[Doc]) -> Group:
    if not items:
        return Group(["[]"])
    return HugArg(_listing("[", items, "]", spaced=False))


def prop(key: str, value: Doc) -> Doc:
    return [key, ": ", value]


def _huggable(doc: Doc) -> bool:
    return isinstance(doc, HugArg)


class HugArg(Group):
    """An object, array or arrow argument that a call may hug: ``f({`` ... ``})``."""

    __slots__ = ()


def hug(doc: Group) -> HugArg:
    return HugArg(doc.parts, doc.broken, doc.states)


def assign(head: str, value: Doc, *, poorly_breakable: bool = False) -> str:
    """``head = value;`` as Prettier's assignment layouts print it at top level.

    "fluid": break after ``=`` only when the value cannot even start on the line;
    "break-after-operator" (a short call with short arguments): when it does not fit.
    """
    if poorly_breakable:
        return render(Group([head, " =", Group([indent(LINE, value)]), ";"]))
    small = Group([indent(LINE)])
    return render(Group([head, " =", small, IndentIfBreak(small, (value,)), ";"]))


def args(items: list[Doc]) -> Doc:
    """A call's argument list, with Prettier's last-argument hugging."""
    if not items:
        return "()"
    all_broken = Group(_listing("(", items, ")", spaced=False), broken=True)
    last = items[-1]
    if not _huggable(last) or any(will_break(i) for i in items[:-1]):
        if any(will_break(i) for i in items):
            return all_broken
        return Group(_listing("(", items, ")", spaced=False))
    head: list[Doc] = ["("]
    for item in items[:-1]:
        head += [item, ", "]
    assert isinstance(last, Group)
    expanded = Group(last.parts, broken=True)
    if will_break(last):
        return Group(
            [*head, last, ")"], states=[[*head, last, ")"], [*head, expanded, ")"], all_broken]
        )
    return Group(
        [*head, last, ")"], states=[[*head, last, ")"], [*head, expanded, ")"], all_broken]
    )


def call(callee: str, *items: Doc) -> Doc:
    return [callee, args(list(items))]


def _simple(doc: Doc) -> bool:
    """Prettier's isSimpleCallArgument, for what we pass: not a template, not an arrow."""
    if isinstance(doc, Template):
        return False
    if isinstance(doc, list):
        return not (doc and isinstance(doc[0], str) and doc[0].endswith(" => ")) and all(
            _simple(d) for d in doc
        )
    if isinstance(doc, (Group, Indent)):
        return all(_simple(d) for d in doc.parts)
    return True


def chain(head: Doc, methods: list[tuple[str, list[Doc]]]) -> Doc:
    """``head.m1(...).m2(...)``, broken one method a line as Prettier's member chain.

    Two or more methods after a call break when any argument is not simple
    (an arrow function), or when the chain does not fit on its line.
    """
    printed = [[f".{name}", args(a)] for name, a in methods]
    one_line: list[Doc] = [head, *printed]
    if len(methods) <= 1:  # two groups (head and one method): Prettier's cutoff
        return Group(one_line)
    lines: list[Doc] = [[HARD, p] for p in printed]
    expanded: list[Doc] = [head, indent(*lines)]
    if not all(_simple(a) for _, items in methods for a in items):
        return Group(expanded, broken=True)
    return Group(one_line, states=[one_line, expanded])


def arrow(params: str, body: Doc) -> Doc:
    return [f"{params} => ", body]


def template(tag: str, text: str) -> Template:
    r"""A tagged template literal: ``sql`...``` with backticks and ``${`` escaped."""
    body = text.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
    return Template(f"{tag}`{body}`")


def string(text: str) -> str:
    """A string literal as Prettier prints it: double quotes unless single need fewer escapes."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    body = text.replace("\\", "\\\\").replace(quote, "\\" + quote)
    for ch, esc in (("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"), ("\u2028", "\\u2028")):
        body = body.replace(ch, esc)
    return quote + body + quote
