"""The bench's yardstick: a bare Flask page that runs one indexed query and renders a small template.

Not the project's app: no extensions, no session, no login, no layout, no CSRF. One
pooled SQLAlchemy Core engine on the bench database, and one page that looks a branch
up by its slug (a unique index) and renders a few lines of Jinja. bench/run.py serves it
with gunicorn beside the app, with the same number of workers, and reports each page's
requests/second as a fraction of this one's ("vs bare"):

    DATABASE_URL=sqlite:////tmp/jetaa-bench.sqlite3 gunicorn -w 2 'bench.bare:create_app()'
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, abort, render_template, request
from jinja2 import DictLoader

PATH = "/bare"
QUERY = sa.text("SELECT name, country FROM branches WHERE slug = :slug")
TEMPLATE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ name }}</title></head>
<body><h1>{{ name }}</h1><p>A JETAA branch in {{ country }}.</p></body>
</html>
"""


def create_app(database_url: str | None = None) -> Flask:
    app = Flask(__name__)
    # A loader rather than render_template_string: the template is compiled once and cached,
    # as any real app's templates are.
    app.jinja_loader = DictLoader({"bare.html": TEMPLATE})
    engine = sa.create_engine(database_url or os.environ["DATABASE_URL"])  # pooled (QueuePool)
    app.extensions["bench.engine"] = engine  # run.py counts its statements

    @app.get(PATH)
    def bare() -> str:
        with engine.connect() as connection:
            row = connection.execute(QUERY, {"slug": request.args.get("slug", "new-york")}).first()
        if row is None:
            abort(404)
        return render_template("bare.html", name=row.name, country=row.country)

    return app
