"""The store: everything that writes pages, revisions, users, protections and logs.

Sub-modules: ``revisions`` (save with compare-and-swap, history, delete, move, protect,
rollback), ``permissions`` (the one rights check), ``users``, ``changes`` (recent changes and
log), ``derived`` (link tables), ``setup`` (``init_instance``), ``errors``.
Store functions take a session and never commit: the caller owns the transaction.
"""
from __future__ import annotations
