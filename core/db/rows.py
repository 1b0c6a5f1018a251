"""Joined rows into model instances, with less per-value work than peewee's generic wrapper.

A list page reads a few dozen rows, each of two to four joined models (a meeting with its
space, a document with its version and space).  peewee's ``ModelCursorWrapper`` assigns every
value through the model's attribute descriptors -- a foreign-key id goes through two of them --
which cost more than the query that fetched the rows.  For a query whose SQL is memoised
(:mod:`placette.query_memo`), :func:`model_row_builder` works out once which ``__data__`` slot
each column fills, then each row only stores values.

Only columns that are plain fields or foreign-key ids of the model they belong to are stored
directly; anything else (an alias such as ``space_slug``, a custom descriptor) is still set with
``setattr``, exactly as peewee does.  The join wiring is peewee's own algorithm, unchanged.
"""
from __future__ import annotations

import inspect
from typing import Callable

import peewee

_PLAIN_ACCESSORS = (peewee.FieldAccessor, peewee.ForeignKeyAccessor)


def _data_slot(model, column: str) -> str | None:
    """The ``__data__`` key that ``setattr(instance, column, value)`` would fill on a fresh
    instance, when that is all it would do; ``None`` when setattr must be kept."""
    attribute = inspect.getattr_static(model, column, None)
    if type(attribute) in _PLAIN_ACCESSORS and attribute.name == column:
        return column
    if type(attribute) is peewee.ObjectIdAccessor:
        return attribute.field.name
    return None


def model_row_builder(wrapper) -> Callable[[tuple], peewee.Model] | None:
    """A function turning one row into the root model instance with its joined instances, from
    an initialised ``ModelCursorWrapper``; ``None`` for any other wrapper (left to peewee)."""
    if type(wrapper) is not peewee.ModelCursorWrapper or not wrapper.initialized:
        return None
    constructors = wrapper._constructor_list
    if not all(is_model for _key, _constructor, is_model in constructors):
        return None  # a dict destination (rare): peewee's own path
    root = wrapper.model
    models = {key: constructor for key, constructor, _ in constructors}
    plan = []
    for index, key, column, converter in wrapper._row_spec:
        target = key if key in models else root
        plan.append((index, target, column, converter, _data_slot(models[target], column)))
    plan = tuple(plan)
    links = tuple(wrapper.src_to_dest)
    reachable = dict(wrapper._dest_reachable)
    keys = tuple(models.items())

    def build(row: tuple) -> peewee.Model:
        objects = {key: constructor(__no_default__=True) for key, constructor in keys}
        filled = set()
        for index, key, column, converter, slot in plan:
            value = row[index]
            if value is not None:
                filled.add(key)
            if converter is not None:
                value = converter(value)
            if slot is not None:
                objects[key].__data__[slot] = value
            else:
                setattr(objects[key], column, value)
        # peewee's ModelCursorWrapper.process_row, join part.
        for src, attr, dest, _is_dict, is_outer, is_fk in links:
            instance = objects.get(src)
            joined = objects.get(dest)
            if joined is None and dest not in objects:
                continue
            assign = False
            if dest not in filled and dest in reachable:
                assign = bool(reachable[dest] & filled)
            if dest not in filled and not assign:
                if is_outer:
                    joined = None
                else:
                    continue
            if src not in filled and dest not in filled and is_outer:
                continue
            if is_fk and joined is None:
                instance.__rel__[attr] = None  # a verified-absent row, fk id intact
            else:
                setattr(instance, attr, joined)
        for instance in objects.values():
            instance._dirty.clear()
        return objects[root]

    return build
