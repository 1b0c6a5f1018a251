"""``python -m placette.cli``: the same as the ``placette`` command."""
from . import main

main()
