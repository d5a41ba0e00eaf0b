"""The error of a query that cannot be run, in the user's words.

Raised while a query is read (:mod:`search.querying`) or evaluated
(:mod:`search.evaluation`); the command line prints it in one line, the web page answers
it with a 400 naming ``param``.
"""


class QueryError(ValueError):
    """A query that cannot be run; ``param`` names the parameter at fault."""

    def __init__(self, message: str, param: str = "query"):
        super().__init__(message)
        self.param = param
