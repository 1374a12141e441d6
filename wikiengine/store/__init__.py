"""The store: everything that writes pages, revisions, users, protections and logs.

Sub-modules: ``revisions`` (reading, history, the save with compare-and-swap and three-way
merge; re-exports ``pageops``: delete, undelete, move, protect, rollback, undo),
``permissions`` (the one rights check), ``users`` (accounts, actors, groups, bot passwords),
``blocks``, ``watchlist``, ``changes`` (recent changes and log), ``derived`` (link tables,
dependants' ``page_touched``), ``events`` (extension events and work run after commit),
``setup`` (``init_instance``), ``errors``, ``cli`` (create-user, refresh-links, purge-cache).
Store functions take a session and never commit: the caller owns the transaction.
"""
from __future__ import annotations
