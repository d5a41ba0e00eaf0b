"""Decoding: UTF-16/32 with or without BOM, files mixing UTF-8 and cp1252 line by line, and
bytes that are not language refused, while real text in any script is read."""

import random
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from indexer.ingest.article import Article, Problem
from indexer.ingest.decoding import decode, not_text, sniff_encoding
from indexer.ingest.readers import read_paths

from .helpers import run_cli

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ARCHIVE = DATA / "archive"
SENTENCES = DATA / "langid" / "sentences"
needs_archive = pytest.mark.skipif(not ARCHIVE.is_dir(), reason=f"the real archive is not at {ARCHIVE}")
needs_sentences = pytest.mark.skipif(not SENTENCES.is_dir(), reason=f"the real sentences are not at {SENTENCES}")

#: Made-up sentences in several scripts (none taken from the evaluation data).
SCRIPTS = {
    "hy": "Երեկ երեկոյան Երևանում կայացավ հանդիպում, որտեղ քննարկվեցին նոր ճանապարհի շինարարության հարցերը։",
    "ru": "Вчера вечером в городе прошла встреча, на которой обсуждали строительство новой дороги и моста.",
    "zh": "昨天晚上，市政府召开会议，讨论了新道路和桥梁的建设问题，居民代表也参加了会议。",
    "ar": "عقد مجلس المدينة مساء أمس اجتماعا لمناقشة بناء طريق جديد وجسر فوق النهر.",
    "hi": "कल शाम नगर परिषद ने नई सड़क और पुल के निर्माण पर चर्चा के लिए बैठक की।",
    "el": "Χθες το βράδυ το δημοτικό συμβούλιο συζήτησε την κατασκευή νέου δρόμου και γέφυρας.",
    "ja": "昨日の夜、市議会は新しい道路と橋の建設について話し合いました。",
    "ka": "გუშინ საღამოს ქალაქის საბჭომ ახალი გზისა და ხიდის მშენებლობა განიხილა.",
}
FRENCH = (
    "Le conseil municipal a débattu hier soir de la construction d'un pont à Évian.\nDeuxième ligne, été comme hiver.\n"
)


def read_one(path):
    [item] = list(read_paths([path]))
    return item


# --- UTF-16 and UTF-32 -------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_or_without_bom_are_read_as_text(tmp_path, codec):
    # "utf-16" and "utf-32" write a byte-order mark, the -le/-be codecs do not
    (tmp_path / "wide.txt").write_bytes(FRENCH.encode(codec))
    article = read_one(tmp_path)
    assert isinstance(article, Article), article
    assert article.text == FRENCH and not article.warnings


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("lang", ["ru", "hy", "el"])
def test_wide_text_without_bom_in_other_scripts_is_recognised(tmp_path, codec, lang):
    (tmp_path / "wide.txt").write_bytes(SCRIPTS[lang].encode(codec))
    assert read_one(tmp_path).text == SCRIPTS[lang]


def test_utf16_html_page_is_read(tmp_path):
    page = "<html><head><title>Pont</title></head><body><p>Le pont d'Évian est ouvert.</p></body></html>"
    (tmp_path / "page.html").write_bytes(page.encode("utf-16"))
    assert read_one(tmp_path).html == page


@needs_sentences
def test_real_sentences_reencoded_in_utf16_without_bom_read_back(tmp_path):
    for source in sorted(SENTENCES.glob("*.txt")):
        text = source.read_text(encoding="utf-8", errors="replace").replace("\x00", "")
        if sum(c.isascii() for c in text) < len(text) / 2:
            continue  # only ASCII-heavy text is recognisable without a BOM
        (tmp_path / source.name).write_bytes(text.encode("utf-16-le"))
        assert read_one(tmp_path / source.name).text == text, source.name


# --- UTF-8 and cp1252 mixed ------------------------------------------------------------------


def test_mixed_utf8_and_cp1252_lines_are_each_read_right_with_one_warning(tmp_path):
    data = (
        "Première ligne, en UTF-8 : déjà vu.\n".encode()
        + "Deuxième ligne, en cp1252 : « où ? » – 5 €.\n".encode("cp1252")
        + "Troisième ligne, UTF-8 encore : ça va.\n".encode()
        + "Quatrième, cp1252 à nouveau.\n".encode("cp1252")
        + b"plain ASCII\n"
    )
    (tmp_path / "mixed.txt").write_bytes(data)
    article = read_one(tmp_path)
    assert article.text.splitlines() == [
        "Première ligne, en UTF-8 : déjà vu.",
        "Deuxième ligne, en cp1252 : « où ? » – 5 €.",
        "Troisième ligne, UTF-8 encore : ça va.",
        "Quatrième, cp1252 à nouveau.",
        "plain ASCII",
    ]
    assert article.warnings == ["2 lines not UTF-8, read as cp1252"]


def test_mixed_file_warning_is_one_line_naming_the_file(tmp_path):
    (tmp_path / "mixed.txt").write_bytes(
        "Nikol Pashinyan a parlé à Erevan hier.\n".encode() + "Le ministre a répondu lundi.\n".encode("cp1252")
    )
    result = run_cli("inspect", tmp_path)
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1
    assert "mixed.txt: warning: 1 line not UTF-8, read as cp1252" in warnings[0]


@needs_archive
def test_a_wholly_cp1252_file_keeps_the_byte_warning():
    article = read_one(ARCHIVE / "bbc" / "sport" / "199.txt")
    assert isinstance(article, Article)
    assert len(article.warnings) == 1
    assert article.warnings[0].startswith("not UTF-8 (byte ") and article.warnings[0].endswith("read as cp1252")
    assert "\ufffd" not in article.text and "Ã" not in article.text


# --- not text --------------------------------------------------------------------------------


def test_random_bytes_without_nul_are_refused_as_not_text(tmp_path):
    noise = random.Random(7).randbytes(20000).replace(b"\x00", b"")
    (tmp_path / "noise.txt").write_bytes(noise)
    problem = read_one(tmp_path)
    assert isinstance(problem, Problem)
    assert problem.reason.startswith("refused: not text (") and "\n" not in problem.reason


def test_compressed_file_renamed_txt_is_refused(tmp_path):
    packed = zlib.compress(
        ("Le conseil municipal a débattu du pont. " * 2000).encode() + random.Random(1).randbytes(5000)
    )
    (tmp_path / "archive.txt").write_bytes(packed)
    problem = read_one(tmp_path)
    assert isinstance(problem, Problem)
    assert problem.reason == "refused: binary file" or problem.reason.startswith("refused: not text (")


def test_text_with_nul_bytes_is_a_binary_file(tmp_path):
    (tmp_path / "nul.txt").write_bytes(b"Some text\x00 with a NUL byte \x01\x02\x03 in it")
    assert read_one(tmp_path).reason == "refused: binary file"


def test_digits_and_symbols_are_not_language(tmp_path):
    (tmp_path / "table.txt").write_bytes(
        b"3.14159 26535 89793 23846 # 26433 83279 50288 41971 {} [] 69399 37510\n" * 40
    )
    assert read_one(tmp_path).reason.startswith("refused: not text (only ")


@pytest.mark.parametrize("lang", sorted(SCRIPTS))
def test_real_text_in_any_script_is_read(tmp_path, lang):
    (tmp_path / f"{lang}.txt").write_text(SCRIPTS[lang], encoding="utf-8")
    article = read_one(tmp_path)
    assert isinstance(article, Article), article
    assert article.text == SCRIPTS[lang]


@needs_archive
@needs_sentences
def test_every_real_sentence_file_and_bbc_story_is_read_as_text():
    paths = sorted(SENTENCES.glob("*.txt")) + [ARCHIVE / "bbc"]
    items = list(read_paths(paths))
    refused = [str(i) for i in items if isinstance(i, Problem)]
    assert not refused
    assert len(items) == len(list(SENTENCES.glob("*.txt"))) + len(list((ARCHIVE / "bbc").rglob("*.txt")))


def test_mojibake_c1_characters_in_real_text_pass_but_not_when_most_of_it():
    # cp1252 quotes read as Latin-1 upstream: one or two in a sentence
    line = "L\x92homme qu\x92on attendait depuis le matin est arrivé au conseil municipal.\n"
    assert not_text(line * 50) is None
    assert not_text("\x85\x92\x93\x94 " * 100).startswith("not text (")


# --- properties ----------------------------------------------------------------------------

no_nul = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)))


@hsettings(max_examples=300, deadline=None)
@given(no_nul, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_any_text_written_in_a_unicode_encoding_with_its_bom_decodes_back(text, codec):
    if codec == "utf-8" and text.startswith("\ufeff"):
        text = text[1:]  # a leading BOM character is a BOM
    assert decode(text.encode(codec)) == (text, None)


#: Text of which most characters are ASCII (as spaces, digits and punctuation make any
#: script's text), the others anywhere in the BMP but U+xx00 (whose NUL byte falls on the
#: other side; real text has few of them).
ascii_heavy = (
    st.lists(
        st.one_of(
            st.sampled_from(list("abcdefghijklmnopqrstuvwxyz ABCXYZ.,;'\n0123456789")),
            st.characters(min_codepoint=0xA0, max_codepoint=0xFFFF, blacklist_categories=("Cs",)).filter(
                lambda c: ord(c) % 256
            ),
        ),
        min_size=4,
        max_size=300,
    )
    .map("".join)
    .filter(lambda t: sum(c.isascii() for c in t) >= 0.6 * len(t) and not t.startswith("\ufeff"))
)


@hsettings(max_examples=500, deadline=None)
@given(ascii_heavy, st.sampled_from(["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]))
def test_ascii_heavy_text_in_utf16_or_utf32_without_bom_decodes_back(text, codec):
    data = text.encode(codec)
    assert sniff_encoding(data)[0] == codec
    assert decode(data) == (text, None)
