"""``python -m syrsearch``."""

from .cli import main

main()
