"""PostgreSQL knowledge: expressions, limits, names, operator classes, literal values.

The leaves (expr, parse, walk, infer, calls, catalog, typeconv, overload,
pgtypes, untyped, interval, datetimes, limits, catalog_names, opclasses,
values) import nothing else of schemagen; catalog.py reads pg15.catalog,
PostgreSQL 15's own types, functions, operators and casts (dumpcatalog.py
writes it); they take
plain names and spec type names; the resolve passes call them (see
generator/resolve: Draft.expression and the tables, keys, indexes, enums and
names passes).  Two modules consume the model:
``validate_db`` (``schemagen validate --db``) and ``positions`` (spec key
paths and spans for both).  pglast (PostgreSQL's own parser) and psycopg are
imported only inside the functions that need them.
"""
