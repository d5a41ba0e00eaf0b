"""Ingest: a corpus file in, clean and enriched Records out.

Paths are walked (``walking``) and read (``readers``, ``decoding``, ``jsonstream``) into raw
:class:`~indexer.ingest.article.Article` objects; ``pipeline`` cleans each one (``htmlpage``,
``markup``, ``cleaning``, ``boilerplate``, ``gluing``, ``sources``), tags its paragraphs'
languages (``language``), dates it (``dates``) and finds its actors (``actors``), and gives a
:class:`~indexer.ingest.article.Record`, or a Problem saying why not. Nothing here knows
Whoosh.
"""
