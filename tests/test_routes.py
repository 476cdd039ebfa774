"""Every route of the app has a row in a role table.

Each feature keeps its (method, url) x role table as TABLE in its
tests/<feature>/test_permissions.py (rows built with tests.conftest.by_role);
test_every_route_is_in_a_table finds those modules itself and fails when a
route is added to the app without a row in any of them.
"""

import importlib
import pkgutil
from collections import defaultdict
from types import ModuleType

from werkzeug.exceptions import NotFound

import tests
from tests.conftest import ROLES


def _permission_modules() -> list[ModuleType]:
    """Every tests/**/test_*permissions.py module, imported (a feature may split its table)."""
    return [importlib.import_module(info.name)
            for info in pkgutil.walk_packages(tests.__path__, "tests.")
            if info.name.rsplit(".", 1)[-1].endswith("permissions")]


def _tables() -> dict[str, dict]:
    """Each module's TABLE, by module name (a module without one has no routes)."""
    return {module.__name__: module.TABLE for module in _permission_modules()
            if hasattr(module, "TABLE")}


def _covered(app) -> set[tuple[str, str]]:
    """(method, endpoint) of every row of every table; {placeholders} are filled with 1."""
    adapter = app.url_map.bind("jetaa.test")
    placeholders = defaultdict(lambda: "1")
    covered = set()
    for table in _tables().values():
        for method, url in table:
            path = url.format_map(placeholders).split("?")[0]
            try:
                endpoint, _args = adapter.match(path, method=method)
            except NotFound:
                continue  # a 404 row for a URL no route has covers no route
            covered.add((method, endpoint))
    return covered


def test_every_route_is_in_a_table(app):
    routes = {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules() if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    missing = sorted(routes - _covered(app))
    assert not missing, "add these routes to a TABLE in tests/<feature>/test_permissions.py"


def test_every_row_names_every_role():
    tables = _tables()
    assert tables, "no TABLE found in tests/**/test_permissions.py"
    incomplete = [(name, key) for name, table in tables.items()
                  for key, row in table.items()
                  if not isinstance(row, dict) or set(row) != set(ROLES)]
    assert not incomplete, "each row needs a value for every role in ROLES (use by_role)"


def test_every_form_is_for_a_row():
    strays = [(module.__name__, key) for module in _permission_modules()
              for key in getattr(module, "FORMS", {}) if key not in getattr(module, "TABLE", {})]
    assert not strays, "these FORMS have no TABLE row to post them"
