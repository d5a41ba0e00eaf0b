"""Copies of one story grouped at indexing: near-duplicates in one language, translations,
incrementally, beside the index (indexer/stories)."""

import json
import shutil

import pytest

from indexer import settings
from indexer.store.index_folder import read_meta
from indexer.store.indexing import run_index
from indexer.stories import groups
from indexer.stories.signature import band_keys, shingle_hashes

from .helpers import CORPUS

# An invented story, in English and in French, and another story of the same day naming the
# same people and places.
EN = """The dock workers of Valmora ended their strike on Tuesday after 12 days, when the port authority agreed to hire 450 more crane operators and to raise night wages by 7.5 percent.

Helena Markovic, who leads the Northern Dockers Union, said the agreement signed at 3 a.m. covered 4,200 workers. "Nobody wanted this to last," Markovic told reporters outside the Terminal Bellamy offices.

The strike had stranded 38 container ships in the Gulf of Ardenne and cost the regional economy an estimated 96 million euros, according to the Chamber of Commerce of Valmora.

Traffic at Terminal Bellamy resumed at noon. The full text of the agreement is published at https://example.org/valmora/agreement-2031 and will be put to a vote of union members on 14 March."""

FR = """Les dockers de Valmora ont mis fin mardi à leur grève après 12 jours, lorsque l'autorité portuaire a accepté d'embaucher 450 grutiers supplémentaires et d'augmenter de 7,5 % les salaires de nuit.

Helena Markovic, qui dirige le syndicat Northern Dockers Union, a déclaré que l'accord signé à 3 heures du matin concernait 4 200 travailleurs. « Personne ne voulait que cela dure », a confié Markovic aux journalistes devant les bureaux du Terminal Bellamy.

La grève avait bloqué 38 porte-conteneurs dans le golfe d'Ardenne et coûté à l'économie régionale quelque 96 millions d'euros, selon la Chambre de commerce de Valmora.

Le trafic a repris à midi au Terminal Bellamy. Le texte intégral de l'accord est publié sur https://example.org/valmora/agreement-2031 et sera soumis au vote des syndiqués le 14 mars."""

OTHER = """The city council of Valmora approved a budget of 310 million euros on Tuesday, with 27 votes for and 19 against, after a debate of nine hours.

Helena Markovic, speaking for the Northern Dockers Union in the public gallery, criticised the cut of 15 percent to the harbour school, which trains 640 apprentices a year.

Mayor Tomas Ferreira said the council would review the decision in September. The opposition leader, Agathe Linnell, called the budget "a betrayal of the port districts" and promised an appeal to the regional court of Sarlande."""


def record(doc_id, text, lang, date="2025-03-04", title=None):
    return {"id": doc_id, "title": title or text.split(".")[0][:60], "date": date, "lang": lang, "text": text}


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def stories_of(index):
    stories = groups.load(index, read_meta(index))
    return {doc_id: stories.story_of(doc_id) for doc_id in stories.ids}


def damaged(text: str) -> str:
    """A scraped copy: site chrome above and below, the last third cut by a paywall notice."""
    paragraphs = text.split("\n\n")
    kept = paragraphs[: max(1, len(paragraphs) * 2 // 3)]
    return "\n\n".join(
        ["Home | World | Politics | Sport", *kept, "Subscribe to read the rest of this article.", "Share: Facebook"]
    )


def test_the_sample_articles_are_five_stories(index):
    stories = stories_of(index)
    assert len(stories) == 5
    assert len(set(stories.values())) == 5


def test_a_damaged_copy_joins_its_original_and_no_other(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    original = sorted(corpus.iterdir())[0]
    (corpus / "copy.txt").write_text(damaged(original.read_text(encoding="utf-8")), encoding="utf-8")
    run_index([corpus], tmp_path / "index")
    stories = stories_of(tmp_path / "index")
    assert stories["copy.txt"] == stories[original.name]
    assert len(set(stories.values())) == 5


def test_a_translation_joins_and_a_story_of_the_same_day_and_names_does_not(tmp_path):
    write_jsonl(
        tmp_path / "a.jsonl",
        [record("en/strike", EN, "en"), record("fr/greve", FR, "fr"), record("en/budget", OTHER, "en")],
    )
    run_index([tmp_path / "a.jsonl"], tmp_path / "index")
    stories = stories_of(tmp_path / "index")
    assert stories["en/strike"] == stories["fr/greve"]
    assert stories["en/budget"] != stories["en/strike"]


def test_a_translation_weeks_apart_is_another_story(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [record("en/strike", EN, "en"), record("fr/greve", FR, "fr", date="2025-04-20")])
    run_index([tmp_path / "a.jsonl"], tmp_path / "index")
    stories = stories_of(tmp_path / "index")
    assert stories["en/strike"] != stories["fr/greve"]


def test_a_later_run_groups_new_copies_with_the_stories_indexed(tmp_path):
    index = tmp_path / "index"
    write_jsonl(tmp_path / "a.jsonl", [record("en/strike", EN, "en"), record("en/budget", OTHER, "en")])
    run_index([tmp_path / "a.jsonl"], index)
    before = stories_of(index)
    write_jsonl(tmp_path / "b.jsonl", [record("fr/greve", FR, "fr"), record("en/copy", damaged(EN), "en")])
    summary = run_index([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], index)
    assert summary.added == 2 and not summary.rebuilt
    after = stories_of(index)
    assert after["en/strike"] == before["en/strike"]  # the story keeps its number
    assert after["fr/greve"] == after["en/copy"] == after["en/strike"]
    assert after["en/budget"] == before["en/budget"]


def test_deleting_an_article_leaves_its_story_to_its_other_copies(tmp_path):
    index, corpus = tmp_path / "index", tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "a.jsonl", [record("en/strike", EN, "en")])
    write_jsonl(corpus / "b.jsonl", [record("fr/greve", FR, "fr"), record("en/copy", damaged(EN), "en")])
    run_index([corpus], index)
    story = stories_of(index)["en/strike"]
    (corpus / "a.jsonl").unlink()
    assert run_index([corpus], index).deleted == 1
    after = stories_of(index)
    assert set(after) == {"fr/greve", "en/copy"}
    assert after["fr/greve"] == after["en/copy"] == story


def test_a_lost_stories_file_is_grouped_again_from_the_index(tmp_path):
    index = tmp_path / "index"
    write_jsonl(tmp_path / "a.jsonl", [record("en/strike", EN, "en"), record("fr/greve", FR, "fr")])
    run_index([tmp_path / "a.jsonl"], index)
    (index / read_meta(index)["stories"]).unlink()
    write_jsonl(tmp_path / "b.jsonl", [record("en/budget", OTHER, "en")])
    run_index([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], index)
    stories = stories_of(index)
    assert set(stories) == {"en/strike", "fr/greve", "en/budget"}
    assert stories["en/strike"] == stories["fr/greve"] != stories["en/budget"]


def test_grouping_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "STORIES", False)
    run_index([CORPUS], tmp_path / "index")
    assert not read_meta(tmp_path / "index").get("stories")
    assert not list((tmp_path / "index").glob("stories-*"))


@pytest.mark.parametrize("cut", [0.5, 0.8])
def test_signatures_of_a_truncated_copy_share_a_band_with_the_original(cut):
    words = EN.split()
    whole = shingle_hashes(EN)
    part = shingle_hashes(" ".join(words[: int(len(words) * cut)]))
    assert set(part.tolist()) <= set(whole.tolist())
    assert set(band_keys(part).tolist()) & set(band_keys(whole).tolist())


def test_signatures_are_the_same_in_every_process():
    import subprocess
    import sys

    code = "from indexer.stories.signature import band_keys, shingle_hashes; print(band_keys(shingle_hashes(open(0).read())).tolist())"
    runs = {
        subprocess.run([sys.executable, "-c", code], input=EN, capture_output=True, text=True).stdout for _ in range(2)
    }
    assert len(runs) == 1 and runs != {""}
    assert json.loads(runs.pop()) == band_keys(shingle_hashes(EN)).tolist()
