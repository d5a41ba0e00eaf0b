"""Tunables of the indexer, in one place.

Every tunable number or word list of ingest (readers, cleaning, language, dates) and of
the store (analysis, workers, merging, the lock) lives here, so that a change of
behaviour is a change of one line that says what it means. The patterns that recognise
text (dates, boilerplate, markup) stay beside the code that reads them; the alias table
and the word lists are data files in ``indexer/data``.
"""

import os
from pathlib import Path

#: Bumped whenever a change to the pipeline changes what an article becomes.
PIPELINE_VERSION = "25"

DATA_DIR = Path(__file__).parent / "data"
ACTORS_FILE = DATA_DIR / "actors.csv"
#: The gazetteer (countries, capitals, major cities, regions) read under any alias table.
PLACES_FILE = DATA_DIR / "places.csv"
SOURCES_FILE = DATA_DIR / "sources.txt"

# --- readers -----------------------------------------------------------------------------
#: Text and HTML files larger than this are refused (bytes); JSON files are read as a
#: stream of records, whatever their size.
MAX_FILE_BYTES = 20 * 1024 * 1024
#: A JSON record (a line, an element of a list, a document) larger than this is refused
#: (bytes).
MAX_RECORD_BYTES = 5 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES
FALLBACK_ENCODING = "cp1252"
#: JSON lists and multi-line JSON documents are read in chunks of this many bytes.
JSON_CHUNK_BYTES = 1024 * 1024
#: UTF-16 without a byte-order mark is recognised in this many first bytes: at least this
#: share of NUL bytes in one byte of each pair (ASCII characters' high byte: spaces,
#: digits, punctuation are enough in any script), and NULs at least this many times as
#: often there as in the other byte (the low byte of the rare characters U+xx00).
ENCODING_SNIFF_BYTES = 4096
UTF16_MIN_NUL_SHARE = 0.1
UTF16_NUL_RATIO = 8
#: Decoded text is refused as "not text" (random bytes, a compressed file or an image
#: renamed .txt) when, in its first TEXT_CHECK_CHARS characters, control characters
#: (other than tabs and line ends), C1 control characters or undecodable bytes are more
#: than their share here, or when letters (of any script, with their marks) are fewer
#: than MIN_LETTER_SHARE of the characters that are not spaces (checked on plain text of
#: at least LETTER_CHECK_MIN_CHARS such characters; a page's markup is not).
TEXT_CHECK_CHARS = 65536
MAX_CONTROL_SHARE = 0.01
MAX_C1_SHARE = 0.1
MAX_REPLACEMENT_SHARE = 0.05
MIN_LETTER_SHARE = 0.3
LETTER_CHECK_MIN_CHARS = 20

# --- analysis (index terms) -------------------------------------------------------------
#: A language's stop words are read from this file of DATA_DIR when there is one (English
#: and French: the lists Lucene uses, with the Snowball lists' forms), else taken from
#: Whoosh.
STOPWORDS_FILE = "stopwords-{lang}.txt"
#: Languages whose Snowball stemmer reads accented letters to find a suffix (French
#: "signée" is stemmed ``sign`` as written, ``signe`` once folded to "signee"; Spanish
#: "organización", Portuguese "população" likewise): their words are stemmed as written
#: and the stem folded, beside the folded word's stem (see :mod:`indexer.store.analysis`).
#: English is not one: its stemmer reads "résumé" better folded.
STEM_BEFORE_FOLDING = ("fr", "es", "pt")
#: The Snowball stemmer (PyStemmer's algorithm) of each language stemmed: those Whoosh
#: stems. A language not here is indexed unstemmed.
STEMMERS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}

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
#: Letters "of evidence" are those of words that do not start with a capital (names,
#: acronyms, title-cased headings look alike in every language): a paragraph with fewer is
#: short however long it is, and one with fewer than this (a row of names) has no language
#: of its own.
EVIDENCE_MIN_LETTERS = 10
#: Margin (log-probability) a short paragraph needs to keep a language of its own.
SHORT_PARAGRAPH_MARGIN = 6.0
#: ... and the margin over every configured language a short one needs to be tagged as
#: another language (names alone often look Indonesian or Finnish).
SHORT_FOREIGN_MARGIN = 12.0
#: Margin a paragraph's own foreign language needs over the language of the long paragraphs
#: around it (related languages, such as Russian and Bulgarian, are close on a few words).
NEIGHBOUR_MARGIN = 30.0
#: A language is one of an article's languages only with at least this many letters of
#: text in it (about two sentences), or this share of the article's letters (in a short
#: article); less (a heading, a name, debris) takes its neighbours' language. The
#: article's main language always counts.
LANGUAGE_MIN_LETTERS = 150
LANGUAGE_MIN_SHARE = 0.3

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
    "back",
    "topic",
    "topics",
    "home",
    "menu",
    "share",
    "next",
    "previous",
    "print",
    "email",
    "tweet",
    "comments",
    "comment",
    "subscribe",
    "log in",
    "login",
    "sign in",
    "advertisement",
    "advertising",
    "retour",
    "accueil",
    "partager",
    "publicité",
    "s'abonner",
    "abonnez-vous",
    "imprimer",
    "commentaires",
    "close",
    "fermer",
    "search",
    "rechercher",
    "more",
    "read more",
    "lire plus",
    "top",
}
#: Words that start a "see also" line or tail, or a list of recommended reading, in English
#: and French (and German).
SEE_ALSO_WORDS = (
    r"also|see also|also read|read also|read more|you can read|in context|related|"
    r"related (?:articles?|stories|posts|content|coverage)|more on this(?: story| topic)?|"
    r"you (?:may|might|could) also (?:like|enjoy|be interested in)|recommended(?: for you| reading)?|"
    r"lire aussi|à lire aussi|a lire aussi|voir aussi|lire également|à lire également|"
    r"sur le même sujet|en contexte|vous pouvez lire|vous (?:aimerez|pourriez aimer) aussi|"
    r"vous pourriez (?:aussi |également )?être intéressée?s? par|"
    r"lesen sie auch|mehr zum thema"
)
#: A line at least this long that does not end a sentence may continue on the next line.
HARD_WRAP_MIN_CHARS = 50
#: Three lines or more in a row, all but the last no longer than this (in characters), and
#: most of them (this share) within the slack of the longest, are hard-wrapped text
#: (wrapped at a fixed width, as e-mail and markdown often are): a line that does not end
#: a sentence continues on the next.
WRAPPED_LINE_MAX_CHARS = 100
WRAPPED_LINE_SLACK = 20
WRAPPED_SHARE = 0.75
#: Boilerplate lines no longer than this are dropped anywhere in an article.
BOILERPLATE_MAX_CHARS = 400
#: Prompts (newsletter, alerts, letters to the editor, share, follow, print) are short:
#: a line longer than this is a sentence of the article, whatever its first words.
PROMPT_MAX_CHARS = 160
#: A photo credit or illustration note is shorter still.
CREDIT_MAX_CHARS = 100
#: Social networks and channels named in share and follow lines.
SOCIAL_NETWORKS = (
    "facebook",
    "twitter",
    "x",
    "instagram",
    "linkedin",
    "whatsapp",
    "telegram",
    "youtube",
    "tiktok",
    "pinterest",
    "reddit",
    "vk",
    "vkontakte",
    "вконтакте",
    "вк",
    "одноклассниках",
    "одноклассники",
    "viber",
    "mastodon",
    "threads",
    "bluesky",
    "flipboard",
    "snapchat",
    "tumblr",
    "xing",
    "messenger",
    "facebook messenger",
    "signal",
    "rss",
    "google news",
    "google+",
    "google",
    "email",
    "e-mail",
    "mail",
    "courriel",
    "sms",
    "дзен",
    "яндекс.дзен",
)
#: A template shortcode ({{< … >}}, {% … %}) spans at most this many characters.
SHORTCODE_MAX_CHARS = 2000
#: HTML elements whose tags are removed when left in text (other "<words>" are kept).
HTML_TAGS = (
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "audio",
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "li",
    "main",
    "mark",
    "nav",
    "object",
    "ol",
    "p",
    "param",
    "picture",
    "pre",
    "q",
    "s",
    "samp",
    "section",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
)
#: ... of which these end a paragraph.
HTML_BLOCK_TAGS = (
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "ul",
)
#: Bounds (in characters of the joined result) for the glued-word repair.
GLUED_MIN_CHARS = 5
#: wordfreq Zipf frequencies: a "known" word, and a "common" one.
ZIPF_KNOWN = 2.0
ZIPF_COMMON = 3.0
ZIPF_VERY_COMMON = 5.0
#: A function word ("and", "the", "of", "et", "la"): a capitalised token splits only
#: after a known name or with one of its halves this common ("Rightsand", "Thegovernment"),
#: since a capitalised word unknown to the lists is mostly a name ("Clearswift", "Fightstar").
ZIPF_FUNCTION_WORD = 6.0
#: A half of a split shorter than this must be a very common word.
GLUED_MIN_PART = 4

# --- titles ------------------------------------------------------------------------------
#: A title is the article's headline (indexed in the boosted ``title`` field) when the file
#: declares it (a JSON record's ``title``, a page's title, ``og:title`` or ``h1``, a text
#: file's front matter), or when the text's first line stands apart as one: at most this
#: many words and TITLE_MAX_CHARS characters, followed by a blank line (a page's text: on
#: a line of its own) and by more text, and not ending like a sentence (a full stop; an
#: ellipsis, "?" and "!" end headlines too).
HEADLINE_MAX_WORDS = 20
TITLE_MAX_CHARS = 160
#: The first line is looked for among this many lines at the top of the text (an
#: aggregator's chrome may come before it).
HEADLINE_SEARCH_LINES = 200
#: Otherwise the title only shows the article in results: its first sentence, cut to about
#: this many characters, and the text keeps its first paragraph.
DERIVED_TITLE_CHARS = 120

# --- analysis -----------------------------------------------------------------------------
#: Shorter words are not indexed (characters).
MIN_WORD_CHARS = 2

# --- changes ------------------------------------------------------------------------------
#: Records sent to a worker at a time.
RECORDS_PER_JOB = 16

# --- htmlpage -----------------------------------------------------------------------------
#: How many pieces of visible text after the headline are searched for a dateline: a
#: dateline stands under the headline, a date further down is a comment's or a sidebar's.
DATELINE_TEXT_NODES = 25
#: ... and how many just above it (a kicker such as "Original Research | 7 April 2020").
DATELINE_TEXT_NODES_ABOVE = 3

# --- indexing -----------------------------------------------------------------------------
#: Below this many jobs, ingest in this process (starting workers costs more).
PARALLEL_MIN_JOBS = 24
#: Jobs queued for the workers, per worker.
PENDING_PER_WORKER = 8
#: Memory a worker's segment writer may use before it spills postings to disk.
WORKER_LIMIT_MB = 128
#: A worker's garbage collection thresholds (Python's default: 700, 10, 10).
WORKER_GC_THRESHOLDS = (10_000, 20, 20)
#: Memory the indexer's own writer may use.
WRITER_LIMIT_MB = 256

# --- jsonstream ---------------------------------------------------------------------------
#: A parse error this close to the end of what was read may only mean that the value goes
#: on in the next chunk: read more, then judge.
CUT_SHORT_MARGIN = 8

# --- language -----------------------------------------------------------------------------
#: How much of a paragraph is scored: its first hundred words or so decide its language.
LANGUAGE_SCORED_CHARS = 700
#: Words whose scores are remembered (the cache is emptied when full).
LANGUAGE_WORD_CACHE = 100_000

# --- schema -------------------------------------------------------------------------------
#: A headline's words weigh this much more than the text's.
TITLE_BOOST = 2.0

# --- index_folder -------------------------------------------------------------------------
#: How often a waiting indexer tries the lock again (seconds).
LOCK_POLL = 0.2

# --- changelog ----------------------------------------------------------------------------
#: The change log keeps the time and size of this many runs (and, for every article, the
#: number of the last run that added or changed it, however old).
CHANGE_LOG_RUNS = 10_000

# --- discovered actors ---------------------------------------------------------------------
#: Languages whose paragraphs the rules of discovery read (capitalisation as in English
#: and French: German capitalises every noun).
DISCOVERY_LANGUAGES = ("en", "fr")
#: Languages whose paragraphs only add mentions of names (no name is made from them:
#: :mod:`indexer.ingest.name_mentions`), so that an actor the others made counts them
#: (e.g. ("de", "ru")). None by default: a German common noun whose key is a name's
#: ("Buch" is Bush's, "Fisch" Fish's) counts for that name, and finding and storing the
#: mentions costs a fifth of ingest on a German and Russian archive.
DISCOVERY_MENTION_LANGUAGES: tuple[str, ...] = ()
#: A mention in those paragraphs is a part of a run of capitals of at most so many words.
DISCOVERY_MENTION_MAX_WORDS = 3
#: At most this many of those mentions are kept per article (the most frequent): a
#: German article's capitalised nouns are most of them, and a name is often written once.
DISCOVERY_MENTION_MAX = 300
#: A word of that many letters or more (no hyphen) is a compound noun there, not a name.
DISCOVERY_MENTION_NOUN_LETTERS = 16
#: A discovered name has at most this many words (longer runs are headings or titles).
DISCOVERY_MAX_WORDS = 5
#: At most this many discovered names are kept per article (the most mentioned).
DISCOVERY_MAX_NAMES = 60
#: A discovered name becomes an actor once this many articles name it.
DISCOVERY_MIN_ARTICLES = 5
#: ... and once at least this share of those articles gave evidence of its type (a title,
#: a surname alone, a locative, a head word such as "Party"): a run of capitals and no
#: more is as often a film's or a competition's name as a person's.
DISCOVERY_MIN_TYPED_SHARE = 0.2
#: A form (an acronym, a surname alone) joins the name it was seen with when at least
#: this many articles linked them and no other name got half as many of its links.
DISCOVERY_MIN_LINKS = 2
#: A surname alone ("Merkel") counts as the one discovered person whose name ends with it
#: only when that person has this share of it: of the articles that linked it to a full
#: name (as "Angela Merkel" ... "Merkel"), or where too few did, of the articles naming
#: someone by a full name ending with it. Set reading the archive in ``../shared/data``:
#: "Merkel" 9 of 11 links, "Kennedy" 25 of 27, "Obama" 3 of 4; "Smith" 4 of 10 (Walter,
#: Alan, Patti Smith…) and "Lopez" 2 of 4 name others too often.
DISCOVERY_SURNAME_SHARE = 2 / 3

# --- stories (copies of one story: indexer/stories) ----------------------------------------
#: Group the articles into stories at indexing (NEWS_SEARCH_STORIES=0 turns it off, to
#: measure what it costs).
STORIES = os.environ.get("NEWS_SEARCH_STORIES", "1") != "0"
#: MinHash permutations of an article's 3-word shingles, and rows per LSH band: with 2 rows
#: a pair of articles sharing 30% of their shingles shares a band 95% of the time.
STORY_MINHASH = 128
STORY_BAND_ROWS = 2
#: An article with fewer shingles is never grouped as a copy (too short to tell).
STORY_MIN_SHINGLES = 20
#: A band key held by more articles than this is boilerplate, not evidence of a copy.
STORY_MAX_BUCKET = 50
#: Two articles of one language are copies when the shorter one has at least this share of
#: its shingles in the other (a truncated copy is a copy), and at least this many.
STORY_CONTAINMENT = 0.7
STORY_MIN_SHARED = 15
#: Translations: dated at most this many days apart (or both undated), sharing at least
#: this many pieces of evidence, each held by at most this many articles, with a score
#: (weight shared over the smaller article's weight) at least this.
STORY_TRANSLATION_DAYS = 3
STORY_MIN_EVIDENCE = 3
STORY_MAX_EVIDENCE_DF = 50
STORY_TRANSLATION_SCORE = 0.3
