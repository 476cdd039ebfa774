"""`make audit` (.ci/audit.py) says what pip-audit really checked."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "audit.py"
spec = importlib.util.spec_from_file_location("ci_audit", SCRIPT)
audit = importlib.util.module_from_spec(spec)
sys.modules["ci_audit"] = audit  # dataclasses look their module up there
spec.loader.exec_module(audit)

NOT_FOUND = "Dependency not found on PyPI and could not be audited: flask (3.1.3)"


def _report(*deps: dict) -> dict:
    return {"dependencies": list(deps), "fixes": []}


def test_nothing_reachable_says_not_audited_and_does_not_fail_ci():
    pypi = audit.read_report("pypi", _report({"name": "flask", "skip_reason": NOT_FOUND},
                                             {"name": "jinja2", "skip_reason": NOT_FOUND}))
    osv = audit.Result("osv", [], {}, {}, error="ConnectionError: api.osv.dev")
    status, message = audit.verdict([pypi, osv], strict=False)
    assert status == 0
    assert message.startswith("make audit: NOT AUDITED")
    assert "none of the 2 packages" in message
    assert "osv: pip-audit could not run: ConnectionError" in message
    assert audit.verdict([pypi, osv], strict=True)[0] == 2


def test_vulnerabilities_fail():
    pypi = audit.read_report("pypi", _report(
        {"name": "jinja2", "version": "3.1.2", "vulns": [{"id": "GHSA-h5c8-rqwp-cp95"}]},
        {"name": "flask", "version": "3.1.3", "vulns": []}))
    status, message = audit.verdict([pypi], strict=False)
    assert status == 1
    assert "jinja2 3.1.2: GHSA-h5c8-rqwp-cp95" in message


def test_a_full_audit_says_so_and_a_partial_one_names_the_rest():
    full = audit.read_report("pypi", _report({"name": "flask", "version": "3.1.3", "vulns": []}))
    assert audit.verdict([full], strict=True) == (
        0, "make audit: all 1 pinned packages audited with pypi: no known vulnerabilities.")
    partial = audit.read_report("pypi", _report(
        {"name": "flask", "version": "3.1.3", "vulns": []},
        {"name": "jetaa-private", "skip_reason": NOT_FOUND}))
    status, message = audit.verdict([partial], strict=False)
    assert status == 0
    assert "PARTLY AUDITED with pypi: 1 of 2" in message
    assert "not audited: jetaa-private" in message


def test_make_audit_and_ci_use_it():
    root = SCRIPT.parents[1]
    assert ".ci/audit.py" in (root / "Makefile").read_text()
    assert "make audit" in (root / ".ci" / "run").read_text()
