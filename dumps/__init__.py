"""MediaWiki XML dumps: streaming reader and writer, loader into the store, exporter.

``reader`` and ``writer`` are pure (no database); ``loader`` and ``export`` work on the store;
``cli`` holds the ``import-dump``/``export-dump`` commands, ``web`` Special:Import/Export.
"""
