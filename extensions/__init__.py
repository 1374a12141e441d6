"""MediaWiki-style extensions of wikiengine, one module or package each.

Each exposes ``register(registry, config)`` and is declared in setup.cfg under the entry-point
group ``wikiengine.extensions``; an instance enables them by name in ``EXTENSIONS``.
"""
