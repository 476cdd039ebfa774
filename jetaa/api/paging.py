"""Page-numbered lists with links, a bounded page size, and one count per list."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import request

from jetaa.extensions import db


def _link(page: int) -> str:
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
    return f"{request.path}?{urlencode([*args, ('page', page)])}"


def envelope(items: Sequence[Any], *, page: int, per_page: int, total: int) -> dict[str, Any]:
    pages = max(1, math.ceil(total / per_page))
    return {
        "items": list(items),
        "pagination": {"page": page, "per_page": per_page, "total": total, "pages": pages},
        "links": {"self": _link(page), "first": _link(1), "last": _link(pages),
                  "prev": _link(page - 1) if 1 < page <= pages + 1 else None,
                  "next": _link(page + 1) if page < pages else None},
    }


def paginate(query: sa.Select, *, page: int, per_page: int) -> tuple[list[Any], int]:
    """One page of the query's rows and the count of all of them (two queries)."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(
        query.order_by(None).subquery())) or 0
    rows = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique())
    return rows, total


def slice_of(items: Sequence[Any], *, page: int, per_page: int) -> list[Any]:
    return list(items[(page - 1) * per_page: page * per_page])
