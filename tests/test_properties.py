"""Properties of indexing and searching, on generated JSON-lines corpora.

Hypothesis generates small corpora (records with missing, odd or out-of-range dates,
empty or huge titles and paragraphs, any unicode, duplicate ids, lines that are not
JSON) and queries (words and prefixes taken from the indexed text, OR, NOT, phrases,
filters, pages), and checks what users rely on whatever the input:

* indexing never stops: every record with text is searchable under its id, once;
* a search answers or refuses with the product's own error, in words, not Python's;
* ``total`` is the number of hits over all pages, and pages follow one order;
* a filter narrows: it is the unfiltered result intersected with the filter alone, and
  clicking a facet value (filtering by it) gives the count the facet showed;
* the month and year facets, with their undated bucket, add up to ``total``;
* ``a OR b``, ``a b`` and ``a NOT b`` are the union, intersection and difference.

Generated text is made of invented words (syllables glued together), which no stop list
holds, with arbitrary unicode around them; a fixed corpus adds English and French
sentences built from a few phrases, so that words go through stemming too. Corpora are
small and indexed with one worker, and failures are not shrunk: the explicit examples
show each known failure at its simplest.
"""

from __future__ import annotations

import json
import random
import re
import tempfile
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from indexer.store.analysis import stoplist_for
from indexer.store.indexing import run_index
from search.engine import SearchEngine, SearchRequest
from search.querying import QueryError

SYLLABLES = ["ka", "lo", "mir", "ru", "te", "vo", "nix", "sa", "qua", "zo", "bex", "dar", "ul", "fen"]
#: What an error message must not show: Python's names for things.
PYTHON_NAMES = re.compile(
    r"\b\w*(Error|Exception|Warning)\b|Traceback|NoneType|<class |\bdict\b|\blist\b"
    r"|\b\w+\(\)|invalid literal|base 10"
)
WORD = re.compile(r"(?<!\w)[^\W\d_]{4,}(?!\w)")
#: Stop words are not searched (README: English and French stop words).
STOP_WORDS = stoplist_for("en") | stoplist_for("fr")
FILE = "corpus.jsonl"
ONE = "Kalo mirte voka sazo bexdar ulfen nixru tevo."
TWO = "Zoqua lomir darte kaul fenvo sanix ruzo bexka quate."

#: Indexing is the slow part: small corpora, and no shrinking (it would index hundreds).
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class Repeated(str):
    """A sentence repeated into a long paragraph; a failure report shows the sentence."""

    def __new__(cls, sentence: str, times: int = 100):
        return super().__new__(cls, " ".join([sentence] * times))


words = st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=4).map("".join)
sentence = st.lists(words, min_size=8, max_size=30).map(lambda ws: " ".join(ws).capitalize() + ".")
noise = st.text(max_size=120)
paragraph = st.one_of(
    sentence,
    sentence,
    sentence,
    sentence,
    noise,
    st.just(""),
    st.tuples(sentence, noise).map(" ".join),
    st.builds(Repeated, sentence),
)  # about 10 kB
valid_day = st.dates(date(1800, 1, 1), date(2025, 12, 31)).map(date.isoformat)
odd_date = st.one_of(
    st.sampled_from(
        [
            "yesterday",
            "26-FEB-1987 15:01:01.79",
            "2023-02-30",
            "0000-00-00",
            "9999-12-31",
            "2023-13-01",
            "1799-12-31",
            "",
            "  ",
            "2023-09",
            "2023",
            "07/09/2023",
        ]
    ),
    st.integers(-(10**15), 10**15),
    noise.map(lambda s: s[:30]),
)
title = st.one_of(st.none(), st.just(""), words, sentence, noise, st.builds(Repeated, sentence, st.just(20)))
ident = st.one_of(st.sampled_from(["a", "b", "c", "dup"]), st.text(min_size=1, max_size=30), st.integers(0, 10**6))
record = st.fixed_dictionaries(
    {"text": st.lists(paragraph, min_size=1, max_size=5).map("\n\n".join)},
    optional={
        "id": ident,
        "title": title,
        "date": st.one_of(valid_day, odd_date, st.none()),
        "lang": st.sampled_from(["en", "fr", "de", "xx", ""]),
        "source": st.sampled_from(["AFP", "Reuters", "Le Monde", ""]),
        "url": st.sampled_from(["https://example.org/a", "https://example.org/b"]),
    },
)
line = st.one_of(
    record.map(lambda r: ("record", r)),
    record.map(lambda r: ("record", r)),
    record.map(lambda r: ("record", r)),
    noise.filter(lambda s: s.strip() and s.splitlines() == [s] and "\x00" not in s).map(lambda s: ("garbage", s)),
)
corpora = st.tuples(st.lists(line, min_size=1, max_size=30), st.booleans())


def numbered(corpus):
    """The corpus with an id of its own for each record (duplicate ids are tested apart)."""
    lines, ascii_only = corpus
    return [
        (kind, {**obj, "id": f"r{n}"} if kind == "record" else obj) for n, (kind, obj) in enumerate(lines)
    ], ascii_only


unique_corpora = corpora.map(numbered)


def write_corpus(folder: Path, lines, ascii_only: bool, raw_separators: bool = False) -> Path:
    """Write the lines as one JSON-lines file: records as JSON (non-ASCII escaped, or
    written as UTF-8 with the Unicode line separators escaped as most writers do, or, if
    ``raw_separators``, not even those), other lines as they are."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for kind, obj in lines:
        if kind != "record":
            out.append(obj)
            continue
        text = json.dumps(obj, ensure_ascii=ascii_only)
        if not raw_separators:
            for char in "\x85\u2028\u2029":
                text = text.replace(char, f"\\u{ord(char):04x}")
        out.append(text)
    (folder / FILE).write_text("\n".join(out) + "\n", encoding="utf-8")
    return folder


def fold(word: str) -> str:
    return unicodedata.normalize("NFKD", word.lower()).encode("ascii", "ignore").decode() or word.lower()


def has_text(obj) -> bool:
    return isinstance(obj.get("text"), str) and bool(obj["text"].strip())


def has_sentence(obj) -> bool:
    return any(re.fullmatch(r"[A-Z][a-z ]+\.", p) and len(p.split()) >= 8 for p in obj["text"].split("\n\n"))


def key_of(obj) -> str | None:
    """The id a record is indexed under, when it names one."""
    value = obj.get("id") or obj.get("url")
    return str(value) if value not in (None, "") else None


def all_hits(engine: SearchEngine, text="", **kwargs) -> list[dict]:
    """Every matching article (copies of one story too: a generated corpus may hold two
    records of one text, and these invariants are the articles')."""
    kwargs.setdefault("collapse", False)
    return engine.search(SearchRequest(text, limit=10_000, facets=False, **kwargs))["hits"]


def ids(engine: SearchEngine, text="", **kwargs) -> set[str]:
    return {h["id"] for h in all_hits(engine, text, **kwargs)}


def check_message(exc: QueryError) -> None:
    message = str(exc)
    assert message and "\n" not in message and not PYTHON_NAMES.search(message), message


def search_or_refuse(engine: SearchEngine, request: SearchRequest) -> dict | None:
    """The result, or None when the product refused the request with its own error."""
    try:
        return engine.search(request)
    except QueryError as exc:
        check_message(exc)
        return None


def is_day(value) -> bool:
    """Whether a record's date is a real calendar day written YYYY-MM-DD."""
    if not (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def next_year_end() -> str:
    return f"{date.today().year + 1}-12-31"


# --- indexing ----------------------------------------------------------------------------


def index_corpus(tmp: str, lines, ascii_only: bool, raw_separators: bool = False):
    """Index the corpus; return the run's summary and every hit."""
    folder = write_corpus(Path(tmp) / "corpus", lines, ascii_only, raw_separators)
    summary = run_index([folder], Path(tmp) / "index", workers=1)
    hits = all_hits(SearchEngine(Path(tmp) / "index")) if summary.documents else []
    return summary, hits


def names_line(message: str, n: int, count: int) -> bool:
    """Whether a message names line ``n`` of the corpus file (a file of one record may
    be named alone)."""
    if FILE not in message:
        return False
    rest = message.split(FILE, 1)[1]
    return rest.startswith(f":{n}:") or (count == 1 and rest.startswith(":"))


def records_of(lines) -> list[dict]:
    return [obj for kind, obj in lines if kind == "record"]


@SETTINGS
@given(corpora)
@example(([("record", {"id": "a", "text": ONE}), ("record", {"id": "a", "text": TWO})], True))
def test_every_record_with_text_is_found_under_its_id_once(corpus):
    lines, ascii_only = corpus
    records = records_of(lines)
    with tempfile.TemporaryDirectory() as tmp:
        summary, hits = index_corpus(tmp, lines, ascii_only)
    found = [h["id"] for h in hits]
    assert len(found) == len(set(found)) == summary.documents, sorted(found)
    named = {key_of(r) for r in records if has_text(r) and key_of(r)}
    unnamed = [r for r in records if has_text(r) and not key_of(r)]
    assert {key_of(r) for r in records if has_sentence(r) and key_of(r)} <= set(found)
    assert sum(1 for r in unnamed if has_sentence(r)) <= len(set(found) - named) <= len(unnamed)


@SETTINGS
@given(unique_corpora)
@example(([("garbage", "[not, json"), ("record", {"id": "r1", "text": ONE})], True))
def test_a_line_that_is_not_json_is_one_message_naming_it(corpus):
    """Each line that does not parse is refused alone, named by its line number; the
    records around it are indexed."""
    lines, ascii_only = corpus
    with tempfile.TemporaryDirectory() as tmp:
        summary, hits = index_corpus(tmp, lines, ascii_only)
    assert {key_of(r) for r in records_of(lines) if has_sentence(r)} <= {h["id"] for h in hits}
    for n, (kind, _) in enumerate(lines, 1):
        if kind == "garbage":
            assert any(names_line(p, n, len(lines)) for p in summary.problems), (n, summary.problems)
    refused = [p for p in summary.problems if "JSON" in p]
    assert len(refused) == sum(kind == "garbage" for kind, _ in lines), refused
    for message in summary.problems + summary.warnings:
        assert "\n" not in message and FILE in message and not PYTHON_NAMES.search(message), message


@SETTINGS
@given(st.lists(sentence, min_size=2, max_size=6), st.sampled_from(["\u2028", "\u2029", "\x85"]))
@example([ONE, TWO], "\u2028")
def test_a_record_holding_a_unicode_line_separator_is_one_article(texts, separator):
    """JSON allows U+2028, U+2029 and U+0085 unescaped inside strings, and JSON Lines
    ends a record only at a newline: such a record is one article, and the line numbers
    of the records after it stay right."""
    lines = [
        ("record", {"id": f"r{n}", "text": text.replace(" ", separator, 1) if n == 0 else text})
        for n, text in enumerate(texts)
    ] + [("garbage", "{not json")]
    with tempfile.TemporaryDirectory() as tmp:
        summary, hits = index_corpus(tmp, lines, False, raw_separators=True)
    assert {h["id"] for h in hits} == {f"r{n}" for n in range(len(texts))}, summary.problems
    assert len(summary.problems) == 1 and names_line(summary.problems[0], len(lines), len(lines)), summary.problems


@SETTINGS
@given(st.lists(st.tuples(st.one_of(valid_day, odd_date, st.none()), sentence), min_size=1, max_size=30))
@example([("1987-02-26", ONE), ("yesterday", TWO)])
def test_a_metadata_date_is_kept_and_any_date_shown_is_a_day(dated):
    lines = [("record", {"id": f"r{n}", "date": day, "text": text}) for n, (day, text) in enumerate(dated)]
    with tempfile.TemporaryDirectory() as tmp:
        summary, hits = index_corpus(tmp, lines, False)
    by_id = {h["id"]: h for h in hits}
    assert len(by_id) == len(lines)
    for n, (day, _) in enumerate(dated):
        hit = by_id[f"r{n}"]
        if hit["date"] is not None:
            date.fromisoformat(hit["date"])
        if is_day(day) and "1800" <= day <= next_year_end():
            assert (hit["date"], hit["date_source"]) == (day, "metadata"), (day, hit)
        elif day is not None and str(day).strip() and hit["date_source"] != "metadata":
            assert any(names_line(w, n + 1, len(lines)) and "date" in w for w in summary.warnings), (
                day,
                hit,
                summary.warnings,
            )


@SETTINGS
@given(corpora, st.randoms(use_true_random=False))
def test_a_second_run_changes_nothing_and_dropped_records_vanish(corpus, rnd):
    lines, ascii_only = corpus
    with tempfile.TemporaryDirectory() as tmp:
        summary, hits = index_corpus(tmp, lines, ascii_only)
        again = run_index([Path(tmp) / "corpus"], Path(tmp) / "index", workers=1)
        assert (again.added, again.updated, again.deleted, again.documents) == (0, 0, 0, summary.documents)
        kept = [item for item in lines if rnd.random() < 0.5] + [("record", {"id": "added later", "text": ONE})]
        _, now = index_corpus(tmp, kept, ascii_only)
    assert "added later" in {h["id"] for h in now}
    remaining = {key_of(obj) for obj in records_of(kept) if has_text(obj)}
    named = {key_of(obj) for obj in records_of(lines) if has_text(obj)}
    gone = ({h["id"] for h in hits} & named) - remaining
    assert not {h["id"] for h in now} & gone


# --- searching a generated corpus ---------------------------------------------------------


def build(tmp: str, lines, ascii_only: bool) -> SearchEngine | None:
    folder = write_corpus(Path(tmp) / "corpus", lines, ascii_only)
    summary = run_index([folder], Path(tmp) / "index", workers=1)
    return SearchEngine(Path(tmp) / "index") if summary.documents else None


def vocabulary(engine: SearchEngine) -> dict[str, set[str]]:
    """Each word of the indexed text (letters only, four or more, not a stop word), and
    the articles showing it."""
    where: dict[str, set[str]] = {}
    for hit in all_hits(engine):
        record = engine.article(hit["id"])
        for text in [record["title"], *(p["text"] for p in record["paragraphs"])]:
            for word in WORD.findall(text):
                if fold(word) not in STOP_WORDS:
                    where.setdefault(word, set()).add(hit["id"])
    return where


def spread(entries: list, n: int) -> list:
    """At most ``n`` entries, evenly spread (the first and the last among them)."""
    if len(entries) <= n:
        return entries
    return [entries[round(k * (len(entries) - 1) / (n - 1))] for k in range(n)]


def check_result(engine: SearchEngine, request: SearchRequest, unfiltered: set[str] | None = None) -> None:
    """The invariants of one search: pages, the filter as an intersection, facets that add
    up, and facet values that, clicked, give the count they showed."""
    result = search_or_refuse(engine, request)
    if result is None:
        return
    total = result["total"]
    base = {
        "actors": request.actors,
        "since": request.since,
        "until": request.until,
        "lang": request.lang,
        "source": request.source,
    }
    full = all_hits(engine, request.query, sort=request.sort, **base)
    assert len(full) == total
    paged, page = [], 1
    limit = max(1, total // 3)
    while True:
        part = engine.search(
            SearchRequest(
                request.query, sort=request.sort, limit=limit, page=page, facets=False, collapse=False, **base
            )
        )
        assert part["total"] == total
        if not part["hits"]:
            break
        paged += [h["id"] for h in part["hits"]]
        page += 1
    assert paged == [h["id"] for h in full]
    matched = {h["id"] for h in full}
    if unfiltered is not None:
        assert matched == unfiltered & ids(engine, "", **base)

    facets = result["facets"]
    assert sum(d["count"] for d in facets["month"]) == total
    assert sum(d["count"] for d in facets["year"]) == total
    clicks = [({"lang": e["value"]}, e) for e in facets["language"] if not request.lang]
    clicks += [
        ({"since": e["value"], "until": e["value"]}, e)
        for e in spread([e for e in facets["month"] if e["value"] != "undated"], 3)
        if not (request.since or request.until)
    ]
    clicks += [({"actors": [*request.actors, e["value"]]}, e) for e in spread(facets["actor"], 3)]
    clicks += [({"source": e["value"]}, e) for e in facets["source"] if not request.source]
    for change, entry in clicks:
        narrowed = ids(engine, request.query, **{**base, **change})
        assert narrowed <= matched and len(narrowed) == entry["count"], (change, entry)


queries = st.lists(
    st.tuples(
        st.integers(0, 10**6),
        st.integers(0, 10**6),
        st.integers(3, 12),
        st.sampled_from(["word", "prefix", "or", "and", "not", "phrase"]),
        st.sampled_from(["relevance", "date", "recent"]),
    ),
    min_size=1,
    max_size=4,
)
filters = st.fixed_dictionaries(
    {},
    optional={
        "lang": st.sampled_from(["en", "fr", "de", "xx", "EN", ""]),
        "since": st.one_of(valid_day, st.sampled_from(["2001", "2019-02", "2023-02-30", "soon", "1799"])),
        "until": st.one_of(valid_day, st.sampled_from(["2030", "2019-02", "20", "2019-13"])),
        "source": st.sampled_from(["AFP", "afp", "Le Monde", "nowhere"]),
        "actors": st.sampled_from([["Putin"], ["Armenia", "Russia"], ["nobody at all"]]),
    },
)


@SETTINGS
@given(unique_corpora, queries, filters)
def test_searches_keep_their_invariants(corpus, drawn, filt):
    lines, ascii_only = corpus
    with tempfile.TemporaryDirectory() as tmp:
        engine = build(tmp, lines, ascii_only)
        if engine is None:
            return
        where = vocabulary(engine)
        words_ = sorted(where)
        check_result(engine, SearchRequest("", collapse=False, **filt), ids(engine))
        for i, j, cut, kind, sort in drawn:
            if not words_:
                break
            a, b = words_[i % len(words_)], words_[j % len(words_)]
            text = {
                "word": a,
                "prefix": a[: min(cut, len(a), 4)] + "*",
                "or": f"{a} OR {b}",
                "and": f"{a} {b}",
                "not": f"{a} NOT {b}",
                "phrase": f'"{a} {b}"',
            }[kind]
            found = ids(engine, text)
            if kind in ("word", "prefix"):
                assert where[a] <= found, (text, where[a] - found)
            if kind == "or":
                assert found == ids(engine, a) | ids(engine, b)
            if kind == "and":
                assert found == ids(engine, a) & ids(engine, b)
            if kind == "not":
                assert found == ids(engine, a) - ids(engine, b)
            if kind == "phrase":
                assert found <= ids(engine, a) & ids(engine, b)
            check_result(engine, SearchRequest(text, sort=sort, collapse=False, **filt), found)


# --- queries of any shape, on one index --------------------------------------------------


#: Sentence parts of the fixed corpus's English and French paragraphs, so that its words
#: go through stemming: (subjects, verbs, objects, endings) per language.
PHRASES = {
    "en": (
        ["The ministers", "Several negotiators", "The protesters", "Local officials"],
        ["discussed", "postponed", "criticised", "announced"],
        ["the briefings", "new regulations", "the negotiations", "several agreements", "the elections"],
        ["in the capital on Tuesday.", "after long meetings.", "before the summer holidays."],
    ),
    "fr": (
        ["Les ministres", "Plusieurs négociateurs", "Les manifestants", "Les responsables locaux"],
        ["ont discuté", "ont reporté", "ont critiqué", "ont annoncé"],
        ["les élections", "les négociations", "plusieurs accords", "les nouvelles réglementations"],
        ["dans la capitale mardi.", "après de longues réunions.", "avant les vacances d'été."],
    ),
}


def fixed_corpus(seed: int = 7) -> list:
    """Forty records, the same every time: invented words, English and French sentences
    made of :data:`PHRASES`, dates (every fifth record undated) and sources."""
    rnd = random.Random(seed)
    lines = []
    for n in range(40):
        paragraphs = [
            " ".join(
                "".join(rnd.choices(SYLLABLES, k=rnd.randint(2, 4))) for _ in range(rnd.randint(10, 40))
            ).capitalize()
            + "."
            for _ in range(rnd.randint(1, 3))
        ]
        if n % 3:
            parts = PHRASES["en" if n % 3 == 1 else "fr"]
            paragraphs.append(" ".join(" ".join(rnd.choice(options) for options in parts) for _ in range(4)))
        lines.append(
            (
                "record",
                {
                    "id": f"r{n}",
                    "title": paragraphs[0][:40],
                    "text": "\n\n".join(paragraphs),
                    "date": f"{rnd.randint(2015, 2024)}-{rnd.randint(1, 12):02}-{rnd.randint(1, 28):02}"
                    if n % 5
                    else None,
                    "source": rnd.choice(["AFP", "Reuters", None]),
                },
            )
        )
    return lines


class Fixed:
    """The index of :func:`fixed_corpus` and its vocabulary (short in a failure report)."""

    def __init__(self, folder: Path):
        self.engine = build(str(folder), fixed_corpus(), True)
        self.where = vocabulary(self.engine)

    def __repr__(self):
        return "<the index of fixed_corpus()>"


@pytest.fixture(scope="module")
def fixed(tmp_path_factory):
    return Fixed(tmp_path_factory.mktemp("fixed"))


query_text = st.one_of(
    st.text(max_size=60),
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "AND",
                    "OR",
                    "NOT",
                    "(",
                    ")",
                    '"',
                    "*",
                    "title:",
                    "actor:",
                    "lang:",
                    "source:",
                    "date:",
                    "date:[",
                    " to ",
                    "]",
                    "{",
                    "}",
                    "^2",
                    "~",
                    "2023",
                    "2023-09",
                    "2023-02-30",
                    "Putin",
                    ":",
                ]
            ),
            words,
            st.text(max_size=5),
        ),
        max_size=8,
    ).map(" ".join),
)


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query_text, st.sampled_from(["relevance", "date", "recent"]))
@example("NOT AND 0", "relevance")
@example("date:[2020 to", "date")
@example('title:"', "recent")
def test_any_query_is_answered_or_refused_in_words(fixed, text, sort):
    engine = fixed.engine
    result = search_or_refuse(engine, SearchRequest(text, sort=sort, limit=5))
    if result is not None:
        assert sum(d["count"] for d in result["facets"]["month"]) == result["total"]
        assert len(result["hits"]) == min(5, result["total"])


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.data())
def test_a_prefix_of_a_word_finds_every_article_showing_the_word(fixed, data):
    """Any start of a word (three letters or more), as the article shows it, then ``*``:
    ``negotiat*`` finds "negotiations" as ``kalom*`` finds "kalomir"."""
    engine, where = fixed.engine, fixed.where
    phrased = {w for parts in PHRASES.values() for options in parts for o in options for w in WORD.findall(o)}
    word = data.draw(
        st.one_of(
            st.sampled_from(sorted(w for w in where if len(w) >= 6 and w in phrased)),
            st.sampled_from(sorted(w for w in where if len(w) >= 6)),
        )
    )
    cut = data.draw(st.integers(3, len(word)))
    found = ids(engine, word[:cut] + "*")
    assert where[word] <= found, (word[:cut] + "*", word, where[word] - found)
