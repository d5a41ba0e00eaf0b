"""The embedded web page: search, facets and articles in a browser, with a JSON twin."""

from .app import create_app

__all__ = ["create_app"]
