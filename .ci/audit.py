"""`make audit`: known vulnerabilities in the pinned runtime requirements, said plainly.

pip-audit asks PyPI's JSON API for each pinned release (then, failing that, OSV). When
neither answers it does not fail: it marks every package "could not be audited" and
prints "No known vulnerabilities found" with exit status 0, which reads like a pass.
This wrapper runs it with JSON output and says what was really checked:

- vulnerabilities found: they are listed and the exit status is 1 (CI fails);
- some or all packages could not be audited (no vulnerability service reachable from
  this machine): a NOT AUDITED notice naming them, and exit status 0, since CI cannot
  fix the network it runs on (AUDIT_STRICT=1 makes it 2);
- everything audited, nothing found: "all N packages audited".

    python3 .ci/audit.py PIP_AUDIT requirements.txt
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass

SERVICES = ("pypi", "osv")


@dataclass
class Result:
    service: str
    audited: list[str]
    skipped: dict[str, str]  # name: pip-audit's reason
    vulnerable: dict[str, list[str]]  # "name version": vulnerability ids
    error: str = ""


def read_report(service: str, report: dict) -> Result:
    """pip-audit's JSON report as what was audited, what was skipped, what is vulnerable."""
    audited, skipped, vulnerable = [], {}, {}
    for dep in report.get("dependencies", []):
        if dep.get("skip_reason"):
            skipped[dep["name"]] = dep["skip_reason"]
            continue
        audited.append(dep["name"])
        if dep.get("vulns"):
            vulnerable[f"{dep['name']} {dep.get('version', '')}".strip()] = [
                v.get("id", "?") for v in dep["vulns"]]
    return Result(service, audited, skipped, vulnerable)


def run(pip_audit: str, requirements: str, service: str) -> Result:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        done = subprocess.run(  # noqa: S603 - our own pip-audit, fixed arguments
            [pip_audit, "-r", requirements, "--no-deps", "--disable-pip",
             "--progress-spinner", "off", "-s", service, "-f", "json", "-o", out.name],
            capture_output=True, text=True, check=False)
        try:
            report = json.loads(open(out.name).read() or "{}")  # noqa: PTH123, SIM115
        except json.JSONDecodeError:
            report = {}
    if not report:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return Result(service, [], {}, {}, error=last[:300])
    return read_report(service, report)


def verdict(results: list[Result], *, strict: bool) -> tuple[int, str]:
    """The exit status and what to print, from one run per service tried."""
    best = max(results, key=lambda r: len(r.audited))
    lines = []
    if best.vulnerable:
        lines.append(f"make audit: KNOWN VULNERABILITIES ({best.service}):")
        lines += [f"  {name}: {', '.join(ids)}" for name, ids in sorted(best.vulnerable.items())]
        return 1, "\n".join(lines)
    total = len(best.audited) + len(best.skipped)
    if best.audited and not best.skipped:
        return 0, (f"make audit: all {total} pinned packages audited with {best.service}: "
                   "no known vulnerabilities.")
    for result in results:
        if result.error:
            lines.append(f"  {result.service}: pip-audit could not run: {result.error}")
        elif not result.audited:
            reason = next(iter(result.skipped.values()), "no answer")
            where = ("PyPI's per-release JSON API (/pypi/NAME/VERSION/json)"
                     if result.service == "pypi" else result.service)
            lines.append(f"  {where} answered for none of the {total} packages "
                         f"(pip-audit: \"{reason}\")")
    if not best.audited:
        head = ("make audit: NOT AUDITED. No vulnerability service answered from this "
                "machine, so nothing was checked (pip-audit alone would have printed 'No "
                "known vulnerabilities found'):")
        tail = ("Run `make audit` where PyPI's JSON API or OSV is reachable; "
                "AUDIT_STRICT=1 makes this an error.")
    else:
        head = (f"make audit: PARTLY AUDITED with {best.service}: {len(best.audited)} of "
                f"{total} packages checked, no known vulnerabilities among them; not "
                f"audited: {', '.join(sorted(best.skipped))}.")
        tail = "AUDIT_STRICT=1 makes this an error."
    return (2 if strict else 0), "\n".join([head, *lines, tail])


def main(argv: list[str]) -> int:
    pip_audit, requirements = argv[1], argv[2]
    results = []
    for service in SERVICES:
        results.append(run(pip_audit, requirements, service))
        if results[-1].audited and not results[-1].skipped:
            break
    status, message = verdict(results, strict=os.environ.get("AUDIT_STRICT") == "1")
    print(message)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
