"""jsonpath, tsquery, tsvector and bytea literals: our verdict against PostgreSQL 15's.

``payload @@ 'cat & dog'`` on a jsonb column reads the literal as a jsonpath,
on a tsvector as a tsquery; untyped.problem must say what the server's input
function says.  Each text (hand-written edge cases, then texts drawn from each
type's own pieces by a seeded generator) goes to the server as
``'...'::text::type`` in autocommit, one statement each, and to ``problem``:
no disagreement either way.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from generator.pgsql.untyped import problem

pytestmark = pytest.mark.postgres

JSONPATH = [
    *("cat & dog", "$.a ? (@ > 1)", "1.a", "1.type()", "$", "lax $.a", "strict", "strict $.a"),
    *('$.a like_regex "("', '$ ? (@ like_regex "a" flag "x")', '$ ? (@ like_regex "a" flag "iq")'),
    *('$.datetime("xyz")', '$.datetime("YYYY")', "last", "$[last]", "@", "$.**{2 to last}"),
    *('$ ? (@ starts with "a")', "$ ? (@ starts with $v)", "$.**{2147483648}", "$.**{1}"),
    *("TRUE", "true", "Null", "Lax $", "$.a.type()", "1e", "1ex", "00", "$[00]", "1e5x", "1e5"),
    *(r"$.a\u0000", r"$.a\x00", r'"\ud800"', r'"\ud83d\ude00"', r'"\u{1F600}"', r'"\u{110000}"'),
    *(r'"\x41"', r'"\x4"', r'"\q"', r'"\u12"', r"$.\u0061", r"$.tru\e", '"a\\', '"a'),
    *("$ ? (exists(@.a))", "! (1 == 1)", "(1 == 1) is unknown", "$ ? (@ == 1).a", "1e-20000"),
    *("1e-16383", "-$.a", "$.1", '$."a b"', '$"x"', "$x", "$1", "", "  ", "1 == 1 == 1"),
    *("$.size()", "$.size", "$.SIZE()", "$.a.datetime()", "exists($)", "$ ? (last == 1)"),
    *("$[$ ? (last == 1)]", "$.a/*x*/.b", "$.a/*x", "$.keyvalue().key", "$.a /*x*/.b", "$.*"),
    *('$ ? (@ like_regex "a" flag "")', '$ ? (@ like_regex "[\\[:]")', '$ ? (@ like_regex "[a")'),
    *('$ ? (@ like_regex "a)")', '$ ? (@ like_regex "a(" flag "q")', '$ ? (@ like_regex "\\q")'),
    *('$ ? (@ like_regex "[]a]")', '$ ? (@ like_regex "***=(")', "$. 1e5x", "$. 1abc", "$[*]"),
    *("$[1 to 2, 5]", "$[1,]", "$[]", "$.**", "$.***", "$ ? (@)", "$ ? ((@ > 1))", "($)", "(1)"),
    *("(1 == 1)", "(1 == 1).a", "-(1 == 1)", "$ ? (!(@ > 1))", "$ ? (! @ > 1)", "1 + 2 * 3"),
    *("$.a + $.b", "- - 1", "$ && $", "$ ? (@ > 1 && @ < 5 || @ == 0)", "$.datetime(1)", ".5"),
    *('$ ? (@ like_regex "?a")', '$ ? (@ like_regex "a|*b")', '$ ? (@ like_regex "(?:a)")'),
    *('$ ? (@ like_regex "a*?")', '$ ? (@ like_regex "(a|)")', '$ ? (@ like_regex "x(?=a)")'),
    *('$ ? (@ like_regex "\\(*")', '$ ? (@ like_regex "[[:alpha:]")', '$ ? (@ like_regex "a{")'),
    *('$ ? (@ like_regex "(?a)")', '$ ? (@ like_regex "(?i)a")', '$ ? (@ like_regex "(?ia)")'),
    *('$ ? (@ like_regex "a(?)")', '$ ? (@ like_regex "a(?i)")', '$ ? (@ like_regex "a(?!b)")'),
    *("1e131071", "1e131072", "0.5e131072", "10e131071", "1.5e-16383", "1.5e-16382", "0e-16384"),
    *("0e-16383", ".5e-16383", "$.**{0 to 2147483647}", "$.**{last to 0}", r"$.\u{D800}\u{DC00}"),
    *("$.café", '$."naïve" ? (@ == "ü")'),
    *("0.", "1.5e+3", "1.5e+", "$.abs().floor().ceiling().double()", "$.exists", "$.last"),
]
TSQUERY = [
    *("cat & dog", "", "  ", "a b", "!a", "a & !b", "(a | b) <-> c", "a <2> b", "a <16384> b"),
    *("a <16385> b", "a:*", "a:AB*", "a:x", "a &", "& a", "()", "(a", "a)", "a <->", "a<->b"),
    *("'a b' & c", "a:1", "!" * 32 + "a", "!" * 33 + "a", "a < 1> b", "a <-1> b", ":a", "a !b"),
    *("a:", "a: & b", "'it''s'", "'a", "a\\", "a\\ b", "$.a ? (@ > 1)", "1.5", "a <0> b"),
    *(
        "café & naïve",
        "über:*B",
        "'naïve café' <-> x",
        "((a))",
        "a | (b & c)",
        "!(a)",
        "!!a",
        "a & b | c <-> d",
        "a:*A & b:D",
        "x" * 2048,
        "x" * 2047,
    ),
]
TSVECTOR = [
    *("cat & dog", "a:1", "'a b':1,2A", "a:0", "a:16384", "a:4294967296", "a:1AD", "a:1DA"),
    *("a:1x", "'' ", "a b c", "a\\", "a:", ":1", "a:99999999999999999999999", "'it''s'", "'a'b"),
    *("über:1", "'naïve café':2B", "a:16383,16384,70000"),
    *("a:1,", "(a)", "a&b", "", " ", "'a':1", "'a' :1", "a:1 b:2,3C", "a:1*", "a:1,2,", "x" * 2048),
]
BYTEA = [
    *("\\x", "\\x41", "\\x4", "\\x 41 42 ", "\\x4 1", "abc", "a\\\\b", "a\\b", "\\001", "\\400"),
    *("\\X41", "\\x4G", "\\377", "\\37", "", "\\", "\\x\n41"),
]
PIECES = {
    "jsonpath": [
        *("$", "@", "$v", '$"v"', "last", ".", "a", '"s"', "*", "**", "[", "]", "(", ")", "?"),
        *(" ", "{", "}", ",", "to", "1", "0", "1.5", "1e3", "==", "<", "&&", "||", "!", "+"),
        *("-", "/", "%", "strict ", "lax ", "exists", "like_regex", "starts with", "flag", "type"),
        *("()", "is unknown", "true", "null", "size", "datetime", "\\", "x", "\t"),
    ],
    "tsquery": [
        *("a", "b", "'c d'", " ", "&", "|", "!", "(", ")", "<->", "<3>", ":", "*", "A", "\\", "'")
    ],
    "tsvector": [*("a", "b", "'c d'", " ", ":", "1", "2", ",", "A", "D", "0", "\\", "'", "*", "&")],
    "bytea": [*("\\", "x", "4", "1", "f", "g", " ", "0", "3", "7", "8", "\\\\", "a")],
}


def _generated(typ: str, count: int) -> list[str]:
    rng = random.Random(f"literals-{typ}")
    out = []
    for _ in range(count):
        out.append("".join(rng.choice(PIECES[typ]) for _ in range(rng.randint(1, 9))))
    return out


def _path(rng: random.Random, depth: int, inside: str) -> str:
    """A jsonpath drawn from the grammar (mostly valid): a root, then accessors."""
    roots = ["$", "$v", '"s"', "1", "1.5e2", "null", "true", *(["@"] if "f" in inside else [])]
    out = rng.choice(roots + (["last"] if "s" in inside else []))
    for _ in range(rng.randint(0, 3)):
        step = rng.randrange(9 if depth < 2 else 5)
        out += [".a", '."k y"', ".*", "[*]", ".type()", ".**{1 to last}", ".datetime()"][
            min(step, 6)
        ]
        if step == 7:
            out += f"[{_path(rng, depth + 1, inside + 's')} to last, 0]"
        elif step == 8:
            out += f" ? ({_predicate(rng, depth + 1, inside + 'f')})"
    return out


def _predicate(rng: random.Random, depth: int, inside: str) -> str:
    left, right = _path(rng, depth, inside), _path(rng, depth, inside)
    operator = rng.choice(["==", "!=", "<>", "<", ">=", "+", "&&"])
    pattern = rng.choice(['"a.*"', '"(a"', '"[b-c]"'])
    flag = rng.choice(['"i"', '"y"'])
    initial = rng.choice(['"a"', "$v", "1"])
    forms = [
        f"{left} {operator} {right}",
        f"{left} like_regex {pattern} flag {flag}",
        f"{left} starts with {initial}",
        f"exists ({left})",
        f"!({left} > 1)",
        f"({left} == {right}) is unknown",
        f"-{left} * 2 % 3 == {right}",
    ]
    return rng.choice(forms)


def _paths(count: int) -> list[str]:
    rng = random.Random("literals-jsonpath-grammar")
    out = []
    for _ in range(count):
        text = rng.choice(["", "strict ", "lax "]) + _path(rng, 0, "")
        if rng.random() < 0.3:
            text = f"$ ? ({_predicate(rng, 0, 'f')})"
        if rng.random() < 0.3:  # one character changed
            i = rng.randrange(len(text))
            text = text[:i] + rng.choice(' .()[]?@$"1x') + text[i + 1 :]
        out.append(text)
    return out


def _queries(count: int) -> list[str]:
    rng = random.Random("literals-tsquery-grammar")
    out = []
    for _ in range(count):
        terms = [rng.choice(["a", "b:*", "'c d'", "e:AB", "!f", "(g | h)", "i\\ j"])]
        for _ in range(rng.randint(0, 4)):
            terms += [
                rng.choice([" & ", "|", " <-> ", "<2>", " <16385> ", " "]),
                rng.choice(["a", "!b", "(c & d)"]),
            ]
        text = "".join(terms)
        if rng.random() < 0.3:
            i = rng.randrange(len(text))
            text = text[:i] + rng.choice(" ()&|!:'<>") + text[i + 1 :]
        out.append(text)
    return out


HAND = {"jsonpath": JSONPATH, "tsquery": TSQUERY, "tsvector": TSVECTOR, "bytea": BYTEA}
SAMPLES = [(typ, text) for typ, texts in HAND.items() for text in texts]
SAMPLES += [(typ, text) for typ in PIECES for text in _generated(typ, 400)]
SAMPLES += [("jsonpath", t) for t in _paths(500)] + [("tsquery", t) for t in _queries(300)]
# valid jsonpaths built from pieces are rare: also mutate the hand-written ones
SAMPLES += [("jsonpath", t[:i] + t[i + 1 :]) for t in JSONPATH for i in range(0, len(t), 3)]


@pytest.fixture(scope="module")
def pg(pg_server: str) -> Iterator[psycopg.Connection[Any]]:
    from pg import fresh_database

    with fresh_database(pg_server) as url, psycopg.connect(url, autocommit=True) as conn:
        yield conn


def _reads(conn: psycopg.Connection[Any], text: str, typ: str) -> bool:
    try:
        conn.execute(f"SELECT %s::text::{typ}", (text,))
    except psycopg.Error:
        return False
    return True


def test_literals_are_judged_as_postgresql_judges_them(
    pg: psycopg.Connection[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = []
    counts: dict[str, list[int]] = {t: [0, 0] for t in HAND}
    for typ, text in dict.fromkeys(SAMPLES):
        theirs, ours = _reads(pg, text, typ), not problem(text, typ)
        counts[typ][theirs] += 1
        if theirs != ours:
            kind = "false refusal" if theirs else "false acceptance"
            wrong.append(f"{kind}: {text!r} as {typ}")
    with capsys.disabled():
        for typ, (refused, read) in counts.items():
            print(
                f"\n{typ}: {read + refused} literals ({read} read, {refused} refused by PostgreSQL)"
            )
    assert wrong == [], f"{len(wrong)} disagreements:\n" + "\n".join(wrong)
