"""Does PostgreSQL 15's jsonpath_in read this text?

``payload @@ 'cat & dog'`` on a jsonb column is ``jsonb @@ jsonpath``: the
literal is a jsonpath, which the server parses when the DDL runs.  This is a
re-reading of jsonpath_scan.l (a flex scanner: longest match, the first rule
on a tie) and jsonpath_gram.y (an LALR grammar, here recursive descent), plus
the checks jsonpath_in makes after parsing: ``@`` only inside a filter,
``last`` only inside a subscript, like_regex flags, numbers numeric_in reads.
"""

from __future__ import annotations

import re

from .regex import regex_unbalanced

_SPECIAL = set('?%$.[]{}()|&!=<>@#,*:-+/\\" \t\n\r\f')
_BLANK = " \t\n\r\f"
_OTHER = re.compile(r"[^?%$.\[\]{}()|&!=<>@#,*:\-+/\\\" \t\n\r\f]+")
_INTEGER = r"(?:0|[1-9][0-9]*)"
_DECIMAL = rf"(?:{_INTEGER}\.[0-9]*|\.[0-9]+)"
# Number rules in the scanner's order: real, decimal, integer, realfail1, realfail2.
_NUMBERS = [
    ("num", re.compile(rf"(?:{_INTEGER}|{_DECIMAL})[Ee][-+]?[0-9]+")),
    ("num", re.compile(_DECIMAL)),
    ("int", re.compile(_INTEGER)),
    ("fail", re.compile(rf"(?:{_INTEGER}|{_DECIMAL})[Ee]")),
    ("fail", re.compile(rf"(?:{_INTEGER}|{_DECIMAL})[Ee][-+]")),
]
_OPERATORS = ["&&", "||", "**", "<=", "==", "<>", "!=", ">="]
_KEYWORDS = {"is", "to", "abs", "lax", "flag", "last", "size", "type", "with", "floor"}
_KEYWORDS |= {"double", "exists", "starts", "strict", "ceiling", "unknown", "datetime"}
_KEYWORDS |= {"keyvalue", "like_regex"}
_LOWERCASE_ONLY = {"null", "true", "false"}
_METHODS = {"abs", "size", "type", "floor", "double", "ceiling", "keyvalue"}
_COMPARISONS = {"==", "<>", "!=", "<", ">", "<=", ">="}
_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_UNICODE = re.compile(r"\\u(?:[0-9A-Fa-f]{4}|\{[0-9A-Fa-f]{1,6}\})")
_HEX = re.compile(r"\\x[0-9A-Fa-f]{2}")

_VALUES = {"str", "null", "true", "false", "num", "int", "var", "$"}
_ALLOWED = {("@", True, False), ("@", True, True), ("last", False, True), ("last", True, True)}
Token = tuple[str, str]  # (kind, text): kind is a keyword, "ident", "str", "var", ...


class _Refused(Exception):
    pass


def jsonpath_problem(text: str) -> bool:
    """True when PostgreSQL 15 refuses ``text`` as a jsonpath."""
    try:
        tokens = _scan(text)
        if not tokens:
            return True  # the empty path
        _Parser(tokens).parse()
    except _Refused:
        return True
    return False


def _escaped(text: str, i: int, out: list[str]) -> int:
    """One escape at text[i] == '\\' (the xq/xnq/xvq rules): where it ends."""
    unicode = _UNICODE.match(text, i)
    if unicode:  # {unicode}+ : a run, so that surrogates pair within it
        codes = []
        while unicode:
            body = unicode.group()[2:].strip("{}")
            codes.append(int(body, 16))
            i = unicode.end()
            unicode = _UNICODE.match(text, i)
        if text.startswith("\\u", i):
            raise _Refused  # {unicode}*{unicodefail}
        high = None
        for code in codes:
            if 0xD800 <= code <= 0xDBFF:
                if high is not None:
                    raise _Refused
                high = code
            elif 0xDC00 <= code <= 0xDFFF:
                if high is None:
                    raise _Refused
                high = None
            elif high is not None or code == 0 or code > 0x10FFFF:
                raise _Refused
        if high is not None:
            raise _Refused
        out.append("?")
        return i
    if text.startswith("\\u", i):
        raise _Refused  # unicodefail
    if text.startswith("\\x", i):
        hexed = _HEX.match(text, i)
        if hexed is None or int(hexed.group()[2:], 16) == 0:
            raise _Refused
        out.append(chr(int(hexed.group()[2:], 16)))
        return hexed.end()
    if i + 1 >= len(text) or text[i + 1] == "\n":
        raise _Refused  # "unexpected end after backslash" (. is not a newline)
    out.append(_ESCAPES.get(text[i + 1], text[i + 1]))
    return i + 2


def _quoted(text: str, i: int) -> tuple[str, int]:
    """A "..." string from text[i] (just after the opening quote)."""
    out: list[str] = []
    while i < len(text):
        if text[i] == '"':
            return "".join(out), i + 1
        if text[i] == "\\":
            i = _escaped(text, i, out)
        else:
            out.append(text[i])
            i += 1
    raise _Refused  # unexpected end of quoted string


def _scan(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in _BLANK:
            i += 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise _Refused  # unexpected end of comment
            i = end + 2
            continue
        two = text[i : i + 2]
        if two in _OPERATORS:
            tokens.append((two, two))
            i += 2
            continue
        if c == "$":
            other = _OTHER.match(text, i + 1)
            if other:
                tokens.append(("var", other.group()))
                i = other.end()
            elif text.startswith('"', i + 1):
                name, i = _quoted(text, i + 2)
                tokens.append(("var", name))
            else:
                tokens.append(("$", "$"))
                i += 1
            continue
        if c == '"':
            value, i = _quoted(text, i + 1)
            tokens.append(("str", value))
            continue
        # Longest of: a special char (1), a number rule, {other}+; first rule on a tie.
        best: tuple[str, int] = (c, i + 1) if c in _SPECIAL and c != "\\" else ("", i)
        for kind, rule in _NUMBERS:
            match = rule.match(text, i)
            if match and match.end() > best[1]:
                best = (kind, match.end())
        if best[0] in ("num", "int") and _OTHER.match(text, best[1]):
            best = ("fail", best[1] + 1)  # {integer,decimal,real}_junk: "1.a", "00"
        other = _OTHER.match(text, i)
        if (other and other.end() > best[1]) or c == "\\":
            i = _identifier(text, i, tokens)
            continue
        kind, end = best
        if kind == "fail":
            raise _Refused  # invalid floating point number, trailing junk
        if kind in ("num", "int"):
            _numeric(text[i:end])
            tokens.append((kind, text[i:end]))
        else:
            tokens.append((kind, kind))
        i = end
    return tokens


def _identifier(text: str, i: int, tokens: list[Token]) -> int:
    """The xnq state: {other}+ and escapes up to a blank, special char or end."""
    out: list[str] = []
    while i < len(text):
        if text[i] == "\\":
            i = _escaped(text, i, out)
            continue
        other = _OTHER.match(text, i)
        if other is None:
            break
        out.append(other.group())
        i = other.end()
    word = "".join(out)
    if text.startswith("/*", i):
        return i  # xnq's /* starts the comment and drops the word (as PostgreSQL 15 does)
    if word.lower() in _KEYWORDS:
        tokens.append((word.lower(), word))
    elif word in _LOWERCASE_ONLY:
        tokens.append((word, word))
    else:
        tokens.append(("ident", word))
    return i


def _numeric(number: str) -> None:
    """numeric_in: the value must fit numeric's weight and display scale."""
    mantissa, _, exponent = number.lower().partition("e")
    whole, _, fraction = mantissa.partition(".")
    power = int(exponent or "0")
    digits = (whole + fraction).lstrip("0")
    scale = max(0, len(fraction) - power)
    if scale > 16383:
        raise _Refused  # value overflows numeric format
    if digits and len(whole.lstrip("0") or "") + power > 131072:
        raise _Refused


class _Parser:
    """Recursive descent over jsonpath_gram.y; each rule says whether it made an
    expression ("expr") or a predicate ("pred"), as the grammar keeps them apart."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.filters = 0  # inside ?(...): @ is allowed
        self.subscripts = 0  # inside [...]: last is allowed

    def peek(self, ahead: int = 0) -> str:
        at = self.i + ahead
        return self.tokens[at][0] if at < len(self.tokens) else "end"

    def take(self, kind: str) -> Token:
        if self.peek() != kind:
            raise _Refused
        self.i += 1
        return self.tokens[self.i - 1] if kind != "end" else ("end", "")

    def parse(self) -> None:
        if self.peek() in ("strict", "lax"):
            self.i += 1
        self.disjunction()
        self.take("end")

    def disjunction(self) -> str:
        kind = self.conjunction()
        while self.peek() == "||":
            self.i += 1
            if kind != "pred" or self.conjunction() != "pred":
                raise _Refused
        return kind

    def conjunction(self) -> str:
        kind = self.negation()
        while self.peek() == "&&":
            self.i += 1
            if kind != "pred" or self.negation() != "pred":
                raise _Refused
        return kind

    def negation(self) -> str:
        if self.peek() != "!":
            return self.comparison()
        self.i += 1
        if self.peek() == "exists":
            self.exists()
            return "pred"
        self.take("(")
        if self.disjunction() != "pred":
            raise _Refused
        self.take(")")
        return "pred"

    def exists(self) -> None:
        self.take("exists")
        self.take("(")
        self.expression()
        self.take(")")

    def expression(self) -> None:
        if self.disjunction() != "expr":
            raise _Refused

    def comparison(self) -> str:
        kind = self.additive()
        nxt = self.peek()
        if kind != "expr":
            return kind
        if nxt in _COMPARISONS:
            self.i += 1
            if self.additive() != "expr":
                raise _Refused
            return "pred"
        if nxt == "starts":
            self.i += 1
            self.take("with")
            if self.peek() not in ("str", "var"):
                raise _Refused
            self.i += 1
            return "pred"
        if nxt == "like_regex":
            self.i += 1
            pattern = self.take("str")[1]
            if self.peek() == "flag":
                self.i += 1
                flags = self.take("str")[1]
                if any(f not in "ismq" for f in flags):
                    raise _Refused  # unrecognized flag ('x' is not implemented)
                if "q" in flags:
                    return "pred"
            if regex_unbalanced(pattern):
                raise _Refused  # jsonpath_in compiles the pattern
            return "pred"
        return kind

    def additive(self) -> str:
        kind = self.multiplicative()
        while self.peek() in ("+", "-"):
            self.i += 1
            if kind != "expr" or self.multiplicative() != "expr":
                raise _Refused
        return kind

    def multiplicative(self) -> str:
        kind = self.unary()
        while self.peek() in ("*", "/", "%"):
            self.i += 1
            if kind != "expr" or self.unary() != "expr":
                raise _Refused
        return kind

    def unary(self) -> str:
        if self.peek() in ("+", "-"):
            self.i += 1
            if self.unary() != "expr":
                raise _Refused
            return "expr"
        return self.primary()

    def primary(self) -> str:
        kind = self.peek()
        if kind == "(":
            self.i += 1
            inner = self.disjunction()
            self.take(")")
            if inner == "pred" and self.peek() == "is":
                self.i += 1
                self.take("unknown")
                return "pred"
            if inner == "pred" and self.peek() not in (".", "[", "?"):
                return "pred"
        elif kind == "exists":
            self.exists()
            return "pred"
        elif kind in _VALUES or (kind, bool(self.filters), bool(self.subscripts)) in _ALLOWED:
            self.i += 1  # @ only in a filter, last only in a subscript (jsonpath_in)
        else:
            raise _Refused
        while self.peek() in (".", "[", "?"):
            self.accessor()
        return "expr"

    def accessor(self) -> None:
        kind = self.take(self.peek())[0]
        if kind == "[":
            if self.peek() == "*":
                self.i += 1
            else:
                self.subscripts += 1
                self.subscript()
                while self.peek() == ",":
                    self.i += 1
                    self.subscript()
                self.subscripts -= 1
            self.take("]")
        elif kind == "?":
            self.take("(")
            self.filters += 1
            if self.disjunction() != "pred":
                raise _Refused
            self.filters -= 1
            self.take(")")
        else:
            self.member()

    def subscript(self) -> None:
        self.expression()
        if self.peek() == "to":
            self.i += 1
            self.expression()

    def member(self) -> None:
        """After '.': a key, *, ** with levels, a method() or datetime(template)."""
        kind = self.peek()
        self.i += 1
        if kind == "**":
            if self.peek() == "{":
                self.i += 1
                self.level()
                if self.peek() == "to":
                    self.i += 1
                    self.level()
                self.take("}")
        elif kind in _METHODS and self.peek() == "(":
            self.i += 1
            self.take(")")
        elif kind == "datetime" and self.peek() == "(":
            self.i += 1
            if self.peek() == "str":
                self.i += 1
            self.take(")")
        elif kind not in _KEYWORDS | _LOWERCASE_ONLY | {"ident", "str", "*"}:
            raise _Refused

    def level(self) -> None:
        if self.peek() == "last":
            self.i += 1
        elif int(self.take("int")[1]) > 2**31 - 1:
            raise _Refused  # pg_strtoint32: out of range
