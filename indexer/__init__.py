"""news-search ingest: from article files to clean, dated, language- and actor-tagged records.

The flow is one way: a corpus file is read into a raw :class:`~indexer.article.Article`
(``readers``), cleaned (``cleaning``, ``gluing``, ``htmlpage``), enriched with languages
(``language``), a publication date (``dates``) and actors (``actors``) by ``pipeline``,
and finally written to a Whoosh index.
"""

__version__ = "0.1.0"
