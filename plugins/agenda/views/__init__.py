"""The agenda's pages: under a space (``space.py``), city-wide and calendar feeds (``city.py``)."""
