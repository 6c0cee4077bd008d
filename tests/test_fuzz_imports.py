"""Fuzzing every importer: random bytes and mutated valid files.

Each importer (assessment JSON, assessment document, scenario CSV) is run as the app runs
it: parse, then save into a scenario store. The only exception allowed is the project's
own AIJRIError (one line of text), and a file that is refused leaves the store exactly as
it was. At least 1,000 examples per importer for random bytes and 1,000 for mutations.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import re
import sqlite3
import tempfile
import unicodedata
from pathlib import Path

import pytest
from document_mutations import duplicated_single_valued, junk_after_a_number
from formats_helpers import SEED, SEED_DOC, TRICKY_NAMES, seed_scenarios
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples
from strategies import changed

from aijri_core import AIJRIError, Scenario, assessment_to_json, bundled_role
from aijri_core.formats.document import parse_assessment_document, render_assessment_document
from aijri_core.formats.scenarios_csv import scenarios_from_csv, scenarios_to_csv
from aijri_core.io import MAX_UPLOAD_BYTES, parse_assessment_json
from aijri_core.knobs import apply
from aijri_core.store import SQLiteStore, bundled_role_key

KEY = bundled_role_key(SEED)
BASE = bundled_role(SEED)

VALID_JSON = assessment_to_json(BASE).encode("utf-8")
VALID_DOC = (SEED_DOC if SEED_DOC.is_file() else Path(__file__).resolve().parent / "fixtures" / "seed_like_document.txt").read_bytes()
VALID_RENDERED_DOC = render_assessment_document(BASE).encode("utf-8")
VALID_CSV = scenarios_to_csv(
    [*seed_scenarios(), Scenario(name=TRICKY_NAMES[0], note="n", changes={"growth": -1.0}, position="2029", trajectory="t")]
)

FUZZ = settings(  # used in the tests' bodies, out of conftest's reach: scaled here
    max_examples=examples(1000),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)

#: Fragments that real broken files contain, inserted by the mutator.
TOKENS = [
    b"|", b"||", b"\\", b"**", b"\xe2\x88\x92", b"+", b"-", b"%", b"/", b"(", b")", b",", b'"', b"'", b"=",
    b"\r\n", b"\r", b"\n", b"\t", b"\x00", b"\xff", b"\xef\xbb\xbf", b"NaN", b"Infinity", b"1e999", b"-0",
    b"99999999999999999999", b"0.1", b"[" * 50, b"{\"a\":" * 30, b"null", b"true", b"Total", b"GREEN",
    b"Zone: RED", b"Raw: 1 = 2", b"| Task | Time % | Score |", b"task:x:score", b"growth", b"evidence:wage_trends",
    b"scenario,step,knob,value", "\u00fc\u2028\u0085".encode(),
]


@st.composite
def mutated(draw, valid: bytes) -> bytes:
    """A valid file with 1-6 random edits: flips, cuts, inserts, duplicated or swapped slices."""
    data = bytearray(valid)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "delete", "insert", "token", "dup", "truncate", "swap_lines"]))
        n = len(data)
        i = draw(st.integers(0, max(n - 1, 0)))
        if op == "flip" and n:
            data[i] = draw(st.integers(0, 255))
        elif op == "delete" and n:
            data[i : i + draw(st.integers(1, 40))] = b""
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=20))
        elif op == "token":
            data[i:i] = draw(st.sampled_from(TOKENS))
        elif op == "dup" and n:
            j = min(n, i + draw(st.integers(1, 200)))
            data[i:i] = data[i:j] * draw(st.integers(1, 3))
        elif op == "truncate":
            del data[i:]
        elif op == "swap_lines":
            lines = bytes(data).split(b"\n")
            if len(lines) > 2:
                a = draw(st.integers(0, len(lines) - 1))
                b = draw(st.integers(0, len(lines) - 1))
                lines[a], lines[b] = lines[b], lines[a]
                data = bytearray(b"\n".join(lines))
    return bytes(data)


def snapshot(path: Path) -> str:
    """A digest of everything in the store."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT 'r', name, position, data FROM roles ORDER BY name").fetchall()
        rows += conn.execute("SELECT role_key, name, position, data FROM scenarios ORDER BY role_key, name").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


class Harness:
    """One store per test: seeded with a role and scenarios, then fed fuzzed files."""

    def __init__(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = Path(self.dir.name) / "fuzz.sqlite3"
        self.store = SQLiteStore(self.path)
        self.store.save_role(BASE, name="seed")
        self.store.import_scenarios(KEY, seed_scenarios())
        self.accepted = 0
        self.refused = 0

    def run(self, importer, data: bytes) -> None:
        before = snapshot(self.path)
        try:
            importer(self.store, data)
        except AIJRIError as exc:
            text = str(exc)
            first, *more = text.split("\n")
            assert first and "Traceback" not in text, text
            # One line, or (a CSV with several bad lines) a header and one numbered line per problem.
            assert all(re.match(r"  \(\d+\) line \d+", line) for line in more), text
            assert snapshot(self.path) == before, "a refused file changed the store"
            self.refused += 1
        else:
            self.accepted += 1
        assert self.store.integrity_check() == "ok"


def import_json(store: SQLiteStore, data: bytes) -> None:
    a = parse_assessment_json(data)
    store.save_role(a, name="fuzzed", overwrite=True)


def import_document(store: SQLiteStore, data: bytes) -> None:
    a, audit = parse_assessment_document(data)
    assert isinstance(audit.ok, bool)
    audit.to_df()
    store.save_role(a, name="fuzzed doc", overwrite=True)


def import_csv(store: SQLiteStore, data: bytes) -> None:
    items = scenarios_from_csv(data, BASE)
    store.import_scenarios(KEY, items, overwrite=True)


IMPORTERS = {"json": (import_json, VALID_JSON), "document": (import_document, VALID_DOC), "csv": (import_csv, VALID_CSV)}


@pytest.fixture(scope="module")
def harnesses():
    hs = {name: Harness() for name in IMPORTERS}
    yield hs
    for h in hs.values():
        h.dir.cleanup()


def test_valid_files_import(harnesses):
    for name, (importer, valid) in IMPORTERS.items():
        importer(harnesses[name].store, valid)
    import_document(harnesses["document"].store, VALID_RENDERED_DOC)


@pytest.mark.parametrize("name", list(IMPORTERS))
def test_random_bytes(harnesses, name):
    importer, _ = IMPORTERS[name]
    h = harnesses[name]

    @FUZZ
    @given(data=st.binary(max_size=3000) | st.text(max_size=600).map(lambda t: t.encode("utf-8", "surrogatepass")))
    def check(data):
        h.run(importer, data)

    check()


@st.composite
def document_edits(draw, valid: bytes) -> bytes:
    """A valid document with junk after a number cell's digits (decimal commas, fractions, other
    digits, letters) or a single-valued row given twice, or both."""
    text = valid.decode("utf-8")
    for edit in draw(st.lists(st.sampled_from(["junk", "twice"]), min_size=1, max_size=2)):
        text = draw(junk_after_a_number(text))[0] if edit == "junk" else draw(duplicated_single_valued(text))[0]
    return text.encode("utf-8")


DOCUMENTS = st.sampled_from([VALID_DOC, VALID_RENDERED_DOC])


@pytest.mark.parametrize("name", list(IMPORTERS))
def test_mutated_valid_files(harnesses, name):
    importer, valid = IMPORTERS[name]
    h = harnesses[name]
    start = h.refused
    sources = DOCUMENTS | DOCUMENTS.flatmap(document_edits) if name == "document" else st.just(valid)

    @FUZZ
    @given(data=sources.flatmap(mutated))
    def check(data):
        h.run(importer, data)

    check()
    assert h.refused > start  # the mutations did reach the error paths


# ---------------------------------------------------------------- the classes of the trust rules
# Each generator makes one file of a class the readers must refuse (or, for share totals and
# plain spellings, accept): booleans and numbers written as text, junk after a number, a key
# or knob given twice, look-alike names, share totals anywhere in 99..101.

BASE_DATA = json.loads(VALID_JSON)
NUMERIC_PATHS = (
    [("tasks", i, f) for i in range(len(BASE.tasks)) for f in ("time_share", "score")]
    + [("evidence", d) for d in BASE_DATA["evidence"]]
    + [("barriers", b) for b in BASE_DATA["barriers"]]
    + [("protective", p) for p in BASE_DATA["protective"]]
    + [("growth_correlation",), ("published", "score")]
    + [("comparators", i, "score") for i in range(len(BASE_DATA.get("comparators") or []))]
)
#: Text after a number that makes it something other than a number.
JUNK = ["x", " 4", "%", ",5", ".0.1", "e", "_0", "\u0663", "abc", " apples", "/2", "-", "+"]
#: Spellings of a number (or of true/false) that the CSV reader must refuse.
BAD_CELLS = ["true", "false", "TRUE", "1x", "1 2", "1%", "1,5", "1.0.0", "1e", "\u0661", "\uff13", "1_0", "nan",
             "inf", "0x1", "\u00bd", "2\u00bd", "--1", "1-"]


def _tenths(draw, k: int) -> list[float]:
    """k shares in tenths of a point whose total is anywhere in 99..101 (each 0..100)."""
    total = draw(st.integers(990, 1010))
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=k - 1, max_size=k - 1)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    if max(parts) > 1000:  # move the excess of a share above 100 to the smallest one
        big = parts.index(max(parts))
        small = parts.index(min(parts))
        parts[small] += parts[big] - 1000
        parts[big] = 1000
    return [p / 10 for p in parts]


@st.composite
def json_of_a_class(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["boolean", "numeric_text", "junk_after_number", "duplicate_key", "look_alike_name",
                                 "share_total"]))
    path = draw(st.sampled_from(NUMERIC_PATHS))
    current = BASE_DATA
    for part in path:
        current = current[part]
    if kind == "boolean":
        return kind, json.dumps(changed(BASE_DATA, path, draw(st.booleans()))).encode()
    if kind == "numeric_text":
        text = draw(st.sampled_from([str(current), f" {current}", f"{float(current)}", "1", "0"]))
        return kind, json.dumps(changed(BASE_DATA, path, text)).encode()
    if kind == "junk_after_number":
        marker = "__NUMBER__"
        text = json.dumps(changed(BASE_DATA, path, marker))
        return kind, text.replace(f'"{marker}"', f"{current}{draw(st.sampled_from(JUNK))}").encode()
    if kind == "duplicate_key":
        holder = BASE_DATA
        for part in path[:-1]:
            holder = holder[part]
        key = path[-1] if isinstance(path[-1], str) else draw(st.sampled_from(sorted(holder)))
        text = json.dumps(BASE_DATA)
        # Write the key a second time, first or last in its object, with any value.
        value = json.dumps(draw(st.sampled_from([holder[key], 0, 1, "x", None, True])))
        first = text.index(json.dumps(holder)) if isinstance(holder, dict) and holder is not BASE_DATA else 0
        brace = text.index("{", first)
        return kind, (text[: brace + 1] + f"{json.dumps(key)}: {value}, " + text[brace + 1 :]).encode()
    if kind == "look_alike_name":
        i, j = draw(st.sampled_from([(a, b) for a in range(len(BASE.tasks)) for b in range(len(BASE.tasks)) if a != b]))
        name = BASE.tasks[i].name
        twin = draw(st.sampled_from([name + "\u200b", "\ufeff" + name, name.upper(), unicodedata.normalize("NFD", name) + " ",
                                     name.replace(" ", "\u00a0"), "\u2060" + name + "\x1b"]))
        return kind, json.dumps(changed(BASE_DATA, ("tasks", j, "name"), twin)).encode()
    shares = _tenths(draw, len(BASE.tasks))
    data = copy.deepcopy(BASE_DATA)
    for task, share in zip(data["tasks"], shares, strict=True):
        task["time_share"] = share
    return kind, json.dumps(data).encode()


def test_json_classes(harnesses):
    h = harnesses["json"]

    @FUZZ
    @given(case=json_of_a_class())
    def check(case):
        kind, data = case
        before = h.refused
        h.run(import_json, data)
        if kind == "share_total":  # valid (in tenths, the total is 99..101 exactly): kept as written
            shares = [t["time_share"] for t in json.loads(data)["tasks"]]
            assert h.refused == before, shares
            assert [t.time_share for t in parse_assessment_json(data).tasks] == shares
        else:
            assert h.refused == before + 1, (kind, data[:200])

    check()


def _csv_rows(*rows: tuple) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([("scenario", "step", "knob", "value"), *rows])
    return buf.getvalue().encode()


@st.composite
def csv_of_a_class(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["bad_cell", "duplicate_knob", "plain_spelling", "share_total"]))
    names = [t.name for t in BASE.tasks]
    knob = draw(st.sampled_from([f"task:{n}:score" for n in names] + ["growth", "evidence:wage_trends", "barrier:union"]))
    if kind == "bad_cell":
        return kind, _csv_rows(("s", "", knob, draw(st.sampled_from(BAD_CELLS))))
    if kind == "duplicate_knob":
        again = draw(st.sampled_from(["1", "2", "0"]))
        return kind, _csv_rows(("s", "", knob, "1"), ("t", "", "growth", "0"), ("s", "", knob, again))
    if kind == "plain_spelling":
        v = draw(st.integers(0, 2))
        cell = draw(st.sampled_from(["{v}", "{v}.0", "+{v}", "{v}e0", "{v}.", " {v} "])).format(v=v)
        return kind, _csv_rows(("s", "", "barrier:union", cell))
    shares = _tenths(draw, len(names))
    return kind, _csv_rows(*(("s", "", f"task:{n}:share", repr(v)) for n, v in zip(names, shares, strict=True)))


def test_csv_classes(harnesses):
    h = harnesses["csv"]

    @FUZZ
    @given(case=csv_of_a_class())
    def check(case):
        kind, data = case
        before = h.refused
        h.run(import_csv, data)
        if kind in ("bad_cell", "duplicate_knob"):
            assert h.refused == before + 1, (kind, data)
        elif kind == "plain_spelling":
            assert h.refused == before, data
        else:  # every share named, total 99..101 in tenths: accepted and applied exactly as written
            assert h.refused == before, data
            (scenario,) = scenarios_from_csv(data, BASE)
            assert [t.time_share for t in apply(BASE, scenario).tasks] == list(scenario.changes.values())

    check()


def test_document_number_junk_and_repeated_fields_are_refused(harnesses):
    """Every such edit is refused (one line naming the line), and the store is left as it was."""
    h = harnesses["document"]

    @FUZZ
    @given(data=DOCUMENTS.flatmap(document_edits))
    def check(data):
        before = h.refused
        h.run(import_document, data)
        assert h.refused == before + 1

    check()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("json", b"[" * 100_000 + b"]" * 100_000),
        ("json", b'{"title": ' * 5000),
        ("json", b"\x00" * 10),
        ("json", b"x" * (MAX_UPLOAD_BYTES + 1)),
        ("json", VALID_JSON.replace(b'"score": 2', b'"score": 1e999', 1)),
        ("json", VALID_JSON.replace(b'"score": 2', b'"score": NaN', 1)),
        ("document", b"| Field | Value |\n" + b"|" * 500_000),
        ("document", VALID_DOC.decode().encode("utf-16")),
        ("document", render_assessment_document(BASE.model_copy(update={"title": "Ingénieur"})).encode("latin-1")),
        ("csv", b"scenario,step,knob,value\n" + b'"' * 100_000),
        ("csv", b"scenario,step,knob,value\n" + b"x,,growth,1\n" * 30_000),
        ("csv", b"scenario,step,knob,value\n" + b"a" * 200_000 + b",,growth,1\n"),
    ],
)
def test_known_nasty_inputs(harnesses, name, data):
    importer, _ = IMPORTERS[name]
    h = harnesses[name]
    before = h.refused
    h.run(importer, data)
    assert h.refused == before + 1
