"""The store: Records in, a committed Whoosh index out.

``indexing`` runs an indexing run: it takes the index folder's lock (``index_folder``),
reads what the index holds (``state``), plans what changed (``changes``), has worker
processes ingest and analyze (``workers``, ``documents``, ``analysis``, ``schema``) and
write segments (``writer``), merges them (``merging``) and commits. Every use of Whoosh's
private names is in ``whoosh_compat``.
"""
