"""The bundled ``pages`` plugin: editorial pages per space -- the city's charter of participation,
legal notice and accessibility statement (linked from every page's footer), a council's "how we
work".

It imports only :mod:`placette` (the facade) and its own modules, and is discovered through the
``placette.plugins`` entry point like any third-party plugin.
"""
