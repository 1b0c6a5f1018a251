"""The application class: URLs built once per process (a memo in front of ``url_for``), and
templates whose contexts start cheaply (:mod:`placette.web.templating`).

A page builds twenty to forty links (the frame, the space menu, each listed item), and
werkzeug matches the endpoint's rules and converts every value again each time: some 6 to 9 us
a link, a fifth of a small page's own time.  The same endpoint with the same values under the
same script root always gives the same relative URL, so the text is kept, keyed on exactly what
it depends on: the script root, the endpoint (a relative ``.name`` resolved first) and the
values *after* the ``url_defaults`` functions filled them in (a space blueprint adds the current
space's slug).

Only plain links are kept: inside a request, no ``_anchor``, ``_method``, ``_scheme`` or
``_external``, and every value a ``str`` or an ``int`` -- anything else (a model, a list) is
built as Flask builds it.  The memo is bounded; a link that cannot be built raises as before.
"""
from __future__ import annotations

from flask import Flask, has_request_context, request

URL_MEMO_MAX = 8192
SYNC_MEMO_MAX = 512  # request hooks, teardowns and views: a few dozen in practice


class PlacetteFlask(Flask):
    """Flask, whose ``url_for`` keeps the text of plain links (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.url_memo: dict[tuple, str] = {}
        self.sync_memo: dict = {}

    def ensure_sync(self, func):
        """Flask's answer, kept per function: Flask asks it of every request hook, teardown
        and view on every request (twenty a page), and each asks ``inspect`` whether the
        function is a coroutine -- a question whose answer never changes."""
        try:
            return self.sync_memo[func]
        except KeyError:
            answer = super().ensure_sync(func)
            if len(self.sync_memo) >= SYNC_MEMO_MAX:  # a new function per request
                self.sync_memo.clear()                # (after_this_request): stay bounded
            self.sync_memo[func] = answer
            return answer
        except TypeError:  # an unhashable callable: asked every time, as Flask does
            return super().ensure_sync(func)

    def create_jinja_environment(self):
        """Flask's environment, its templates built by :class:`PlacetteTemplate` (their
        contexts start from the globals without walking a ChainMap) and their contexts by
        :class:`PlacetteContext` (a call asks about ``pass_context`` only when it may apply):
        see :mod:`placette.web.templating`."""
        from .templating import PlacetteContext, PlacetteTemplate
        environment = super().create_jinja_environment()
        environment.template_class = PlacetteTemplate
        environment.context_class = PlacetteContext
        return environment

    def url_for(self, /, endpoint: str, *, _anchor: str | None = None,
                _method: str | None = None, _scheme: str | None = None,
                _external: bool | None = None, **values) -> str:
        if (_anchor is not None or _method is not None or _scheme is not None
                or _external is not None or not has_request_context()):
            return super().url_for(endpoint, _anchor=_anchor, _method=_method,
                                   _scheme=_scheme, _external=_external, **values)
        if endpoint[:1] == ".":
            blueprint = request.blueprint
            endpoint = f"{blueprint}{endpoint}" if blueprint is not None else endpoint[1:]
        self.inject_url_defaults(endpoint, values)
        for value in values.values():
            if type(value) is not str and type(value) is not int:
                return super().url_for(endpoint, **values)
        key = (request.script_root, endpoint, *sorted(values.items()))
        url = self.url_memo.get(key)
        if url is None:
            url = super().url_for(endpoint, **values)
            if len(self.url_memo) >= URL_MEMO_MAX:  # ids make keys without end: stay bounded
                self.url_memo.clear()
            self.url_memo[key] = url
        return url
