"""Keep selected articles in sync with a source wiki (Wikipedia): ``pull``, ``update``,
``status``, ``push`` and ``resolve`` (see ``bots/README.md`` and ``python -m bots.sync``).
Modules: ``core`` (sites, options, attribution), ``state`` (the state page), ``text`` (links,
licences, summaries), ``merge`` (diff3), one module per command."""
from __future__ import annotations
