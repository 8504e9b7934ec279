"""Nested lists, tuples and dicts of arrays (parameter lists, argument structures)."""


def tree_map(fn, tree):
    """Apply ``fn`` to every leaf of nested lists, tuples and dicts."""
    if type(tree) is list:  # the common case: a flat list of parameter arrays
        return [tree_map(fn, t) if isinstance(t, list | tuple | dict) else fn(t) for t in tree]
    if isinstance(tree, list | tuple):
        return type(tree)(tree_map(fn, t) for t in tree)
    if isinstance(tree, dict):
        return {k: tree_map(fn, v) for k, v in tree.items()}
    return fn(tree)


def tree_leaves(tree) -> list:
    if isinstance(tree, list | tuple):
        return [leaf for t in tree for leaf in tree_leaves(t)]
    if isinstance(tree, dict):
        return [leaf for v in tree.values() for leaf in tree_leaves(v)]
    return [tree]
