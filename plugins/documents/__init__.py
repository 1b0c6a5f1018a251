"""The ``documents`` plugin: each space's library -- folders, documents, versions, photo galleries,
permission-checked downloads -- and a city-wide "resources" view.

Bundled with placette but discovered like any third-party plugin (entry point
``documents = "placette_plugins.documents.plugin"``); it imports only the :mod:`placette` facade.
"""
