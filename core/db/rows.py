"""Rows of a query whose SQL was written earlier, converted with peewee's public API only.

:mod:`placette.query_memo` runs memoised SQL text with ``database.execute_sql``, so peewee's
own cursor wrappers (private) never see those rows.  :class:`RowReader` is the conversion it
owns instead, worked out once per query from documented API -- ``Select.selected_columns``,
each column's ``Field.python_value``, ``Model._meta.sorted_fields`` -- and applied to each
fetched row by position:

* :meth:`RowReader.tuples`, :meth:`RowReader.namedtuples`, :meth:`RowReader.dicts`: values
  converted by their field (a date read from SQLite's text becomes a ``datetime``), named
  after the field (``Alias`` names kept);
* :meth:`RowReader.models`: one instance of the query's model per row, and one instance of
  each joined model set on the foreign key that points to it (``meeting.space``).  Which key
  is inferred from the models' declared foreign keys among the selected models (peewee keeps
  the join's own choice private): the only one; when several could hold it, only selected
  ones, and only where the value is the joined row's id: each of them for a whole row (the
  same data peewee would load on access), the first selected model's for a partial one (its
  join source in the usual ``select(Event, Space...)`` order).  A model joined on
  something else than a foreign key goes on the query model's instance under the model's
  name, as peewee names it.  When this cannot decide (several keys lead to it, none
  selected), :attr:`RowReader.joins_known` is false and the caller lets peewee run the
  query instead: select the foreign key you join on.

A joined instance whose columns are all ``NULL`` (an outer join without a match) is not set:
its foreign key id stays what the row holds, so reading it gives ``None`` without a query.
Instances are built through the model's constructor as peewee's own cursor wrappers build
them (``__no_default__``: no default computed, a ``utcnow()`` per timestamp field, only to be
overwritten); a column not selected reads ``None``, as in peewee's rows (not the field's
default: a partial ``Space`` must not read as "network").  Rows are for reading: do not save a
partial instance.
"""
from __future__ import annotations

import inspect
from collections import namedtuple
from typing import Any, Callable

import peewee


class AmbiguousJoin(ValueError):
    """The reader cannot tell which foreign key holds a joined model (see the module doc)."""


def _column_name(column) -> str | None:
    if isinstance(column, (peewee.Alias, peewee.Field)):
        return column.name
    return None  # named after the cursor's description (RowReader.name_columns)


def _converter(column) -> Callable[[Any], Any] | None:
    node = column.unwrap() if isinstance(column, peewee.Alias) else column
    if isinstance(node, peewee.Field):
        return node.python_value
    return None


# Field types whose python_value only coerces to the type the drivers already return for
# them: a value of that type is kept as is (what python_value would return), saving a call
# per value on long lists.
_NATIVE = ((peewee.IntegerField.adapt, int), (peewee.CharField.adapt, str))


def _native(column) -> type | None:
    node = column.unwrap() if isinstance(column, peewee.Alias) else column
    if isinstance(node, peewee.FieldAlias):
        node = node.field
    while isinstance(node, peewee.ForeignKeyField) and \
            type(node).python_value is peewee.ForeignKeyField.python_value:
        node = node.rel_field
    if not isinstance(node, peewee.Field) or \
            type(node).python_value is not peewee.Field.python_value:
        return None
    adapt = type(node).adapt
    return next((kind for method, kind in _NATIVE if adapt is method), None)


def _owner(column):
    """The model (or ``ModelAlias``) a selected column belongs to, ``None`` for expressions."""
    node = column.unwrap() if isinstance(column, peewee.Alias) else column
    if isinstance(node, peewee.Field):
        return node.model
    return None


def _setter(model, name: str) -> Callable[[Any, Any], None]:
    """``setattr(instance, name, value)`` for instances of ``model``, resolved once: the
    field's descriptor when the class has one (Python's descriptor protocol), else a plain
    attribute (an alias, an expression)."""
    attribute = inspect.getattr_static(model, name, None)
    if attribute is not None and hasattr(type(attribute), "__set__"):
        return attribute.__set__
    return lambda instance, value: setattr(instance, name, value)


def _starts_bare(model) -> bool:
    """Whether ``model(__no_default__=True)`` -- how peewee builds the instances of a query's
    rows -- gives an instance whose fields all read ``None`` (no default filled in)."""
    try:
        probe = model(__no_default__=True)
    except Exception:  # a model whose constructor wants more: the plain constructor then
        return False
    return all(getattr(probe, field.object_id_name if isinstance(field, peewee.ForeignKeyField)
                       else field.name) is None
               for field in model._meta.sorted_fields if field.default is not None)


def _model_of(source):
    return source.model if isinstance(source, peewee.ModelAlias) else source


class RowReader:
    """How to turn the rows of one query into values, namedtuples, dicts or model instances."""

    def __init__(self, query):
        columns = list(query.selected_columns or ())
        self._columns = columns
        self.names: tuple = tuple(_column_name(c) for c in columns)
        self.converters = tuple(_converter(c) for c in columns)
        self._needs_conversion = any(c is not None for c in self.converters)
        self._natives = tuple(_native(c) for c in columns)
        self._namedtuple = None
        self.root = getattr(query, "model", None)
        self.joins_known = True
        self._sources: tuple = ()
        self._plan: tuple = ()
        self._links: tuple = ()
        self._unset: tuple = ()
        if self.root is not None and isinstance(self.root, type) \
                and issubclass(self.root, peewee.Model):
            try:
                self._plan_models(columns)
            except AmbiguousJoin:
                self.joins_known = False

    def name_columns(self, description) -> None:
        """Name the expressions (a ``COUNT``...) as the database does (``cursor.description``,
        DB-API), once: peewee names them the same way."""
        if None not in self.names or not description:
            return
        self.names = tuple(name if name is not None else described[0]
                           for name, described in zip(self.names, description))
        if self._plan:
            self._plan = tuple((i, s, _setter(self._sources[s], self.names[i]), *rest)
                               for i, s, _a, *rest in self._plan)

    # -- plain shapes -------------------------------------------------------------------------

    def _values(self, row) -> tuple:
        if not self._needs_conversion:
            return tuple(row)
        return tuple(v if c is None or v is None or type(v) is n else c(v)
                     for v, c, n in zip(row, self.converters, self._natives))

    def tuples(self, rows) -> list[tuple]:
        return [self._values(row) for row in rows]

    def namedtuples(self, rows) -> list:
        if self._namedtuple is None:
            self._namedtuple = namedtuple("Row", self.names)
        make = self._namedtuple._make
        return [make(self._values(row)) for row in rows]

    def dicts(self, rows) -> list[dict]:
        names = self.names
        return [dict(zip(names, self._values(row))) for row in rows]

    # -- model instances ----------------------------------------------------------------------

    def _plan_models(self, columns) -> None:
        root = self.root
        sources: list = [root]
        plan = []
        for index, column in enumerate(columns):
            owner = _owner(column)
            if owner is None:  # an expression (a count...): on the root, as peewee does
                owner = root
            if owner not in sources:
                sources.append(owner)
            # NULL in a field without default: the new instance already reads None there.
            skip_null = isinstance(column, peewee.Field) and column.default is None
            plan.append((index, sources.index(owner), _setter(_model_of(owner), self.names[index]),
                         self.converters[index], self._natives[index], skip_null))
        selected = {(plan[i][1], self.names[i]): i for i in range(len(plan))}
        links = []
        for position, dest in enumerate(sources[1:], start=1):
            target = _model_of(dest)
            key = target._meta.primary_key
            dest_key = selected.get((position, key.name)) if key is not None else None
            found = [(s, field.name) for s, src in enumerate(sources) if src is not dest
                     for field in _model_of(src)._meta.sorted_fields
                     if isinstance(field, peewee.ForeignKeyField) and field.rel_model is target
                     and field.rel_field is key]
            if not found:  # joined on something else than a foreign key: peewee's own name
                links.append((0, target._meta.name, position, None, None))
                continue
            if len(found) > 1:
                # Several foreign keys could hold it; only selected ones are candidates (the
                # id they hold is checked on each row).  A whole row is the same data peewee
                # would load on access: each of them gets it.  A partial one goes to the first
                # selected model's key only -- its join source in ``select(Event, Space...)``
                # -- so no other key gets a partial row where peewee would load a whole one.
                found = [c for c in found if selected.get(c) is not None]
                if not found or dest_key is None:
                    raise AmbiguousJoin(f"{target.__name__}: several foreign keys lead to it")
                if not all((position, f.name) in selected for f in target._meta.sorted_fields):
                    found = found[:1]
            for source, name in found:
                fk_index = selected.get((source, name))
                links.append((source, name, position, fk_index,
                              dest_key if fk_index is not None else None))
        self._sources = tuple(_model_of(s) for s in sources)
        # The constructor fills the model's defaults; a column not selected reads None in
        # peewee's rows (a partial Space is not "network" nor a partial Resource "visible").
        self._unset = tuple(
            (position, tuple(_setter(model, f.name) for f in model._meta.sorted_fields
                             if f.default is not None and (position, f.name) not in selected))
            for position, model in enumerate(self._sources))
        self._unset = tuple((p, setters) for p, setters in self._unset if setters)
        # The constructor peewee's own cursor wrappers call for a row, ``Model(__no_default__=
        # True)``, skips the defaults (no ``utcnow()`` per timestamp field, nothing to set back
        # to None): used when this peewee leaves the fields unset, checked once per query.
        self._bare = all(_starts_bare(model) for model in self._sources)
        if self._bare:
            self._unset = ()
        self._plan = tuple(plan)
        self._links = tuple(links)

    def models(self, rows) -> list:
        """One instance of the query's model per row, joined instances set as planned by
        :meth:`_plan_models` (a selected foreign key gets one only when it holds its id)."""
        if not self.joins_known:
            raise AmbiguousJoin("the joins of this query are ambiguous: let peewee read it")
        sources, plan, links, unset = self._sources, self._plan, self._links, self._unset
        found = []
        bare = self._bare
        for row in rows:
            objects = [model(__no_default__=True) if bare else model() for model in sources]
            for position, setters in unset:
                for assign in setters:
                    assign(objects[position], None)
            filled = [False] * len(sources)
            for index, source, assign, converter, native, skip_null in plan:
                value = row[index]
                if value is None:
                    if skip_null:
                        continue
                else:
                    filled[source] = True
                    if converter is not None and type(value) is not native:
                        value = converter(value)
                assign(objects[source], value)
            for source, attribute, dest, fk_index, dest_key in links:
                if filled[dest] and (fk_index is None or dest_key is None
                                     or row[fk_index] == row[dest_key]):
                    setattr(objects[source], attribute, objects[dest])
            found.append(objects[0])
        return found
