"""Does PostgreSQL 15's jsonpath_in read this text?

``payload @@ 'cat & dog'`` on a jsonb column is ``jsonb @@ jsonpath``: the
literal is a jsonpath, which the server parses when the DDL runs.  This is a
re-reading of jsonpath_scan.l (a flex scanner: longest match, the first rule
on a tie; ``jsonpath_scan.py``) and jsonpath_gram.y (an LALR grammar, here
recursive descent: this module), plus the checks jsonpath_in makes after
parsing: ``@`` only inside a filter, ``last`` only inside a subscript,
like_regex flags, numbers numeric_in reads.
"""

from __future__ import annotations

from .jsonpath_scan import _KEYWORDS, _LOWERCASE_ONLY, Token, _Refused, _scan
from .regex import regex_unbalanced

_METHODS = {"abs", "size", "type", "floor", "double", "ceiling", "keyvalue"}
_COMPARISONS = {"==", "<>", "!=", "<", ">", "<=", ">="}
_VALUES = {"str", "null", "true", "false", "num", "int", "var", "$"}
_ALLOWED = {("@", True, False), ("@", True, True), ("last", False, True), ("last", True, True)}


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
