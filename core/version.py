"""The kernel's version, and the version of the plugin API it offers.

``PLUGIN_API`` changes its major number only when a hook or a facade name is removed or changes
meaning; plugins may declare the range they support in their manifest (``placette_api``).
"""
__version__ = "0.1.0"
PLUGIN_API = "1.0"
