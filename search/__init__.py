"""news-search's user-facing side: the query layer over the index and the command line."""
