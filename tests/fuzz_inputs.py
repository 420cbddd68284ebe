"""Structured-but-broken inputs for the fuzz tests: valid samples mutated the way files break.

A case starts from one valid sample (an HIS export, an ACK, a site file...) and applies a few
mutations drawn from a ``random.Random`` that hypothesis seeds (``st.randoms``), so a run is
reproducible and a failure shrinks: byte flips, truncation, a line repeated, a run of one
separator, a field grown huge, deep nesting, a token of the format in an odd place; for JSON
also the parsed document with a node replaced by a value of another type. Now and then the
case is plain random bytes instead.
"""

from __future__ import annotations

import copy
import json
import os
import random
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from hypothesis import HealthCheck, Phase, note, settings
from hypothesis import strategies as st

# ``make fuzz`` sets FUZZ_EXAMPLES (100,000); ``make test`` runs the same properties on a few.
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0"))
# The properties that go through a real store cost a transaction or more a case.
FUZZ_STORE_EXAMPLES = int(os.environ.get("FUZZ_STORE_EXAMPLES", "0"))
HUGE = (1_000, 70_000, 140_000)  # 140,000 is past the csv module's field limit (131,072)
DEEP = (70, 1_100, 20_000)  # past the JSON cap (64), past Python's recursion limit
MAX_CASE = 400_000  # bytes: mutations stack up (a huge field repeated 500 times...), a case stays this size

Mutator = Callable[[bytes, random.Random], bytes]


# Hypothesis spends about 1 ms on each example of its own: under ``make fuzz`` an example
# runs a batch of cases, each from its own seed (noted, so a failure names it).
BATCH = 20 if FUZZ_EXAMPLES else 1


def fuzz_settings(default: int, *, store: bool = False) -> settings:
    """Hypothesis settings of a fuzz property: reproducible, no example database, bounded.

    ``default`` cases under ``make test``; FUZZ_EXAMPLES (FUZZ_STORE_EXAMPLES) under ``make fuzz``.
    """
    chosen = (FUZZ_STORE_EXAMPLES if store else FUZZ_EXAMPLES) or default
    return settings(
        max_examples=-(-chosen // BATCH),
        database=None,
        derandomize=True,
        deadline=None,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def cases() -> st.SearchStrategy[int]:
    """The seed of one hypothesis example (a batch of cases, see ``batch``).

    A seed rather than ``st.randoms``: each draw of those goes through hypothesis, ten times
    slower, and ``make fuzz`` runs 100,000 cases a reader.
    """
    return st.integers(min_value=0, max_value=2**63)


def batch(seed: int) -> Iterator[random.Random]:
    """The cases of one example, each a generator of its own seed (noted for a failure report).

    Reproduce a failing case with ``mutate(samples, tokens, random.Random(case_seed))``.
    """
    seeds = random.Random(seed)
    for _ in range(BATCH):
        case_seed = seeds.getrandbits(64)
        note(f"case seed: {case_seed}")
        yield random.Random(case_seed)


def rare(rnd: random.Random, common: Sequence[int], big: Sequence[int], odds: float = 0.03) -> int:
    """A size from ``common``, now and then from ``big`` (big inputs cost: keep them a few)."""
    return rnd.choice(big) if rnd.random() < odds else rnd.choice(common)


# ------------------------------------------------------------------ mutations
def _flip(raw: bytes, rnd: random.Random) -> bytes:
    if not raw:
        return bytes([rnd.randrange(256)])
    at = rnd.randrange(len(raw))
    return raw[:at] + bytes([raw[at] ^ (1 << rnd.randrange(8))]) + raw[at + 1 :]


def _any_byte(raw: bytes, rnd: random.Random) -> bytes:
    at = rnd.randrange(len(raw) + 1)
    return raw[:at] + bytes([rnd.randrange(256)]) + raw[at + 1 :]


def _truncate(raw: bytes, rnd: random.Random) -> bytes:
    return raw[: rnd.randrange(len(raw) + 1)]


def _delete(raw: bytes, rnd: random.Random) -> bytes:
    start = rnd.randrange(len(raw) + 1)
    return raw[:start] + raw[start + rnd.randrange(1, 40) :]


def _lines(raw: bytes) -> list[bytes]:
    return raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")


def _repeat_line(raw: bytes, rnd: random.Random) -> bytes:
    lines = _lines(raw)
    at = rnd.randrange(len(lines))
    lines[at:at] = [lines[at]] * rare(rnd, (1, 2, 3, 20), (500,))
    sep = b"\r" if b"\r" in raw else b"\n"
    return sep.join(lines)


def _drop_line(raw: bytes, rnd: random.Random) -> bytes:
    lines = _lines(raw)
    del lines[rnd.randrange(len(lines))]
    sep = b"\r" if b"\r" in raw else b"\n"
    return sep.join(lines)


def _swap(raw: bytes, rnd: random.Random) -> bytes:
    if len(raw) < 4:
        return raw[::-1]
    a, b = sorted(rnd.sample(range(len(raw)), 2))
    return raw[:a] + raw[b:] + raw[a:b]


def _huge(raw: bytes, rnd: random.Random) -> bytes:
    at = rnd.randrange(len(raw) + 1)
    filler = rnd.choice((b"x", b" ", b"\\", b"9", "é".encode(), b"\x00"))
    return raw[:at] + filler * rnd.choice(HUGE) + raw[at:]


def _deep(raw: bytes, rnd: random.Random) -> bytes:
    at = rnd.randrange(len(raw) + 1)
    depth = rnd.choice(DEEP)
    opener, closer = rnd.choice(((b"[", b"]"), (b'{"a":', b"}"), (b"{a=", b"}"), (b"[[", b"]]")))
    middle = rnd.choice((b"", b"1", b'""'))
    nested = opener * depth + middle + (closer * depth if rnd.random() < 0.8 else b"")
    return raw[:at] + nested + raw[at:]


def _random(raw: bytes, rnd: random.Random) -> bytes:
    return rnd.randbytes(rnd.randrange(200))


def _token(tokens: Sequence[bytes]) -> Mutator:
    def insert(raw: bytes, rnd: random.Random) -> bytes:
        at = rnd.randrange(len(raw) + 1)
        token = rnd.choice(tokens) * rare(rnd, (1, 1, 1, 2, 5), (100,))
        if rnd.random() < 0.5:
            return raw[:at] + token + raw[at:]
        return raw[:at] + token + raw[at + len(token) :]  # overwrite

    return insert


COMMON_TOKENS: tuple[bytes, ...] = (
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b"\x1b[2J",
    "\u202e".encode(),
    b"\r",
    b"\n",
    b"\r\n",
    b"",
    b"-1",
    b"0",
    b"99999999999999999999999",
    "é".encode("latin-1"),
    "Œ".encode(),
)
HL7_TOKENS = (
    b"|",
    b"^",
    b"~",
    b"\\",
    b"&",
    b"\x0b",
    b"\x1c",
    b"\x1c\r",
    b"MSH|",
    b"MSH|^^~\\&|",
    b"MSH|\r|\\&|",
    b"MSH^~\\&|",
    b"FHS|^~\\&|",
    b"BHS|",
    b"BTS|9",
    b"FTS|1",
    b"PID|",
    b"PV1|",
    b"MRG|",
    b"MSA|",
    b"ERR|",
    b"\\F\\",
    b"\\X0D\\",
    b"\\Zzz",
    b"\\H\\",
    b"ADT^A01",
    b"ADT^A40^ADT_A39",
    b"ADT^Z99^ADT_A01",
    b"ZBE|",
    b"ZFD|",
    b"^BDL^^",
    b"&1.2.250.1.213.1.4.8&ISO^INS",
    b"&2.999.2.1&ISO^PI",
    b"~QUAL",
    b"ACK",
    b"AA",
    b"20261399",
    b"19000101",
    b"20260230120000+9999",
    *COMMON_TOKENS,
)
JSON_TOKENS = (
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b'"',
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b"null",
    b"true",
    b"1e999",
    b"-0",
    b'"resourceType": "Bundle"',
    b'"resourceType": "Patient"',
    b'{"resourceType": "Encounter"}',
    b'"reference": "urn:uuid:ward-CARDIO"',
    b'"2026-02-30T25:61:00Z"',
    *COMMON_TOKENS,
)
CSV_TOKENS = (
    b";",
    b",",
    b'"',
    b'""',
    b"# fin: 3\n",
    b"# fin: 99999999999999999999999999\n",
    b"# instantane: 2026-13-40T99:99\n",
    b"# perimetre: ,,;\n",
    b"#a:" + b" " * 1000 + b"y\n",
    b"ipp;nom_naissance;prenoms;date_naissance;sexe\n",
    b"31/02/1990",
    b'=HYPERLINK("x")',
    *COMMON_TOKENS,
)
TOML_TOKENS = (
    b"[",
    b"]",
    b"{",
    b"}",
    b"=",
    b'"',
    b"'''",
    b'"""',
    b".",
    b"#",
    b"[[ufs]]\n",
    b"[site]\n",
    b'site = "x"\n',
    b"site = [1, 2]\n",
    b"ufs = 3\n",
    b"rooms = {}\n",
    b"block = [2, 1]\n",
    b"block = [-1, 99999999999999999999]\n",
    b"beds = [[]]\n",
    b"1979-05-27T07:32:00Z",
    b"inf",
    b"nan",
    b"true",
    b"\\u0000",
    *COMMON_TOKENS,
)

_BYTE_MUTATORS: tuple[Mutator, ...] = (
    _flip,
    _any_byte,
    _truncate,
    _delete,
    _repeat_line,
    _drop_line,
    _swap,
)


def mutate(samples: Sequence[bytes], tokens: Sequence[bytes], rnd: random.Random) -> bytes:
    """One sample with one to four mutations (or, one time in twenty, random bytes)."""
    raw = rnd.choice(samples)
    if rnd.random() < 0.05:
        return _random(raw, rnd)
    insert = _token(tokens)
    for _ in range(rnd.choice((1, 1, 2, 3, 4))):
        mutator: Mutator
        if rnd.random() < 0.04:
            mutator = rnd.choice((_huge, _deep))
        else:
            mutator = rnd.choice((*_BYTE_MUTATORS, insert, insert, insert))
        raw = mutator(raw, rnd)[:MAX_CASE]
    return raw


# ----------------------------------------------------------------- JSON types
ODD_VALUES: tuple[Any, ...] = (
    None,
    0,
    -1,
    1.5,
    10**30,
    True,
    "",
    "x",
    "2026-02-30",
    [],
    {},
    [None],
    {"resourceType": "Bundle"},
    {"reference": None},
)


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _nodes(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _nodes(value, (*path, index))
    return found


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


def mutate_json(samples: Sequence[bytes], rnd: random.Random) -> bytes:
    """A JSON sample with a node given another type, removed or repeated; then maybe bytes too."""
    data = json.loads(rnd.choice(samples))
    for _ in range(rnd.choice((1, 1, 2, 3))):
        path = rnd.choice(_nodes(data))
        roll = rnd.random()
        if roll < 0.6 or not path:
            data = _set(data, path, copy.deepcopy(rnd.choice(ODD_VALUES)))
        else:
            parent: Any = data
            for key in path[:-1]:
                parent = parent[key]
            if isinstance(parent, dict):
                del parent[path[-1]]
            else:
                parent.insert(path[-1], copy.deepcopy(parent[path[-1]]))  # a repeated entry
    raw = json.dumps(data, ensure_ascii=rnd.random() < 0.5).encode()
    return mutate([raw], JSON_TOKENS, rnd) if rnd.random() < 0.3 else raw
