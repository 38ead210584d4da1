"""Pass ``cycles``: mark the foreign keys inside a reference cycle between
tables (a self-reference is not one).  The DDL adds every foreign key after the
tables anyway; the ORM needs to know (use_alter, post_update)."""

from __future__ import annotations

from .draft import Draft


def run(d: Draft) -> None:
    edges = {key: sorted({fk.ref_table for fk in t.fks} - {key}) for key, t in d.tables.items()}
    component = _components(edges)
    for key, table in d.tables.items():
        for fk in table.fks:
            fk.cyclic = fk.ref_table != key and component[fk.ref_table] == component[key]


def _components(edges: dict[str, list[str]]) -> dict[str, int]:
    """Strongly connected components (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: dict[str, int] = {}
    stack: list[str] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
            if i < len(edges[node]):
                work.append((node, i + 1))
                nxt = edges[node][i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt not in component:
                    low[node] = min(low[node], index[nxt])
                continue
            for nxt in edges[node]:
                if nxt not in component:
                    low[node] = min(low[node], low[nxt])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    component[member] = index[node]
                    if member == node:
                        break
    return component
