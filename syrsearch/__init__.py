"""syrsearch: full-text search over a folder of news articles."""

import warnings

__version__ = "0.1.0"

# The original whoosh 2.7.4 (a one-line switch from whoosh3) has literal
# comparisons that Python 3.12+ warns about while compiling it; keep stderr
# for syrsearch's own messages.
warnings.filterwarnings("ignore", category=SyntaxWarning)
