"""MediaWiki XML dumps: streaming reader and writer, loader into the store, exporter.

``reader`` and ``writer`` are pure (no database); ``loader`` and ``export`` work on the store;
the loader hands ``<upload>``s and ``<logitem>``s to ``extras`` (``uploads``: file versions
through the files service; ``logitems``: log entries and their params); ``cli`` holds the
``import-dump``/``export-dump`` commands, ``web`` Special:Import/Export.
"""
