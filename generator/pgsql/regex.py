"""Is this POSIX regular expression one PostgreSQL's compiler surely refuses?

jsonpath_in compiles a like_regex pattern when it reads the path, so a
pattern that does not compile makes the whole literal invalid.  Only the
plainly broken is judged here; anything else is left to the server.
"""

from __future__ import annotations

import re

# ASCII letters no ARE escape starts with ("invalid escape \ sequence")
_BAD_ESCAPES = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") - set(
    "abBcdDefmMnrsStuUvwWxyYZA"
)


def regex_unbalanced(pattern: str) -> bool:
    """Surely refused by the regex compiler: parentheses not balanced, a bracket
    expression never closed, a trailing backslash or one before a letter no
    escape starts with, a quantifier with nothing before it.  Anything subtler
    (repetition counts, back-references, embedded options) is not judged."""
    options = re.match(r"\(\?([a-zA-Z]+)\)", pattern)
    if (options and set(options[1]) - set("bceimnpqstwx")) or pattern.startswith("(?)"):
        return True  # invalid embedded option; a ? with nothing to repeat
    if pattern.startswith(("***", "(?")):
        return False  # director or embedded options: may make it literal
    depth, i, n = 0, 0, len(pattern)
    bare = True  # no atom yet: at the start, after ( or |
    while i < n:
        c = pattern[i]
        if bare and (c in "*+" or (c == "?" and pattern[i - 1 : i] != "(")):
            return True  # quantifier operand invalid ((? starts a group form)
        bare = c in "(|"
        if c == "\\":
            if i + 1 >= n or pattern[i + 1] in _BAD_ESCAPES:
                return True
            i += 2
            continue
        if c == "[":
            i += 1
            i += pattern[i : i + 1] == "^"
            i += pattern[i : i + 1] == "]"  # a leading ] is a member
            while i < n and pattern[i] != "]":
                if pattern[i] == "\\":  # an escape, in an ARE's bracket too
                    i += 2
                    continue
                if pattern[i] == "[" and pattern[i + 1 : i + 2] in (":", ".", "="):
                    close = pattern.find(pattern[i + 1] + "]", i + 2)
                    if close < 0:
                        return True  # [: never closed by :]
                    i = close + 2
                    continue
                i += 1
            if i >= n:
                return True
        elif c == "(":
            depth += 1
            if pattern[i + 1 : i + 2] == "?" and pattern[i + 2 : i + 3] not in tuple(":=!<"):
                return True  # (? not starting (?: (?= (?! (?<= (?<!: options only lead
        elif c == ")":
            depth -= 1
            if depth < 0:
                return True
        i += 1
    return depth != 0
