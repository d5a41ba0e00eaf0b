"""Saved searches and alerts: each saved search's new matches, once, after each indexing run."""

import csv
import io
import json
import os
import shutil

from indexer import settings
from indexer.store import changelog
from indexer.store.indexing import run_index
from search.engine import SearchEngine, SearchRequest

from .helpers import CORPUS, run_cli

FIRST = [
    {
        "id": "a1",
        "title": "Yerevan weighs its alliances",
        "date": "2023-09-01",
        "text": "Nikol Pashinyan questioned the CSTO's usefulness after the talks in Moscow, where "
        "ministers met to discuss the security of the region and the future of the alliance.",
    },
    {
        "id": "a2",
        "title": "Le corridor de Latchine fermé",
        "date": "2023-06-10",
        "lang": "fr",
        "text": "Le corridor de Latchine reste fermé depuis plusieurs semaines, selon les habitants "
        "de la région qui attendent des vivres et des médicaments depuis le début du blocus.",
    },
    {
        "id": "a3",
        "title": "Markets close higher",
        "date": "2023-03-02",
        "text": "Shares rose on Thursday as investors welcomed the figures on growth and the banks "
        "reported better results than the analysts had expected for the quarter.",
    },
]

NEW = [
    {
        "id": "b1",
        "title": "Pashinyan skips the CSTO summit",
        "date": "2023-11-23",
        "text": "Pashinyan did not attend the CSTO summit in Minsk, a sign of the growing distance "
        "between Yerevan and the alliance led by Moscow, officials said on Thursday.",
    },
    {
        "id": "b2",
        "title": "Latchine : les convois bloqués",
        "date": "2023-07-14",
        "lang": "fr",
        "text": "Les convois humanitaires restent bloqués à l'entrée du corridor de Latchine, ont "
        "indiqué les organisations présentes sur place, qui demandent un accès sans condition.",
    },
    {
        "id": "b3",
        "title": "Lachin corridor talks",
        "date": "2023-07-15",
        "text": "Talks on the Lachin corridor resumed in Brussels, with diplomats from both sides "
        "saying that progress had been made on the questions of access and of checkpoints.",
    },
    {
        "id": "b4",
        "title": "Harvest news",
        "date": "2023-08-01",
        "text": "Farmers expect a good harvest this year thanks to the rain of the spring, and the "
        "prices of wheat and barley are expected to fall in the autumn markets.",
    },
]


def write(corpus, records, name="news.jsonl"):
    (corpus / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def alerts(index, *args):
    result = run_cli("alerts", "--index", index, *args)
    return result


def matches(output: str) -> dict[str, set[str]]:
    """{saved search: ids} from ``alerts --format json``."""
    found = {}
    for line in output.splitlines():
        entry = json.loads(line)
        assert entry["total"] == len(entry["hits"])
        found[entry["name"]] = {h["id"] for h in entry["hits"]}
    return found


def setup_watches(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    write(corpus, FIRST)
    shutil.copy(CORPUS / "001_6df0311b031fad39.txt", corpus)
    assert run_index([corpus], index).failed == 0
    for args in (
        ("pashinyan-csto", "Pashinyan CSTO"),
        ("lachin-fr", "", "--actor", "Lachin Corridor", "--lang", "fr"),
        ("lachin-since-july", "Lachin OR Latchine", "--since", "2023-07"),
    ):
        result = run_cli("watch", "add", *args, "--index", index)
        assert result.exit_code == 0, result.output
    return corpus, index


def test_alerts_print_the_new_matches_of_each_saved_search_once(tmp_path):
    corpus, index = setup_watches(tmp_path)
    # saved after the first run: nothing is new yet
    first = alerts(index)
    assert first.exit_code == 0 and first.stdout == ""

    changed = dict(FIRST[2], text=FIRST[2]["text"] + " Pashinyan said the CSTO had failed Armenia.")
    write(corpus, [FIRST[0], FIRST[1], changed, *NEW])  # four added, one changed, two as they were
    os.utime(corpus / "001_6df0311b031fad39.txt")  # touched, same bytes: not new
    summary = run_index([corpus], index)
    assert (summary.added, summary.updated) == (4, 1)

    expected = {"pashinyan-csto": {"b1", "a3"}, "lachin-fr": {"b2"}, "lachin-since-july": {"b2", "b3"}}
    shown = alerts(index, "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert matches(shown.stdout) == expected
    again = alerts(index, "--format", "json")
    assert matches(again.stdout) == expected  # not marked read: shown again

    text = alerts(index, "pashinyan-csto")
    assert text.stdout.startswith("pashinyan-csto: 2 new articles")
    # newest first
    assert text.stdout.index("[b1]") < text.stdout.index("[a3]")

    marked = alerts(index, "--mark-read", "--format", "csv")
    assert marked.exit_code == 0
    rows = marked.stdout.splitlines()
    assert rows[0].startswith("search,id,title") and len(rows) == 1 + 5
    assert alerts(index).stdout == ""

    # a run that adds nothing, then one that adds what matches one search only
    run_index([corpus], index)
    assert alerts(index).stdout == ""
    write(
        corpus,
        [{"id": "c1", "date": "2023-12-01", "text": "The CSTO met without Pashinyan in Moscow again, officials said."}],
        "more.jsonl",
    )
    run_index([corpus], index)
    assert matches(alerts(index, "--format", "json", "--mark-read").stdout) == {"pashinyan-csto": {"c1"}}
    assert alerts(index).stdout == ""


def test_alerts_of_some_saved_searches_leave_the_others_unread(tmp_path):
    corpus, index = setup_watches(tmp_path)
    write(corpus, [*FIRST, *NEW])
    run_index([corpus], index)
    assert alerts(index, "lachin-fr", "--mark-read").stdout.startswith("lachin-fr: 1 new article")
    assert set(matches(alerts(index, "--format", "json").stdout)) == {"pashinyan-csto", "lachin-since-july"}
    unknown = alerts(index, "no-such-search")
    assert unknown.exit_code == 2 and "no-such-search" in unknown.stderr


def watching_an_actor_of_a_table_of_ours(tmp_path):
    """An index built with an alias table that adds an actor, and two saved searches: one
    following that actor ("board"), one on words ("corridor")."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    write(corpus, FIRST)
    table = tmp_path / "actors.csv"
    table.write_text(
        settings.ACTORS_FILE.read_text(encoding="utf-8") + "Harvest Board,organization,Grain Council,\n",
        encoding="utf-8",
    )
    assert run_index([corpus], index, actors_file=table).failed == 0
    assert run_cli("watch", "add", "board", "", "--actor", "Grain Council", "--index", index).exit_code == 0
    assert run_cli("watch", "add", "corridor", "Lachin OR Latchine", "--index", index).exit_code == 0
    return corpus, index


def test_a_broken_saved_search_is_reported_by_name_and_the_others_still_run(tmp_path):
    corpus, index = watching_an_actor_of_a_table_of_ours(tmp_path)
    # the alias table loses the actor: the saved search no longer runs
    write(corpus, [*FIRST, *NEW])
    run_index([corpus], index, actors_file=settings.ACTORS_FILE)
    result = alerts(index, "--format", "json", "--mark-read")
    assert result.exit_code == 1
    assert matches(result.stdout) == {"corridor": {"b2", "b3"}}
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and "'board'" in errors[0] and "Grain Council" in errors[0]
    # the broken one was not marked read; the other was
    saved = json.loads(run_cli("watch", "list", "--format", "json", "--index", index).stdout.splitlines()[0])
    assert saved["name"] == "board" and saved["read"] < changelog.sequence(index)
    assert alerts(index, "corridor").stdout == ""
    # nothing new: the broken one is still said, at every call, and watch list marks it
    for _ in range(2):
        again = alerts(index)
        assert again.exit_code == 1 and again.stdout == ""
        assert again.stderr.count("\n") == 1 and "'board'" in again.stderr and "Grain Council" in again.stderr
    listed = run_cli("watch", "list", "--index", index).stdout.splitlines()
    assert "cannot run" in listed[0] and "Grain Council" in listed[0] and "cannot run" not in listed[1]
    as_json = [
        json.loads(line) for line in run_cli("watch", "list", "--format", "json", "--index", index).stdout.splitlines()
    ]
    assert "Grain Council" in as_json[0]["error"] and as_json[1]["error"] is None


def test_saved_searches_are_checked_named_listed_and_removed(tmp_path):
    index = tmp_path / "index"
    assert run_index([CORPUS], index).failed == 0
    for name in ("a b", "", ".x", "x/y", "é" * 65):
        bad = run_cli("watch", "add", name, "Kremlin", "--index", index)
        assert bad.exit_code == 2 and "NAME" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    for args, param in (
        (("(Pashinyan",), "query"),
        (("Kremlin", "--actor", "Nobody Known"), "actor"),
        (("Kremlin", "--since", "2023-13"), "since"),
    ):
        bad = run_cli("watch", "add", "ok", *args, "--index", index)
        assert bad.exit_code == 2 and bad.stderr.startswith(f"news-search: {param}:"), bad.stderr
    added = run_cli("watch", "add", "arménie.2023", "Kremlin", "--actor", "Poutine", "--index", index)
    total = SearchEngine(index).search(SearchRequest("Kremlin", ["Poutine"]))["total"]
    assert added.exit_code == 0 and total > 0
    assert added.stdout.startswith(f"saved 'arménie.2023': {total} article") and added.stdout.count("\n") == 1
    dup = run_cli("watch", "add", "arménie.2023", "Kremlin", "--index", index)
    assert dup.exit_code == 2 and "--replace" in dup.stderr
    replaced = run_cli("watch", "add", "arménie.2023", "Kremlin", "--replace", "--index", index)
    total = SearchEngine(index).search(SearchRequest("Kremlin"))["total"]
    assert replaced.exit_code == 0 and replaced.stdout.startswith(f"replaced 'arménie.2023': {total} article")
    none = run_cli("watch", "add", "nothing", "nosuchwordanywhere", "--index", index)
    assert none.exit_code == 0 and none.stdout.startswith("saved 'nothing': 0 articles match it now")
    assert run_cli("watch", "remove", "nothing", "--index", index).exit_code == 0
    listed = run_cli("watch", "list", "--index", index).stdout
    assert listed == 'arménie.2023\t"Kremlin"\n'
    assert run_cli("watch", "remove", "arménie.2023", "--index", index).exit_code == 0
    assert run_cli("watch", "list", "--index", index).stdout == ""
    gone = run_cli("watch", "remove", "arménie.2023", "--index", index)
    assert gone.exit_code == 2 and "arménie.2023" in gone.stderr
    assert alerts(index).stdout == "" and alerts(index).exit_code == 0


def test_the_change_log_holds_new_and_changed_articles_only(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    write(corpus, FIRST)
    run_index([corpus], index)
    assert changelog.sequence(index) == 1
    assert {i for i, _ in changelog.since(index, 0)} == {"a1", "a2", "a3"}
    # a rebuild and a change of the alias table write every article again: none is new
    run_index([corpus], index, rebuild=True)
    table = tmp_path / "actors.csv"
    table.write_text(settings.ACTORS_FILE.read_text(encoding="utf-8") + "Grain,organization,Wheat,\n", "utf-8")
    assert run_index([corpus], index, actors_file=table).updated == 3
    assert changelog.sequence(index) == 1
    # a deleted article leaves the log; a changed one takes the new number
    write(corpus, [FIRST[0], dict(FIRST[1], text=FIRST[1]["text"] + " Encore.")])
    run_index([corpus], index, actors_file=table)
    assert changelog.since(index, 0) == [("a1", 1), ("a2", 2)]


def test_alerts_never_read_a_run_that_has_not_committed(tmp_path, monkeypatch):
    corpus, index = setup_watches(tmp_path)
    write(corpus, [*FIRST, *NEW])
    # alerts marked read while a run has recorded its changes but not committed them yet
    during = []

    def record_then_alerts(*args):
        sequence = recorded(*args)
        during.append(alerts(index, "--mark-read"))
        return sequence

    recorded = changelog.record
    monkeypatch.setattr(changelog, "record", record_then_alerts)
    run_index([corpus], index)
    assert during[0].exit_code == 0 and during[0].stdout == ""
    assert matches(alerts(index, "--format", "json").stdout)["pashinyan-csto"] == {"b1"}
    monkeypatch.undo()
    # a run that recorded its changes and was killed before its commit: nothing is read of it
    changelog.record(index, ["a1"], [])
    assert matches(alerts(index, "--format", "json", "--mark-read").stdout)["pashinyan-csto"] == {"b1"}
    assert alerts(index).stdout == ""


def test_a_damaged_file_of_saved_searches_is_one_line_naming_it(tmp_path):
    corpus, index = setup_watches(tmp_path)
    path = index / "news-search-watches.json"
    saved = json.loads(path.read_text(encoding="utf-8"))
    for damage in ("{not json", json.dumps({"searches": [dict(saved["searches"][0], read="soon")]})):
        path.write_text(damage, encoding="utf-8")
        for args in (("alerts",), ("watch", "list"), ("watch", "add", "other", "Kremlin")):
            result = run_cli(*args, "--index", index)
            assert result.exit_code == 1
            assert result.stderr.startswith(f"news-search: {path}:") and len(result.stderr.splitlines()) == 1
    # the file is left as it was, for the user to correct
    assert path.read_text(encoding="utf-8") == damage


def test_a_damaged_change_log_never_stops_indexing_and_a_new_one_goes_on_counting(tmp_path):
    corpus, index = setup_watches(tmp_path)
    log = index / changelog.CHANGES_FILE
    log.write_bytes(b"not a database " * 100)
    write(corpus, [*FIRST, NEW[0]])
    summary = run_index([corpus], index)
    assert summary.added == 1 and summary.documents == 5  # indexed all the same
    (warning,) = summary.warnings
    assert str(log) in warning and "alerts will not show them" in warning
    damaged = alerts(index)
    assert damaged.exit_code == 1 and damaged.stderr.startswith(f"news-search: {log}:")
    assert len(damaged.stderr.splitlines()) == 1
    # the user removes it: a new log numbers its runs after the last committed one
    log.unlink()
    write(corpus, [*FIRST, *NEW])
    assert run_index([corpus], index).warnings == []
    assert matches(alerts(index, "--format", "json").stdout) == {"lachin-fr": {"b2"}, "lachin-since-july": {"b2", "b3"}}


def test_a_saved_search_broken_with_nothing_new_is_still_reported_at_every_call(tmp_path):
    corpus, index = watching_an_actor_of_a_table_of_ours(tmp_path)
    # the alias table loses the actor; the run adds nothing new
    run_index([corpus], index, actors_file=settings.ACTORS_FILE)
    for _ in range(2):
        result = alerts(index, "--mark-read")
        assert result.exit_code == 1 and result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert "'board'" in line and "Grain Council" in line


def test_a_saved_search_of_an_unknown_source_is_refused_naming_the_closest(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    write(corpus, [dict(r, source=s) for r, s in zip(FIRST, ("Le Monde", "Reuters", "Le Temps"))])
    assert run_index([corpus], index).failed == 0
    bad = run_cli("watch", "add", "typo", "Pashinyan", "--source", "Le Mond", "--index", index)
    assert bad.exit_code == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert bad.stderr.startswith("news-search: source:") and "'Le Mond'" in bad.stderr and "Le Monde," in bad.stderr
    assert run_cli("watch", "list", "--index", index).stdout == ""
    good = run_cli("watch", "add", "monde", "Pashinyan", "--source", "le monde", "--index", index)
    assert good.exit_code == 0, good.stderr


def test_every_alert_format_links_each_article_by_its_url_else_its_id(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    write(corpus, FIRST)
    assert run_index([corpus], index).failed == 0
    assert run_cli("watch", "add", "corridor", "Lachin OR Latchine", "--index", index).exit_code == 0
    new = [dict(NEW[1], url="https://example.org/convois?a=1&b=2"), NEW[2]]  # b3 has no URL
    write(corpus, new, "new.jsonl")
    assert run_index([corpus], index).failed == 0
    text = alerts(index).stdout
    assert "  https://example.org/convois?a=1&b=2\n" in text and "[b3]" in text
    rows = list(csv.DictReader(io.StringIO(alerts(index, "--format", "csv").stdout)))
    assert {(r["id"], r["url"]) for r in rows} == {("b2", "https://example.org/convois?a=1&b=2"), ("b3", "")}
    (entry,) = [json.loads(line) for line in alerts(index, "--format", "json").stdout.splitlines()]
    assert {(h["id"], h["url"]) for h in entry["hits"]} == {("b2", "https://example.org/convois?a=1&b=2"), ("b3", None)}
