"""Templates whose context starts from the environment's globals without walking a ChainMap.

Jinja gives every loaded template the globals ``ChainMap(own, environment.globals)`` (own
globals shadow the environment's, later changes of the environment's still show), and every
render builds its context with ``dict(template.globals, **values)``.  Copying a ChainMap walks
it key by key in Python: 20 to 45 us for the thirty globals Flask, Flask-Babel, Flask-WTF and
the kernel declare -- on every ``render_template`` (a page renders three to six: itself, the
footer's links, a thread of comments, a slot's fragment), while a plain dict copies in a
microsecond.

:class:`PlacetteTemplate` builds the context from ``environment.globals`` itself when the
template has no globals of its own (``render_template``, ``{% include %}`` and imports never give
any): the same names and values, nothing mutated, since the context copies what it receives.
A template loaded with its own globals keeps Jinja's way.

:class:`PlacetteContext` is the contexts' class.  Every call written in a template --
``_()``, ``url_for()``, a macro, ``answers.get(...)``, ``occ.url(slug)`` -- goes through
``Context.call``, which asks three times whether the callable wants the context, the
evaluation context or the environment passed first (``pass_context`` and its kin): 2.3 us a
call against 0.1 for the call itself, and a list of thirty meetings makes some three hundred
calls.  For the callables that cannot want one unless marked -- functions and methods, which
carry the mark as ``jinja_pass_arg``, built-in functions and methods, Jinja's own macros -- it
reads the mark once and calls, the context first for a ``pass_context`` function called
without keywords (the translations' ``_()``); anything else, and anything else marked, goes
through Jinja's ``Context.call`` as before.
"""
from __future__ import annotations

from collections import ChainMap
from types import (BuiltinFunctionType, FunctionType, MethodDescriptorType, MethodType,
                   MethodWrapperType)

from jinja2 import Template, pass_context
from jinja2.runtime import Context, Macro, new_context

# Callables that want the context (or the environment) first only when marked with
# ``jinja_pass_arg`` (functions, and methods through their function); built-ins and macros
# never do.
_MARKABLE = (FunctionType, MethodType)
_NEVER_MARKED = (BuiltinFunctionType, MethodDescriptorType, MethodWrapperType, Macro)
_STOPPED = "value was undefined because a callable raised a StopIteration exception"
# The mark ``pass_context`` sets, read through Jinja's public decorator: such a callable called
# with no keyword (so no loop or block variables to add) gets this context first.
_WANTS_CONTEXT = pass_context(lambda context: None).jinja_pass_arg


class PlacetteContext(Context):
    """Jinja's context, whose ``call`` skips the ``pass_context`` questions for callables that
    cannot want it (see the module docstring)."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 -- Jinja's own signature
        kind = type(__obj)
        if kind in _MARKABLE:
            mark = getattr(__obj, "jinja_pass_arg", None)
            if mark is _WANTS_CONTEXT and not kwargs:  # ``_()`` in a template, say
                args = (__self, *args)
            elif mark is not None:
                return Context.call(__self, __obj, *args, **kwargs)
        elif kind not in _NEVER_MARKED:
            return Context.call(__self, __obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(_STOPPED)


class PlacetteTemplate(Template):
    """A Jinja template whose ``new_context`` skips the ChainMap walk (see the module doc)."""

    def new_context(self, vars=None, shared=False, locals=None):
        scope = self.globals
        if type(scope) is ChainMap and len(scope.maps) == 2 and not scope.maps[0]:
            scope = scope.maps[1]  # nothing of its own: the environment's globals, as they are
        return new_context(self.environment, self.name, self.blocks, vars, shared, scope,
                           locals)
