"""Actors: the alias table, case rules, boundaries, elision, metonyms, user tables."""

import pytest

from indexer.ingest.actors import AliasTable, AliasTableError, load_table

from .helpers import inspect_records, run_cli

table = load_table()


def found(text):
    return dict(table.find(text))


def test_spellings_in_english_and_french_map_to_one_actor():
    assert found("Poutine et Putin") == {"Vladimir Putin": 2}
    assert found("Pashinian, Pachinian and Nikol Pashinyan") == {"Nikol Pashinyan": 3}
    assert found("Sergueï Lavrov") == {"Sergey Lavrov": 1}
    assert found("Erdogan and Erdoğan") == {"Recep Tayyip Erdoğan": 2}


def test_spellings_with_sharp_s_tag_as_written():
    """German text keeps "ß" (the text is folded letter for letter), as the table writes it."""
    assert found("Großbritannien und Weißrussland") == {"United Kingdom": 1, "Belarus": 1}
    assert found("Grossbritannien") == {"United Kingdom": 1}


def test_nato_as_british_and_german_writers_spell_it():
    assert found("the North Atlantic Treaty Organisation (Nato) said; die Nato") == {"NATO": 3}


def test_acronyms_only_in_capitals():
    assert found("the US Army and the EU") == {"United States": 1, "European Union": 1}
    assert found("let us go to the eu") == {}
    assert found("un accord de l'ONU") == {"United Nations": 1}
    assert found("UN talks") == {"United Nations": 1}


def test_capitalised_names_need_a_capital():
    assert found("a turkey dinner") == {}
    assert found("Turkey and TURKEY") == {"Turkey": 2}


def test_french_elision_and_accents():
    assert found("l'OTSC et d'Azerbaïdjan") == {"CSTO": 1, "Azerbaijan": 1}
    assert found("l'Union europeenne") == {"European Union": 1}


def test_demonyms_and_capitals_as_metonyms():
    assert found("Armenian troops") == {"Armenia": 1}
    assert found("le gouvernement arménien") == {"Armenia": 1}
    assert found("the Kremlin said") == {"Russia": 1}
    assert found("Moscow and Bakou") == {"Russia": 1, "Azerbaijan": 1}


def test_word_boundaries_and_longest_match():
    assert found("Russians") == {"Russia": 1}
    assert found("Prussia") == {}
    assert found("Nikol Pashinyan") == {"Nikol Pashinyan": 1}
    assert found("OSCE Minsk Group") == {"OSCE": 2}
    assert found("Kim Jong-un") == {"Kim Jong-un": 1}


def test_multiword_names_do_not_span_punctuation():
    assert found("Charles. Michel") == {}
    assert found("Charles Michel") == {"Charles Michel": 1}


def test_resolve_any_spelling():
    assert table.resolve("poutine") == "Vladimir Putin"
    assert table.resolve("OTSC") == "CSTO"
    assert table.resolve("nobody at all") is None


def test_seed_actors_are_in_the_table():
    for name in [
        "North Korea",
        "South Korea",
        "Kim Jong-un",
        "Kim Yo-jong",
        "Xi Jinping",
        "Bashar al-Assad",
        "Syria",
        "China",
        "United Nations",
        "International Criminal Court",
        "OSCE",
        "NATO",
    ]:
        assert name in table.actors


def test_user_table(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("name,type,aliases\n# a comment\nGlobex,organization,Globex Corp;GLX\n", encoding="utf-8")
    mine = AliasTable.from_file(path)
    assert dict(mine.find("GLX and Globex Corp met")) == {"Globex": 2}
    (tmp_path / "a.txt").write_text("Globex Corp and Putin met in Vienna on Monday afternoon.")
    result, [record] = inspect_records(tmp_path / "a.txt", "--actors", path)
    # the user's table replaces the bundled one (no Putin); the gazetteer stays under it
    assert record["actors"] == [
        {"name": "Globex", "type": "organization", "mentions": 1},
        {"name": "Vienna", "type": "place", "mentions": 1},
    ]


def test_bad_table_is_a_clear_usage_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,type,aliases\nGlobex,company,GLX\n", encoding="utf-8")
    with pytest.raises(AliasTableError, match=r"bad.csv:2: type 'company'"):
        AliasTable.from_file(path)
    (tmp_path / "a.txt").write_text("Some text.")
    result = run_cli("inspect", tmp_path / "a.txt", "--actors", path)
    assert result.exit_code == 2
    assert "bad.csv:2" in result.stderr and "Traceback" not in result.output


def test_georgia_the_country_needs_evidence_beside_the_us_state_and_the_song():
    assert "Georgia" not in found("Ray Charles sang Georgia On My Mind at the concert.")
    assert "Georgia" not in found("A woman from Georgia sued the company in an Atlanta court.")
    assert found("Georgia held elections. Voters in Tbilisi queued for hours.")["Georgia"] == 2
    assert "Georgia" in found("Georgian troops left. Georgia and Russia signed a ceasefire.")
    assert "Georgia" in found("La Géorgie a voté.")


def test_the_gazetteer_merges_places_across_languages_and_types_countries():
    assert found("Irak, Iraq, Ирак") == {"Iraq": 3}
    assert found("en Espagne, in Spain, in Spanien") == {"Spain": 3}
    assert found("Bruxelles et Brussels") == {"Brussels": 2}
    assert found("la Crimée, Crimea") == {"Crimea": 2}
    assert table.actors["Iraq"] == "country" and table.actors["Crimea"] == "place"
    assert table.resolve("Banque centrale européenne") == table.resolve("ECB") == "European Central Bank"


def test_the_table_wins_over_the_gazetteer(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("name,type,aliases\nMesopotamia,place,Iraq\nIberia,place,,Espagne\n", encoding="utf-8")
    mine = AliasTable.from_file(path)
    assert mine.resolve("Iraq") == "Mesopotamia"
    assert mine.resolve("Irak") is None  # the gazetteer's Iraq row: named by the table
    assert dict(mine.find("en Espagne, in Spain")) == {"Iberia": 1, "Spain": 1}  # its spelling left out
    assert "Iraq" not in mine.actors


def test_russian_and_german_spellings_with_russian_case_forms():
    assert found("Путин встретился с Лавровым в Москве") == {"Vladimir Putin": 1, "Sergey Lavrov": 1, "Russia": 1}
    assert found("в Ираке, из Соединённых Штатов, о России") == {"Iraq": 1, "United States": 1, "Russia": 1}
    assert found("Zelenskiy: Зеленского, Зеленским") == {"Volodymyr Zelensky": 3}
    assert found("Russland und Frankreich, Deutschlands Rolle") == {"Russia": 1, "France": 1, "Germany": 1}
    assert found("Того же дня") == {}  # Togo has no Russian spelling: "того" is a word


def test_a_first_name_alone_does_not_tag_a_person():
    table = AliasTable(
        [
            ("Rupert Quillon", "person", ["Quillon", "Rupert"], []),
            ("Will", "person", [], []),  # a row a user kept from an export
            ("Will Tarrant", "person", ["Tarrant"], []),
        ]
    )
    assert table.find("Rupert said the deal was done. Will Smith agreed.") == {}
    assert table.find("Rupert Quillon spoke first; Rupert said the deal was done.") == {"Rupert Quillon": 2}
    assert table.find("Will Tarrant sang.") == {"Will Tarrant": 1}


def test_russian_and_german_case_forms_of_a_place_of_several_words_tag_it():
    table = load_table()
    assert table.find("Ситуация на Ближнем Востоке обострилась.") == {"Middle East": 1}
    assert table.find("Die Lage im Nahen Osten bleibt angespannt.") == {"Middle East": 1}
    assert table.find("Die Politik des Nahen Ostens.") == {"Middle East": 1}


def test_east_germany_is_one_actor_in_every_language():
    table = load_table()
    text = "The GDR fell. La RDA est tombée. Die DDR ist gefallen. ГДР распалась."
    assert table.find(text) == {"East Germany": 4}
    assert table.find("East Germany and West Germany.") == {"East Germany": 1, "Germany": 1}


def test_yugoslavia_is_one_country_in_every_language():
    table = load_table()
    assert table.find("Yugoslavia broke up. La Yougoslavie. Jugoslawien zerfiel. Распад Югославии.") == {
        "Yugoslavia": 4
    }


def test_an_unknown_actor_gets_the_names_holding_its_word_else_close_spellings():
    """`--actor Kim` offers Kim Jong-un and Kim Yo-jong (a word of their names), not
    Crimea ("Krim" is spelled close to it); a misspelling still gets the close name ("Lavrof": Sergey Lavrov)."""
    from search.querying import nearest_actors

    table = load_table()
    assert nearest_actors(table, "Kim")[:2] == ["Kim Jong-un", "Kim Yo-jong"]
    assert nearest_actors(table, "Lavrof") == ["Sergey Lavrov"]
