"""PostgreSQL knowledge as a leaf library: expressions, limits, names, operator classes.

Nothing here imports the rest of schemagen; the resolver and the commands call
in with plain names and type names.  ``pglast`` (PostgreSQL's own parser) is
imported only inside the function that parses an expression.
"""
