"""``python -m dlproofs`` is the ``dlproofs`` command."""

from .cli import main

main()
