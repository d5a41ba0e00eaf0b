"""What a query means: stop words, fields combined as best_fields, -word, hyphens, elided
actor names, same-position forms of a word, and the syntax refused rather than misread."""

import json

import numpy as np
import pytest
from whoosh import fields
from whoosh import query as q
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer
from whoosh.filedb.filestore import RamStorage

from indexer.ingest.actors import AliasTable, load_table
from indexer.store.indexing import run_index
from search import settings
from search.best_fields import BestFields
from search.engine import SearchEngine, SearchRequest
from search.evaluation import Evaluator
from search.querying import QueryBuilder, QueryError, StemmedPrefix, resolve
from search.web import create_app

from .helpers import run_cli

EN, FR = "en", "fr"
#: (id, language, title, text): each paragraph long enough for its language to be clear.
ARTICLES = [
    (
        "en-kremlin",
        EN,
        "Moscow answers the sanctions",
        "The Kremlin said on Tuesday that the new sanctions would not change its foreign policy. "
        "Dmitry Peskov told reporters that the government remained ready for talks with anyone.",
    ),
    (
        "fr-kremlin",
        FR,
        "Réaction de Moscou",
        "Le Kremlin a déclaré mardi que les nouvelles sanctions ne changeraient rien à sa politique "
        "étrangère. Son porte-parole a refusé de commenter davantage la décision des Européens.",
    ),
    (
        "fr-guerre",
        FR,
        "Reprise des combats",
        "La guerre au Karabakh a repris samedi après plusieurs semaines de calme relatif dans les "
        "montagnes. Les deux camps s'accusent mutuellement d'avoir rompu le cessez-le-feu conclu en novembre.",
    ),
    (
        "en-nagorno",
        EN,
        "Fighting resumes",
        "Fighting resumed in Nagorno-Karabakh on Saturday, local officials said, after weeks of relative "
        "calm in the mountainous region. Residents of the villages near the front line were told to leave.",
    ),
    (
        "en-front",
        EN,
        "Fire across the line",
        "Armenian and Azerbaijani forces exchanged fire across the line of contact in Karabakh overnight, "
        "the defence ministry reported on Sunday, adding that nobody had been wounded in the shooting.",
    ),
    (
        "en-csto",
        EN,
        "Summit in Yerevan",
        "The Collective Security Treaty Organization held a summit in Yerevan this week, and the leaders of "
        "the member states discussed border security and the deployment of observers along the frontier.",
    ),
    (
        "en-baku",
        EN,
        "Gas deal signed",
        "Azerbaijan signed a long-term gas supply agreement with several European companies on Monday, "
        "officials in Baku said, promising larger deliveries through the southern pipeline next winter.",
    ),
    (
        "en-opera",
        EN,
        "Season opens in Milan",
        "Opera lovers queued for hours outside La Scala in Milan as the season opened with a new production "
        "that critics praised for its staging, its orchestra and its young cast of singers.",
    ),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    lines = [
        json.dumps({"id": i, "lang": lang, "title": title, "text": text, "date": "2023-09-07"})
        for i, lang, title, text in ARTICLES
    ]
    (corpus / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    index = tmp_path_factory.mktemp("index")
    assert run_index([corpus], index).failed == 0
    return SearchEngine(index)


def hits(engine, text, **kwargs) -> dict[str, float]:
    result = engine.search(SearchRequest(text, limit=100, facets=False, **kwargs))
    return {h["id"]: h["score"] for h in result["hits"]}


def ids(engine, text) -> set[str]:
    return set(hits(engine, text))


def refusal(engine, text) -> str:
    with pytest.raises(QueryError) as caught:
        engine.search(SearchRequest(text))
    assert caught.value.param == "query"
    return str(caught.value)


# --- stop words ----------------------------------------------------------------------------


def test_a_stop_word_of_any_language_is_not_required(engine):
    # "the" is no stop word for French text: it was required there, and the French
    # article saying "Le Kremlin" was left out
    assert ids(engine, "the Kremlin") == ids(engine, "Kremlin") == {"en-kremlin", "fr-kremlin"}
    # "la" and "au" are no stop words for English text (nor "the" in the title)
    assert ids(engine, "la guerre au Karabakh") == ids(engine, "guerre Karabakh") == {"fr-guerre"}


def test_stop_words_among_other_words_do_not_change_the_ranking(engine):
    # "La Scala" is indexed in English text, and "the" in titles: a stop word of any
    # language is left out, so neither lifts an article that happens to hold it
    for plain, with_stops in (("Milan", "la Milan"), ("Kremlin", "the Kremlin")):
        assert hits(engine, with_stops) == hits(engine, plain)


def test_a_query_of_stop_words_alone_finds_what_it_can(engine):
    found = hits(engine, "the la")
    assert "en-opera" in found  # "La Scala" in English text, where "la" is a word
    assert 0 < len(found) < len(ARTICLES)
    assert all(score > 0 for score in found.values())


def test_a_required_stop_word_is_required(engine):
    assert ids(engine, "+la Milan") == {"en-opera"}
    assert ids(engine, "+la Kremlin") == set()  # neither says "la" where it is indexed


def test_a_stop_word_cannot_be_excluded_and_the_message_says_why(engine):
    for text in ["NOT NOT NOT the", "Kremlin -the", "Kremlin NOT des", "Kremlin NOT (la OR the)"]:
        message = refusal(engine, text)
        assert "stop word" in message and "pairs" not in message, message


def test_a_word_naming_an_actor_is_never_optional(engine):
    # "un" is a French stop word; "UN" in capitals, the United Nations
    engine.searcher()
    builder = engine.builder
    assert builder.parse("un sanctions") == builder.parse("sanctions")
    named = builder.parse("UN sanctions")
    assert named != builder.parse("sanctions")
    assert any(t == ("actors", "United Nations") for t in named.iter_all_terms())


# --- best fields -----------------------------------------------------------------------------


def field_scores(engine, query: BestFields) -> dict[str, list[float]]:
    searcher, columns = engine.searcher()
    evaluator = Evaluator(searcher, columns.live(), columns.dates())
    out: dict[str, list[float]] = {}
    for sub in query.subqueries:
        matches = evaluator.run(sub)
        for doc in np.flatnonzero(matches.mask):
            out.setdefault(searcher.stored_fields(int(doc))["id"], []).append(float(matches.scores[doc]))
    return out


@pytest.mark.parametrize("word", ["sanctions", "Karabakh", "Milan"])  # in a title and a text, or a text and a tag
def test_a_word_scores_its_best_field_plus_a_share_of_the_others(engine, word):
    query = engine.builder.parse(word)
    assert isinstance(query, BestFields)
    per_field = field_scores(engine, query)
    assert any(len(scores) > 1 for scores in per_field.values())  # found in several fields
    tiebreak = settings.BEST_FIELDS_TIEBREAK
    for doc, score in hits(engine, word).items():
        scores = per_field[doc]
        best = max(scores)
        assert score == pytest.approx(best + tiebreak * (sum(scores) - best), abs=1e-4), doc
        if len(scores) > 1:
            assert score < sum(scores) - 1e-3  # no longer the sum


def test_whoosh_matchers_score_best_fields_as_the_evaluator(engine, monkeypatch):
    """Whoosh's matchers evaluate the query kinds the evaluator leaves to them (here a
    phrase with slop); both give the same documents and scores."""
    monkeypatch.setattr(q.Or, "matcher_type", q.Or.DEFAULT_MATCHER)
    searcher, columns = engine.searcher()
    for text in ["Kremlin sanctions", '"Kremlin said"~2 OR Karabakh', "the Karabakh -Armenian", "Nagorno-Karabakh"]:
        query = engine.builder.parse(text)
        matches = Evaluator(searcher, columns.live(), columns.dates()).run(query)
        ours = {int(d): float(matches.scores[d]) for d in np.flatnonzero(matches.mask)}
        theirs = {docnum: score for score, docnum in searcher.search(query, limit=None).top_n}
        assert ours.keys() == theirs.keys() and ours, text
        for docnum, score in theirs.items():
            assert ours[docnum] == pytest.approx(score, rel=1e-9), text


# --- -word, +word, hyphens ---------------------------------------------------------------------


def test_a_leading_minus_means_not(engine):
    assert ids(engine, "Kremlin -Peskov") == ids(engine, "Kremlin NOT Peskov") == {"fr-kremlin"}
    assert ids(engine, "Kremlin Peskov") == {"en-kremlin"}
    assert ids(engine, '(Kremlin OR Karabakh) -(Peskov OR "line of contact")') == {
        "fr-kremlin",
        "fr-guerre",
        "en-nagorno",
    }
    assert ids(engine, "Kremlin -title:Moscow") == {"fr-kremlin"}


def test_hyphens_inside_words_are_no_operator(engine):
    assert "fr-guerre" in ids(engine, "cessez-le-feu")
    assert "fr-guerre" in ids(engine, '"cessez-le-feu"')
    assert ids(engine, "cessez-le-feu") == ids(engine, "cessez le feu")
    assert ids(engine, "Kremlin - Peskov") == ids(engine, "Kremlin Peskov")  # a dash alone is no operator


def test_a_hyphenated_name_finds_what_its_words_find(engine):
    expected = {"en-nagorno", "en-front", "fr-guerre"}  # the last two say "Karabakh" only
    assert ids(engine, "Nagorno-Karabakh") == ids(engine, "Nagorno Karabakh") == expected
    assert ids(engine, "Haut-Karabakh") == ids(engine, "Haut Karabakh") == expected
    assert (
        ids(engine, "Milan OR Nagorno-Karabakh")
        == ids(engine, "Milan OR (Nagorno Karabakh)")
        == expected | {"en-opera"}
    )


def test_two_nots_cancel_out(engine):
    assert ids(engine, "NOT NOT Kremlin") == ids(engine, "Kremlin")
    assert ids(engine, "NOT NOT NOT Kremlin") == ids(engine, "NOT Kremlin")


# --- elided actor names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "elided, bare, target",
    [
        ("l'OTSC", "OTSC", "en-csto"),
        ("d'Azerbaïdjan", "Azerbaïdjan", "en-baku"),
        ("l’Azerbaïdjan", "Azerbaïdjan", "en-baku"),
    ],
)
def test_an_elided_name_finds_the_actor_as_the_bare_name(engine, elided, bare, target):
    assert target in ids(engine, bare)  # through the actor's tag: the article says it in English
    assert ids(engine, elided) == ids(engine, bare)


def test_resolve_drops_elisions_and_possessives():
    table = load_table()
    assert resolve(table, "l'OTSC") == resolve(table, "OTSC") == "CSTO"
    assert resolve(table, "Putin's") == resolve(table, "Poutine")
    assert resolve(table, "l'otsc") is None  # an acronym only in capitals


# --- syntax refused rather than misread ------------------------------------------------------


@pytest.mark.parametrize(
    "text, says",
    [
        ("Kremlin AND", "'AND' needs something to search on each side"),
        ("AND Kremlin", "'AND' needs something to search on each side"),
        ("OR Kremlin", "'OR' needs something to search on each side"),
        ("Kremlin AND OR Peskov", "'AND' needs something to search on each side"),
        ("(Kremlin AND) Peskov", "'AND' needs something to search on each side"),
        ("Kremlin NOT", "'NOT' needs something to search right after it"),
        ("NOT", "'NOT' needs something to search right after it"),
        ("(Pashinyan", "'(' is not closed"),
        ("Pashinyan)", "')' has no '(' before it"),
        ('"Kremlin said', "quote"),
        ("date:[2023 to", "'['"),
        ("title:", "'title:' needs what to search right after it"),
        ("title: Kremlin", "'title:' needs what to search right after it"),
        ("(Kremlin actor:)", "'actor:' needs what to search right after it"),
        ("foo:bar", "unknown field 'foo:'"),
    ],
)
def test_dangling_operators_brackets_and_fields_are_refused(engine, text, says):
    message = refusal(engine, text)
    assert says in message
    assert "\n" not in message


def test_text_with_colons_and_operators_in_lower_case_are_words(engine):
    assert ids(engine, "Kremlin 10:30") == set()  # searched as words, not a field
    assert engine.search(SearchRequest("Kremlin and Moscow"))["total"] >= 1  # "and": a stop word


def test_refusals_on_the_command_line_and_the_web(engine):
    result = run_cli("query", "Kremlin AND", "--index", engine.index_dir)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "news-search: query: 'AND' needs something to search on each side of it"
    ]
    response = create_app(engine.index_dir).test_client().get("/api/search?q=%28Pashinyan")
    assert response.status_code == 400
    assert response.json["param"] == "q" and "not closed" in response.json["error"]


# --- prefixes --------------------------------------------------------------------------------


def test_a_prefix_matches_words_as_typed(engine):
    query = engine.builder.parse("OTS*")
    assert {type(sub) for sub in query.subqueries} >= {StemmedPrefix}
    assert {sub.text for sub in query.subqueries} == {"ots"}
    assert ids(engine, "Organiz*") == {"en-csto"}
    assert ids(engine, "Kremlin signe*") == set()
    assert ids(engine, "sign*") == {"en-baku"}


# --- several forms at one position -----------------------------------------------------------


class PluralToo(Filter):
    """A toy analysis: a word ending in "s" is also its singular, at the same position."""

    def __call__(self, tokens):
        for t in tokens:
            word = t.text
            yield t
            if len(word) > 3 and word.endswith("s"):
                t.text = word[:-1]
                yield t


@pytest.fixture(scope="module")
def plural_index():
    analyzer = RegexTokenizer() | LowercaseFilter() | PluralToo()
    schema = fields.Schema(
        id=fields.ID(stored=True),
        title=fields.TEXT(analyzer=analyzer, phrase=True),
        text_en=fields.TEXT(analyzer=analyzer, phrase=True),
        text_other=fields.TEXT(phrase=True),
        actors=fields.KEYWORD(commas=True),
    )
    ix = RamStorage().create_index(schema)
    with ix.writer() as writer:
        writer.add_document(id="one", text_en="a black cat sat on the mat")
        writer.add_document(id="many", text_en="black cats chase mice")
        writer.add_document(id="none", text_en="a white dog")
    return ix


def found(ix, query) -> set[str]:
    with ix.searcher() as searcher:
        live = np.ones(searcher.doc_count_all(), dtype=bool)
        matches = Evaluator(searcher, live).run(query)
        return {searcher.stored_fields(int(d))["id"] for d in np.flatnonzero(matches.mask)}


def test_forms_at_one_position_are_alternatives(plural_index):
    builder = QueryBuilder(plural_index.schema, AliasTable([]), ("en",))
    query = builder.parse("cats")
    # either form matches, and one word counts once: the best of its forms (Whoosh
    # merges them into the word's best-fields query, a maximum too)
    assert isinstance(query, q.DisjunctionMax) and not isinstance(query, q.Or)
    english = [sub for sub in query.subqueries if sub.field() == "text_en"]
    assert english == [q.Term("text_en", "cats"), q.Term("text_en", "cat")]
    assert found(plural_index, query) == {"one", "many"}  # "cat" alone is enough
    assert found(plural_index, builder.parse("black cats")) == {"one", "many"}
    assert found(plural_index, builder.parse('"black cats"')) == {"one", "many"}
    assert found(plural_index, builder.parse('"black cats chase"')) == {"many"}
    assert found(plural_index, builder.parse('"cats mat"')) == set()


# --- field statistics --------------------------------------------------------------------------


def test_a_fields_statistics_count_only_the_articles_having_the_field(engine):
    """A French article is compared with the average French text, not with an average
    that the English articles (without French text) pull down; a French word's rarity is
    counted among the articles with French text."""
    from math import log

    from indexer.store.lengths import load_lengths

    searcher, _ = engine.searcher()
    [(segment, _)] = searcher.leaf_searchers()
    lengths = [n for n in load_lengths(segment.reader(), "text_fr") if n]
    assert 0 < len(lengths) < searcher.doc_count_all()  # the French articles only
    scorer = searcher.weighting.scorer(segment, "text_fr", "kremlin")
    assert scorer.avgfl == pytest.approx(searcher.field_length("text_fr") / len(lengths))
    assert scorer.avgfl > searcher.avg_field_length("text_fr") * 2  # Whoosh's: over every article
    df = searcher.doc_frequency("text_fr", "kremlin")
    assert df and scorer.idf == pytest.approx(log(len(lengths) / (df + 1)) + 1)


def test_a_word_scores_the_same_typed_with_or_without_its_accents(tmp_path):
    # French is indexed under two forms of "sécurité" (stemmed before and after folding);
    # typed with accents the query holds both, without only one: one word counts once
    records = [
        {"id": "fr", "lang": "fr", "text": "La sécurité de la frontière reste la priorité du gouvernement."},
        {"id": "de", "lang": "de", "text": "Die Securite der Grenze bleibt die Priorität der Regierung."},
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    assert run_index([tmp_path / "c.jsonl"], tmp_path / "index", workers=1).failed == 0
    engine = SearchEngine(tmp_path / "index")
    accented, plain = hits(engine, "sécurité"), hits(engine, "securite")
    assert accented.keys() == plain.keys() == {"fr", "de"}
    assert accented == pytest.approx(plain)
