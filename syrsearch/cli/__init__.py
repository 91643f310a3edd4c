"""The ``syrsearch`` command line: the only package that imports Typer.

:mod:`.main` holds the application and its one error handler, :mod:`.options`
the options the commands share, :mod:`.commands` the commands.
"""

from .commands import main
from .main import app

__all__ = ["app", "main"]
