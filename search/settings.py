"""Limits of the search side, in one place.

A query may not cost the server more than these: its length, the words a pattern or range
stands for, the words it may read to find them, the postings of those words, and the time
its evaluation takes. Every limit past which a query is refused is here (with the snippets'
sizes), so that a change is one line that says what it means.
"""

#: The longest query, in characters.
MAX_QUERY_CHARS = 1000
#: A prefix (``secur*``), wildcard (``Arm?nia``) or range of words (``[a TO c]``) may stand
#: for at most this many words of a field (Lucene's default maximum clause count).
MAX_EXPANSION = 1024
#: To find those words, a pattern may read at most this many words of the field's word list
#: (a pattern starting with ``*`` or ``?`` reads it from the first word; about a tenth of a
#: second's reading).
MAX_SCANNED_WORDS = 100_000
#: The words all the prefixes, wildcards and ranges of one query stand for may occur at
#: most this many times in the articles (postings, each read to evaluate the query: about
#: half a second's reading on one core). Past it the query is refused before any is read.
MAX_EXPANDED_POSTINGS = 1_000_000
#: Seconds a query's evaluation may take before it is refused as too broad; with facets and
#: snippets after it, every answer (or refusal) comes in under a second.
QUERY_SECONDS = 0.8
#: Time the words a pattern matched may take to find again for marking in snippets (past
#: it, they are not marked).
MARKING_SECONDS = 0.05

#: A snippet is a window of about this many characters around the first match.
SNIPPET_CHARS = 260
#: At most this many words of each prefix or wildcard are marked in snippets.
MARKED_WORDS_PER_PATTERN = 50
#: Snippets and highlights look for the query's words in this many characters of a
#: paragraph at most (Elasticsearch's ``highlight.max_analyzed_offset`` in spirit): a
#: scraped page of one multi-megabyte line is still searched whole, and marked in its start.
MARKED_CHARS = 200_000

#: A word searched in several fields (title, each language's text, the actor tag) scores
#: as its best field plus this share of the others' scores (Elasticsearch's
#: ``multi_match`` ``best_fields`` ``tie_breaker``, whose default is 0: the best field
#: alone). Fields never add up; above 0, a word found in a title and a text ranks a little
#: above one found in the text alone. 0 and 0.3 were both measured with
#: ``bench/eval_relevance.py`` (the README gives both).
BEST_FIELDS_TIEBREAK = 0.0
#: A phrase some of whose words have two forms (two terms at one place) stands for at most
#: this many phrases, one per combination of forms.
MAX_PHRASE_FORMS = 16

#: A suggestion ("did you mean") is given up past this many seconds.
SUGGESTION_SECONDS = 0.2
#: Terms near a query word whose written forms are read (best first) ...
SUGGESTION_CANDIDATES = 4
#: ... from this many articles holding each.
SUGGESTION_DOCUMENTS = 2
#: A language claims a word when the word is at most this many times rarer in it than in
#: the language where it is commonest (wordfreq's lists): "security" is English, not
#: French; "Kremlin" is both.
SUGGESTION_CLAIM_RATIO = 10
#: A letter a language writes this many times less than the language that writes it
#: most (a share of the running text) rules the language out for a word typed with it.
SUGGESTION_RARE_LETTER = 0.01
#: Replacements of a query's one unknown word tried, best first, until one finds more.
SUGGESTION_TRIES = 3

# --- engine -------------------------------------------------------------------------------
#: The most results one request may ask for.
MAX_LIMIT = 10_000
#: The last page one request may ask for.
MAX_PAGE = 10_000
#: Recency boost: a result loses half its weight every this many days.
RECENCY_HALF_LIFE_DAYS = 180

# --- facets -------------------------------------------------------------------------------
#: The actor facet gives this many actors of each type (people, countries, ...).
ACTORS_PER_TYPE = 20
#: The day facet is given when the dated results span at most this many days.
DAY_FACET_SPAN = 92

# --- querying -----------------------------------------------------------------------------
#: How many letters stemming may cut from the end of a word.
STEM_SUFFIX_CHARS = 4

# --- suggestions --------------------------------------------------------------------------
#: Shorter words are left as typed.
SUGGEST_MIN_LETTERS = 4
#: Dictionary words read for the forms of one term.
SUGGEST_DICTIONARY_SCAN = 200

# --- charts -------------------------------------------------------------------------------
#: The time chart's size (SVG units, about pixels).
CHART_WIDTH = 320
CHART_HEIGHT = 130
#: A chart by month covers at most this many months (whole years); a longer span is
#: drawn by year instead (bars of at least 4 pixels).
CHART_MAX_BARS = 72
#: Each bar's count is printed over it when the chart has at most this many bars.
CHART_LABELLED_BARS = 16

#: An unknown actor's error suggests the actors with a spelling at least this close
#: (difflib's ratio: "Maass" to "Maas" 0.89; "Maas" to "Malta" 0.67, too far).
ACTOR_SUGGESTION_CUTOFF = 0.75

# --- state --------------------------------------------------------------------------------
#: The most actor filters in one search.
MAX_ACTORS = 10
#: The longest value of any other parameter.
MAX_PARAM_CHARS = 200
#: The characters of a bad value an error message quotes (the rest is cut to "…").
SHOWN_CHARS = 60
#: An unknown source's error lists every source of the index up to this many (else the nearest).
SOURCES_LISTED = 12
#: Results per page on the web page.
PAGE_SIZE = 20
#: Actors of each type listed on the search page (the rest on the type's own page).
ACTORS_SHOWN = 8

# --- saved searches, alerts and feeds -----------------------------------------------------
#: The longest name of a saved search.
MAX_WATCH_NAME = 64
#: Matches of one saved search printed by ``news-search alerts`` (all are marked read).
ALERT_LIMIT = 100
#: Entries of an Atom feed (its newest articles).
FEED_ENTRIES = 50

# --- stories ----------------------------------------------------------------------------------
#: A hit, ``show`` and the article page list at most this many other copies of its story.
COPIES_LISTED = 50
#: A filter on a discovered actor notes the languages discovery does not read when the
#: index holds at least this share of its articles in them (not a few stray paragraphs).
COVERAGE_NOTE_MIN_SHARE = 0.01
