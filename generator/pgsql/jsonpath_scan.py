"""jsonpath_scan.l read again: a jsonpath's text to its tokens, or refused.

A flex scanner (longest match, the first rule on a tie): blanks and
comments, the two-character operators, variables, quoted strings and their
escapes (surrogate pairs, ``\\x``, ``\\u``), numbers as the scanner's rules
and numeric_in read them, keywords, and identifiers.  ``jsonpath.py`` parses
the tokens; the scanner is a module of its own because it is a program of its
own in PostgreSQL, and so that each reads in one sitting.
"""

from __future__ import annotations

import re

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
_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_UNICODE = re.compile(r"\\u(?:[0-9A-Fa-f]{4}|\{[0-9A-Fa-f]{1,6}\})")
_HEX = re.compile(r"\\x[0-9A-Fa-f]{2}")

Token = tuple[str, str]  # (kind, text): kind is a keyword, "ident", "str", "var", ...


class _Refused(Exception):
    pass


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
