"""Copies of one story: near-duplicates in one language and translations, grouped at indexing."""
