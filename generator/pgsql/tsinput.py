"""Does PostgreSQL 15 read this text as a tsvector, a tsquery or a bytea?

``document @@ 'cat & dog'`` on a tsvector column reads the literal with
tsquery's input (not to_tsquery: no parser, no dictionaries), ``DEFAULT
'a:1'`` on a tsvector with tsvector_in.  Both share one lexeme scanner
(tsvector_parser.c's gettoken_tsvector), re-read here state by state; tsquery.c
adds operators, parentheses, :weights and the phrase operator <N>.  Texts with
a non-ASCII space or digit are not judged: the server asks the locale
(iswspace/iswdigit) about those.
"""

from __future__ import annotations

import re

_SPACE = " \t\n\r\v\f"
_OPERATOR = set("!&|()<")
_MAXSTRLEN = 2048  # bytes in one lexeme
_MAXENTRYPOS = 1 << 14


class _Refused(Exception):
    pass


def _undecidable(text: str) -> bool:
    return any(ord(c) > 127 and (c.isspace() or c.isdigit()) for c in text)


def tsvector_problem(text: str) -> bool:
    """True when tsvector_in refuses ``text``."""
    if _undecidable(text):
        return False
    try:
        i = 0
        while True:
            token = _lexeme(text, i, query=False)
            if token is None:
                return False
            i = token
    except _Refused:
        return True


def tsquery_problem(text: str) -> bool:
    """True when tsquery_in refuses ``text`` ('' and blanks are an empty query)."""
    if _undecidable(text):
        return False
    try:
        _Query(text).run(0)
    except _Refused:
        return True
    return False


def _position(digits: str) -> int:
    """LIMITPOS(atoi(digits)) as glibc computes it, masked to 14 bits."""
    value = min(int(digits), 2**63 - 1) & 0xFFFFFFFF  # strtol clamps, int keeps 32 bits
    value = value - 2**32 if value >= 2**31 else value
    return (_MAXENTRYPOS - 1 if value >= _MAXENTRYPOS else value) & 0x3FFF


def _lexeme(text: str, i: int, *, query: bool) -> int | None:
    """gettoken_tsvector from ``i``: where the lexeme ends (its positions read,
    for a tsvector), or None at the end of the text."""
    n = len(text)
    word: list[str] = []
    state, back = "word", ""
    weight = 0
    while True:
        c = text[i] if i < n else ""
        if state == "word":
            if c == "":
                return None
            if c == "'":
                state = "cmplx"
            elif c == "\\":
                state, back = "next", "endword"
            elif query and c in _OPERATOR:
                raise _Refused
            elif c not in _SPACE:
                word.append(c)
                state = "endword"
        elif state == "next":
            if c == "":
                raise _Refused  # there is no escaped character
            word.append(c)
            state = back
        elif state == "endword":
            if c == "\\":
                state, back = "next", "endword"
            elif c == "" or c in _SPACE or (query and c in _OPERATOR):
                return _done(word, i)
            elif c == ":":
                if query:
                    return _done(word, i)
                _size(word)
                state = "posinfo"
            else:
                word.append(c)
        elif state == "cmplx":
            if c == "'":
                state = "charcmplx"
            elif c == "\\":
                state, back = "next", "cmplx"
            elif c == "":
                raise _Refused
            else:
                word.append(c)
        elif state == "charcmplx":
            if c == "'":
                word.append(c)
                state = "cmplx"
                i += 1
                continue
            if not word:
                raise _Refused
            if query:
                return _done(word, i)
            state = "waitpos"
            continue  # recheck this character
        elif state == "waitpos":
            if c != ":":
                return _done(word, i)
            _size(word)
            state = "posinfo"
        elif state == "posinfo":
            digits = re.match(r"[0-9]+", text[i:])
            if digits is None:
                raise _Refused
            if _position(digits.group()) == 0:
                raise _Refused  # wrong position info
            state, weight = "posdelim", 0
        elif state == "posdelim":
            if c == ",":
                state = "posinfo"
            elif c and c in "aAbBcC*":
                if weight:
                    raise _Refused
                weight = 1
            elif c and c in "dD":
                if weight:
                    raise _Refused
            elif c == "" or c in _SPACE:
                return i
            elif not c.isdigit():
                raise _Refused
        i += 1


def _size(word: list[str]) -> None:
    if not word:
        raise _Refused
    if len("".join(word).encode()) >= _MAXSTRLEN:
        raise _Refused  # word is too long


def _done(word: list[str], i: int) -> int:
    _size(word)
    return i


class _Query:
    """tsquery.c's makepol over gettoken_query_standard, with its operator stack
    (32 deep: 33 pending operators are "tsquery stack too small")."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.state = "first"
        self.depth = 0

    def token(self) -> tuple[str, int]:
        text = self.text
        while True:
            c = text[self.i] if self.i < len(text) else ""
            if self.state in ("first", "operand"):
                if c == "!":
                    self.i += 1
                    self.state = "operand"
                    return "opr", 4
                if c == "(":
                    self.i += 1
                    self.state = "operand"
                    self.depth += 1
                    return "open", 0
                if c == ":":
                    raise _Refused
                if c == "" or c not in _SPACE:  # the end too: the lexeme scanner sees the end
                    end = _lexeme(text, self.i, query=True)
                    if end is None:
                        if self.state == "first":
                            return "end", 0
                        raise _Refused  # no operand in tsquery
                    self.i = self._modifiers(end)
                    self.state = "operator"
                    return "val", 0
            else:
                if c in ("&", "|"):
                    self.i += 1
                    self.state = "operand"
                    return "opr", 2 if c == "&" else 1
                if self._phrase():
                    self.state = "operand"
                    return "opr", 3
                if c == ")":
                    self.i += 1
                    self.depth -= 1
                    if self.depth < 0:
                        raise _Refused
                    return "close", 0
                if c == "":
                    if self.depth:
                        raise _Refused
                    return "end", 0
                if c not in _SPACE:
                    raise _Refused
            self.i += 1

    def _modifiers(self, i: int) -> int:
        if self.text[i : i + 1] != ":":
            return i
        i += 1
        while i < len(self.text) and self.text[i] in "aAbBcCdD*":
            i += 1
        return i

    def _phrase(self) -> bool:
        """parse_phrase_operator: <->, <N> with 0 <= N <= 16384, not at the end."""
        match = re.match(r"<(-|[0-9]+)>", self.text[self.i :])
        if match is None or self.i + match.end() >= len(self.text):
            return False
        if match[1] != "-" and int(match[1]) > _MAXENTRYPOS:
            raise _Refused
        self.i += match.end()
        return True

    def run(self, level: int) -> None:
        stack: list[int] = []
        while True:
            kind, priority = self.token()
            if kind == "end":
                return
            if kind == "opr":
                while stack and (
                    (priority != 4 and priority <= stack[-1])
                    or (priority == 4 and priority < stack[-1])
                ):
                    stack.pop()
                if len(stack) == 32:
                    raise _Refused  # tsquery stack too small
                stack.append(priority)
            elif kind == "open":
                self.run(level + 1)
            elif kind == "close":
                return


def bytea_problem(text: str) -> bool:
    """True when byteain refuses ``text``: '\\x' hex pairs (blanks between
    pairs), or the escape form where a backslash starts \\\\ or \\ooo."""
    if text.startswith("\\x"):
        # hex_decode skips blanks before a pair, never inside one
        return re.fullmatch(r"(?:[ \n\t\r]*[0-9A-Fa-f]{2})*[ \n\t\r]*", text[2:]) is None
    return re.fullmatch(r"(?:[^\\]|\\\\|\\[0-3][0-7][0-7])*", text, re.DOTALL) is None
