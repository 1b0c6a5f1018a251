"""Discussions: comments on any item of any plugin, topics shared between spaces, mentions.

Entry point: ``discussions = "placette_plugins.discussions.plugin"``.
"""
