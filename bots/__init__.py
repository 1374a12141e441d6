"""Pywikibot bots for wikiengine wikis: ``bots.family`` (family file and user-config.py from a
wiki's siteinfo) and ``bots.sync`` (keep selected articles in sync with a source wiki such as
Wikipedia, with attribution, upstream tracking and three-way merge).

The bots speak HTTP to ``api.php`` through stock pywikibot; they never import ``wikiengine``.
"""
from __future__ import annotations
