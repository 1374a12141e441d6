"""A Hypothesis state machine of the revision store against a simple model.

Rules: saves (including null edits), conflicting saves from a stale base (merged or refused
as the three-way merge decides), deletes, undeletes, moves with or without a redirect.
Invariants after every step: each page's revisions (id, text) are exactly the model's, the
latest revision is the newest one, deleted revisions sit in the archive: history is never
lost or altered. Runs on SQLite, and on PostgreSQL in the db pass.
"""
from __future__ import annotations

import itertools
from contextlib import contextmanager
from typing import Iterator

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, invariant, precondition, rule,
                                 run_state_machine_as_test)
from sqlalchemy import select
from sqlalchemy.orm import Session

from wikiengine import db
from wikiengine.diff import merge3
from wikiengine.models import Archive, Content, Revision, User
from wikiengine.store import revisions, users
from wikiengine.store.errors import EditConflict
from wikiengine.title import Title

LINES = st.lists(st.sampled_from(["Brest", "Recouvrance", "le port", "la rade", "Siam", ""]),
                 min_size=1, max_size=5)
TEXTS = LINES.map(lambda lines: "\n".join(lines).strip()).filter(bool)
NAMES = ("Alpha", "Beta", "Gamma")
_RUN = itertools.count()


class StoreMachine(RuleBasedStateMachine):
    """Pages SM<n> Alpha/Beta/Gamma of one example; ``live``/``archived`` are the model."""

    app = None
    user_id = 0

    def __init__(self) -> None:
        super().__init__()
        n = next(_RUN)
        self.titles = {name: Title.new(f"SM{n} {name}") for name in NAMES}
        self.live: dict[str, list[tuple[int, str]]] = {}
        self.archived: dict[str, list[tuple[int, str]]] = {}

    @contextmanager
    def tx(self) -> Iterator[Session]:
        with self.app.app_context(), db.session_scope(self.app) as session:
            yield session

    def user(self, s: Session) -> User:
        return s.get(User, self.user_id)

    # -- rules ------------------------------------------------------------------------
    @rule(name=st.sampled_from(NAMES), text=TEXTS)
    def save(self, name: str, text: str) -> None:
        with self.tx() as s:
            result = revisions.save_page(s, self.titles[name], text, self.user(s))
            rev = result.revision
            parent = rev.parent_id if rev is not None else None
            rev_id = rev.rev_id if rev is not None else None
        history = self.live.get(name)
        if history and history[-1][1] == text:
            assert result.null_edit and rev_id is None
            return
        assert not result.null_edit and rev_id is not None
        assert parent == (history[-1][0] if history else None)
        self.live.setdefault(name, []).append((rev_id, text))

    @precondition(lambda self: self.live)
    @rule(data=st.data(), first=TEXTS, second=TEXTS)
    def conflicting_save(self, data: st.DataObject, first: str, second: str) -> None:
        name = data.draw(st.sampled_from(sorted(self.live)))
        base_id, base_text = self.live[name][-1]
        self.save(name, first)  # someone else saves first
        current_id, current_text = self.live[name][-1]
        expected = merge3(base_text, current_text, second)
        try:
            with self.tx() as s:
                result = revisions.save_page(s, self.titles[name], second, self.user(s),
                                             base_rev_id=base_id)
                rev = result.revision
                outcome = (result.null_edit, result.merged,
                           rev.rev_id if rev else None, rev.parent_id if rev else None)
        except EditConflict as conflict:
            assert expected is None
            assert (conflict.base, conflict.current, conflict.proposed) == \
                (base_text, current_text, second)
            return
        assert expected is not None
        null_edit, merged, rev_id, parent_id = outcome
        if expected == current_text:
            assert null_edit
            return
        assert not null_edit and parent_id == current_id
        assert merged == (current_id != base_id)
        self.live[name].append((rev_id, expected))

    @precondition(lambda self: self.live)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(self.live)))
        with self.tx() as s:
            revisions.delete_page(s, self.titles[name], self.user(s))
        self.archived.setdefault(name, []).extend(self.live.pop(name))

    @precondition(lambda self: self.archived)
    @rule(data=st.data())
    def undelete(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(self.archived)))
        with self.tx() as s:
            revisions.undelete_page(s, self.titles[name], self.user(s))
        self.live[name] = sorted(self.live.get(name, []) + self.archived.pop(name))

    @precondition(lambda self: self.live and len(self.live) < len(NAMES))
    @rule(data=st.data(), leave_redirect=st.booleans())
    def move(self, data: st.DataObject, leave_redirect: bool) -> None:
        source = data.draw(st.sampled_from(sorted(self.live)))
        target = data.draw(st.sampled_from(sorted(set(NAMES) - set(self.live))))
        with self.tx() as s:
            revisions.move_page(s, self.titles[source], self.titles[target], self.user(s),
                                leave_redirect=leave_redirect)
        with self.tx() as s:
            moved = revisions.get_page(s, self.titles[target])
            null_rev = moved.latest
            redirect = revisions.get_page(s, self.titles[source])
            redirect_rev = redirect.latest if redirect is not None else None
            redirect_text = revisions.page_text(s, redirect) if redirect is not None else None
        history = self.live.pop(source)
        self.live[target] = history + [(null_rev, history[-1][1])]
        if leave_redirect:
            assert redirect_text == f"#REDIRECTION [[{self.titles[target].prefixed_text}]]"
            self.live[source] = [(redirect_rev, redirect_text)]
        else:
            assert redirect is None

    # -- invariants -------------------------------------------------------------------
    @invariant()
    def history_matches_model(self) -> None:
        with self.tx() as s:
            for name, title in self.titles.items():
                page = revisions.get_page(s, title)
                expected = self.live.get(name)
                if expected is None:
                    assert page is None, name
                else:
                    assert page is not None, name
                    rows = s.execute(select(Revision.rev_id, Content.text)
                                     .join(Content, Content.content_id == Revision.content_id)
                                     .where(Revision.page_id == page.page_id)
                                     .order_by(Revision.rev_id)).all()
                    assert [tuple(r) for r in rows] == sorted(expected), name
                    assert page.latest == max(expected)[0]
                    assert revisions.page_text(s, page) == max(expected)[1]
                archived = s.execute(select(Archive.rev_id, Content.text)
                                     .join(Content, Content.content_id == Archive.content_id)
                                     .where(Archive.namespace == title.namespace,
                                            Archive.title == title.dbkey)
                                     .order_by(Archive.rev_id)).all()
                assert [tuple(r) for r in archived] == sorted(self.archived.get(name, [])), name


@pytest.mark.db
def test_revision_store_state_machine(app) -> None:
    app.config["SEARCH_RENDER"] = False
    with app.app_context(), db.session_scope(app) as session:
        StoreMachine.user_id = users.create_user(session, "Machine", "pw",
                                                 groups=("sysop",)).user_id
    StoreMachine.app = app
    run_state_machine_as_test(StoreMachine, settings=settings(
        max_examples=25, stateful_step_count=12, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
