"""Headlines: a title the file declares, or a short first line standing apart, is searched
as a title; a title made from the first sentence only shows the article."""

import json

import pytest
from whoosh import query as q

from indexer.ingest.article import Article
from indexer.ingest.pipeline import Pipeline, front_matter_title, looks_like_headline, split_title
from indexer.store.index_folder import open_index

from .helpers import inspect_records, run_cli

BODY = (
    "Ministers from both countries met in Brussels on Tuesday for a fourth round of talks "
    "on the border, which both sides described as constructive.\n\n"
    "A further meeting is planned for next month in Geneva, officials said.\n"
)


def write(root, name, text):
    path = root / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("headlines")
    write(root, "headline.txt", "Border talks resume in Brussels\n\n" + BODY)
    write(root, "question.txt", "Will the border talks resume?\n\n" + BODY)
    write(root, "sentence.txt", "The talks on the border resumed in Brussels on Tuesday.\n\n" + BODY)
    write(root, "no-blank.txt", "Border talks resume in Brussels\n" + BODY)
    write(
        root,
        "long-lead.txt",
        BODY.replace(
            "constructive.", "constructive. The delegations will report to their governments before the next round."
        ),
    )
    write(root, "front-matter.md.txt", '---\ntitle: "Talks: a fourth round"\ndraft: false\n---\n\n' + BODY)
    write(
        root,
        "page.html",
        "<html><head><title>Geneva meeting planned</title></head><body><article>"
        + "".join(f"<p>{p}</p>" for p in BODY.split("\n\n") if p.strip())
        + "</article></body></html>",
    )
    write(root, "records.jsonl", json.dumps({"id": "declared", "title": "Brussels round ends.", "text": BODY}) + "\n")
    return root


@pytest.fixture(scope="module")
def records(corpus):
    result, records = inspect_records(corpus)
    assert result.exit_code == 0, result.output
    return {r["id"].removesuffix(".txt").removesuffix(".html"): r for r in records}


@pytest.mark.parametrize(
    "name, title",
    [
        ("headline", "Border talks resume in Brussels"),
        ("question", "Will the border talks resume?"),
        ("front-matter.md", "Talks: a fourth round"),
        ("page", "Geneva meeting planned"),
        ("declared", "Brussels round ends."),  # declared by the file: a headline whatever its end
    ],
)
def test_headlines(records, name, title):
    record = records[name]
    assert (record["title"], record["headline"]) == (title, True)
    assert record["paragraphs"][0]["text"].startswith("Ministers from both countries")


@pytest.mark.parametrize(
    "name, title",
    [
        ("sentence", "The talks on the border resumed in Brussels on Tuesday."),  # ends like a sentence
        ("no-blank", "Border talks resume in Brussels"),  # runs straight into the text
        (
            "long-lead",
            "Ministers from both countries met in Brussels on Tuesday for a fourth round of talks on the border, which both sides…",
        ),
    ],
)
def test_titles_made_from_the_text_are_no_headlines(records, name, title):
    """A first sentence, a line running into the text, a long first paragraph: the title
    shows the article, and the text keeps the words it was made from."""
    record = records[name]
    assert (record["title"], record["headline"]) == (title, False)
    assert record["paragraphs"][0]["text"].startswith(title.rstrip("…"))


def test_what_looks_like_a_headline():
    assert looks_like_headline("Rivals of the £400 Apple...")
    assert looks_like_headline("Is Armenia leaving the CSTO?")
    assert not looks_like_headline("Armenia is leaving the CSTO.")
    assert not looks_like_headline('He said "we are leaving."')
    assert not looks_like_headline(" ".join(["word"] * 21))


def test_split_title_reads_the_text_for_a_line_standing_apart():
    paragraphs = ["Border talks resume", "Ministers met."]
    assert split_title(paragraphs, "Border talks resume\n\nMinisters met.") == (
        "Border talks resume",
        ["Ministers met."],
        True,
    )
    assert split_title(paragraphs, "## **Border talks  resume**\r\n\r\nMinisters met.")[2]  # markdown, CRLF
    assert not split_title(paragraphs, "Border talks resume\nMinisters met.")[2]
    assert split_title(["£8m bid for duo", "Body."], "&#163;8m bid for duo\n\nBody.")[2]  # as cleaning reads it
    assert split_title(paragraphs, "Border talks resume\nMinisters met.", blocks=True)[2]  # a page: a block a line
    assert split_title(paragraphs, "", declared="Talks") == ("Talks", paragraphs, True)
    assert split_title(paragraphs, "", declared="Border talks resume") == (
        "Border talks resume",
        ["Ministers met."],
        True,
    )


def test_front_matter_titles():
    assert front_matter_title("---\ntitle: 'It''s over'\ndate: 2020-01-02\n---\nText") == "It's over"
    assert front_matter_title('+++\ntitle = "A \\"quoted\\" word"\n+++\nText') == 'A "quoted" word'
    assert front_matter_title("---\ndraft: true\n---\nText") is None
    assert front_matter_title("title: not front matter\n\nText") is None


@pytest.fixture(scope="module")
def index(corpus, tmp_path_factory):
    path = tmp_path_factory.mktemp("headlines-index")
    result = run_cli("index", corpus, "--index", path, "--quiet")
    assert result.exit_code == 0, result.output
    return path


def ids(searcher, query):
    return sorted(
        searcher.stored_fields(n)["id"].removesuffix(".txt").removesuffix(".html") for n in query.docs(searcher)
    )


def test_only_headlines_are_searched_as_titles(index):
    with open_index(index).searcher() as searcher:
        assert ids(searcher, q.Term("title", "border")) == ["headline", "question"]
        assert ids(searcher, q.Term("title", "resumed")) == []  # "sentence": a first sentence
        assert ids(searcher, q.Term("title", "ministers")) == []  # "long-lead"
        assert ids(searcher, q.Every("title")) == ["declared", "front-matter.md", "headline", "page", "question"]
        # every title is still there to show
        assert {searcher.stored_fields(n)["title"] for n in range(searcher.doc_count_all())} >= {
            "The talks on the border resumed in Brussels on Tuesday.",
            "Border talks resume in Brussels",
        }


def test_a_title_from_the_text_is_not_counted_twice(index):
    """The first sentence is in the text once: a derived title does not add it again."""
    with open_index(index).searcher() as searcher:
        counts = {}
        for n in range(searcher.doc_count_all()):
            name = searcher.stored_fields(n)["id"].removesuffix(".txt").removesuffix(".html")
            vector = dict(searcher.reader().postings("text_en", "minist").items_as("frequency"))
            counts[name] = vector.get(n, 0)
        assert counts["long-lead"] == counts["headline"] == 1
        assert counts["sentence"] == 1


def test_title_searches_find_headlines_and_words_find_every_article(index):
    from search.engine import SearchEngine, SearchRequest

    engine = SearchEngine(index)

    def found(text):
        hits = engine.search(SearchRequest(text, limit=100, facets=False, collapse=False))["hits"]
        return sorted(h["id"].removesuffix(".txt").removesuffix(".html") for h in hits)

    assert found("title:border") == ["headline", "question"]
    assert found("title:*") == ["declared", "front-matter.md", "headline", "page", "question"]
    assert found("title:resumed") == []
    assert "sentence" in found("resumed")  # its first sentence is searched as text
    titles = {
        h["id"]: h["title"]
        for h in engine.search(SearchRequest("Geneva", limit=100, facets=False, collapse=False))["hits"]
    }
    assert titles["sentence.txt"] == "The talks on the border resumed in Brussels on Tuesday."  # shown


def test_a_title_taken_from_the_text_shows_the_words_the_text_is_searched_by():
    # a paragraph in a language the index does not configure is not repaired for glued
    # words, and neither is the title shown for it
    text = "Darkanixbex darzo votequa ruka loru tevo fente karuulvo kalovote bexsanix quamir."
    record = Pipeline().process(Article(id="x", path="x.txt", text=text))
    assert record.paragraphs[0].lang not in ("en", "fr")
    assert not record.headline and record.title.rstrip("…") in record.paragraphs[0].text
