"""``python -m bots.journee``: the wiki-journées (thematic collection days) from preparation to
album, as a pywikibot bot speaking to ``api.php``.

Owns the four commands (``prepare``, ``follow``, ``report``, ``close``) and their parts:
``topics`` (the topics CSV, checked line by line), ``wikitext`` (the pages the bot writes),
``activity`` (what happened during the day, read through the API), ``charts`` (SVG drawings),
``bot`` (the pywikibot bots that write) and ``__main__`` (the command line).
The site and account come from the pywikibot configuration written by ``bots.family``.
"""
from __future__ import annotations
