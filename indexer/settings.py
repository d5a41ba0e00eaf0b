"""Constants of the ingest pipeline, in one place.

Every tunable number or word list the cleaning, language, date and reader steps use lives
here, so that a change of behaviour is a change of one line that says what it means.
"""

from pathlib import Path

#: Bumped whenever a change to the pipeline changes what an article becomes.
PIPELINE_VERSION = "1"

DATA_DIR = Path(__file__).parent / "data"
ACTORS_FILE = DATA_DIR / "actors.csv"
SOURCES_FILE = DATA_DIR / "sources.txt"

# --- readers -----------------------------------------------------------------------------
#: Files larger than this are refused (bytes).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: A JSON Lines record larger than this is refused (bytes).
MAX_RECORD_BYTES = 5 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES
FALLBACK_ENCODING = "cp1252"

# --- the index ---------------------------------------------------------------------------
#: A segment is rewritten without its deleted documents once they are this share of it.
MERGE_DELETED_SHARE = 0.25

# --- languages ---------------------------------------------------------------------------
#: Languages the archive is written in; they get a prior and their own index fields.
LANGUAGES = ("en", "fr")
#: Log-probability bonus of a configured language over the others (a prior).
LANGUAGE_PRIOR = 8.0
#: Weight of the word-frequency evidence when deciding between configured languages.
WORD_EVIDENCE_WEIGHT = 2.0
#: ... consulted only when the n-gram scores of the two are closer than this.
WORD_EVIDENCE_GATE = 30.0
#: Paragraphs with fewer letters than this are "short": they keep their own language only
#: when the evidence for it is clear, and otherwise take their neighbours'.
SHORT_PARAGRAPH_LETTERS = 40
#: Margin (log-probability) a short paragraph needs to keep a language of its own.
SHORT_PARAGRAPH_MARGIN = 6.0
#: ... and the margin over every configured language a short one needs to be tagged as
#: another language (names alone often look Indonesian or Finnish).
SHORT_FOREIGN_MARGIN = 12.0

# --- dates -------------------------------------------------------------------------------
#: How many paragraphs from the top a dateline may be found in.
DATELINE_PARAGRAPHS = 3
#: A dateline is a short line: a date, perhaps with "Published", a place, or an agency.
DATELINE_MAX_CHARS = 80
#: Years a date the file declares (metadata: a JSON ``date``, a text file's marker, an HTML
#: page's markup) may have: news archives go back centuries, and nothing is published later
#: than next year (the upper bound is this year + 1, computed when a date is checked).
METADATA_MIN_YEAR = 1800
#: Years a date found in the text (a dateline, or an inference from the text) may have:
#: stricter, since a year written in a story is more often history than a dateline.
TEXT_MIN_YEAR = 1900

# --- cleaning ----------------------------------------------------------------------------
#: A header line this short, alone on its line, with one of these words, is navigation.
NAVIGATION_WORDS = {
    "back", "topic", "topics", "home", "menu", "share", "next", "previous", "print",
    "email", "tweet", "comments", "comment", "subscribe", "log in", "login", "sign in",
    "advertisement", "advertising", "retour", "accueil", "partager", "publicité",
    "s'abonner", "abonnez-vous", "imprimer", "commentaires", "close", "fermer", "search",
    "rechercher", "more", "read more", "lire plus", "top",
}
#: Words that start a "see also" line or tail, in English and French.
SEE_ALSO_WORDS = (
    r"also|see also|also read|read also|read more|you can read|you may also like|"
    r"in context|related|lire aussi|à lire aussi|a lire aussi|voir aussi|lire également|"
    r"à lire également|sur le même sujet|en contexte|vous pouvez lire|"
    r"lea más|lea también|lea|lesen sie auch|mehr zum thema"
)
#: Boilerplate lines no longer than this are dropped anywhere in an article.
BOILERPLATE_MAX_CHARS = 400
#: Bounds (in characters of the joined result) for the glued-word repair.
GLUED_MIN_CHARS = 5
#: wordfreq Zipf frequencies: a "known" word, and a "common" one.
ZIPF_KNOWN = 2.0
ZIPF_COMMON = 3.0
ZIPF_VERY_COMMON = 5.0
#: A half of a split shorter than this must be a very common word.
GLUED_MIN_PART = 4

# --- titles ------------------------------------------------------------------------------
#: A first paragraph at most this long, followed by others, is taken as the headline.
TITLE_MAX_CHARS = 160
#: A title made from the first sentence is cut to about this many characters.
DERIVED_TITLE_CHARS = 120
