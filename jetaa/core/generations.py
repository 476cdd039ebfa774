"""Generation counters: cached page parts go stale the moment their data changes.

A cached part (the directory's results, a calendar's body) is keyed by the
generation of the data it shows, e.g. `members:41`. Every transaction that
writes a watched model bumps that counter as the last statement before its
commit, so the next reader misses the cache and computes afresh: no waiting
for a time-to-live, whichever worker made the change. The counters live in
the database (one small table) so that they are shared by every process and
move atomically with the data.

Each feature says in its init_app which generation a write to its models
moves (watch), or that no cached part shows them (unseen). Writes through
the ORM are seen (objects flushed, and update/delete/insert statements on a
mapped class run through the session), except statements run with
execution_options(unseen_by_pages=True). Bulk loads through a bare
connection (demo data) call bump() themselves.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask import g, has_app_context
from sqlalchemy.orm import Mapped, Session, mapped_column

from jetaa.db import Base
from jetaa.extensions import db

_WATCHED: dict[type, tuple[set[str], frozenset[str]]] = {}  # class -> (names, ignored attrs)
_UNSEEN: set[type] = set()  # models no cached part shows, declared so by their feature
_PENDING = "generations_to_bump"
_listening = False


class Generation(Base):
    __tablename__ = "cache_generations"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


def watch(name: str, *classes: type, ignore: Iterable[str] = ()) -> None:
    """Bump generation `name` whenever a row of one of `classes` is written.

    `ignore`: attributes whose change alone does not matter to the cached parts
    (a login stamping last_login_at must not empty the directory's cache).
    """
    for cls in classes:
        names, ignored = _WATCHED.get(cls, (set(), frozenset()))
        _WATCHED[cls] = (names | {name}, ignored | frozenset(ignore))


def unseen(*classes: type) -> None:
    """Declare models whose rows no cached part shows: their writes move no generation.

    Every model is either watched or declared unseen, by the feature that owns
    it (its init_app); a test fails on a model that is neither, so a new
    feature cannot forget to tell the caches about its writes.
    """
    _UNSEEN.update(classes)


def unclassified(classes: Iterable[type]) -> set[type]:
    """Those of `classes` that are neither watched nor declared unseen."""
    return {cls for cls in classes if cls not in _WATCHED and cls not in _UNSEEN}


def watched_names() -> set[str]:
    return {name for names, _ignored in _WATCHED.values() for name in names}


def current(name: str) -> int:
    """The generation of `name`. All counters are read in one query, once per request."""
    if "_generations" not in g:
        g._generations = dict(db.session.execute(sa.select(Generation.name, Generation.value)).all())
    return g._generations.get(name, 0)


def bump(session: Session, names: Iterable[str]) -> None:
    """Add one to each counter (created at 1 if missing), in name order.

    The fixed order matters on PostgreSQL: two transactions bumping the same
    counters lock their rows in the same order and so never deadlock.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    for name in sorted(set(names)):
        statement = insert(Generation).values(name=name, value=1)
        session.execute(statement.on_conflict_do_update(
            index_elements=[Generation.name], set_={"value": Generation.value + 1}))
    if has_app_context():
        g.pop("_generations", None)  # later reads in this request see the new values


def _changed(obj: Any, ignored: frozenset[str]) -> bool:
    if not ignored:
        return True
    state = sa.inspect(obj)
    return any(attr.history.has_changes() for attr in state.attrs if attr.key not in ignored)


def _note_flush(session: Session, _context: Any, _instances: Any) -> None:
    pending: set[str] = session.info.setdefault(_PENDING, set())
    for obj in itertools.chain(session.new, session.deleted):
        pending.update(_WATCHED.get(type(obj), (set(), frozenset()))[0])
    for obj in session.dirty:
        names, ignored = _WATCHED.get(type(obj), (set(), frozenset()))
        if names and not names <= pending and _changed(obj, ignored):
            pending.update(names)


def _note_statement(state: Any) -> None:
    if state.execution_options.get("unseen_by_pages"):
        return  # bookkeeping no cached part shows (a reminder's sent-at stamp)
    if (state.is_update or state.is_delete or state.is_insert) and state.bind_mapper is not None:
        names = _WATCHED.get(state.bind_mapper.class_, (set(), frozenset()))[0]
        if names:
            state.session.info.setdefault(_PENDING, set()).update(names)


def _bump_before_commit(session: Session) -> None:
    session.flush()
    names = session.info.pop(_PENDING, None)
    if names:
        bump(session, names)


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_PENDING, None)


def listen() -> None:
    """Install the session hooks (once per process)."""
    global _listening  # noqa: PLW0603 - one set of listeners per process
    if _listening:
        return
    sa.event.listen(Session, "before_flush", _note_flush)
    sa.event.listen(Session, "do_orm_execute", _note_statement)
    sa.event.listen(Session, "before_commit", _bump_before_commit)
    # after_rollback: the real rollback only (a savepoint's keeps what the outer transaction wrote)
    sa.event.listen(Session, "after_rollback", _forget)
    _listening = True
