"""news-search's indexer: from corpus files to a committed Whoosh index.

The flow is one way: ``indexer.ingest`` turns a corpus file into a raw
:class:`~indexer.ingest.article.Article` and then into a cleaned, dated, language- and
actor-tagged :class:`~indexer.ingest.article.Record`; ``indexer.store`` turns Records into
Whoosh documents, writes them as segments and commits them. ``indexer.settings`` holds the
tunables of both, ``indexer/data`` the alias table and word lists they read. Nothing here
imports ``search``.
"""

__version__ = "0.1.0"
