"""Fixtures for the outbox: a small SMTP server on 127.0.0.1, Redis db 1, a clock."""

from __future__ import annotations

import base64
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest


@dataclass
class SmtpServer:
    """What the fake server received; `reject` makes it refuse every recipient with
    `reject_code` (550: permanently; 451: try again later)."""

    port: int
    messages: list[dict] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    reject: bool = False
    reject_code: int = 550


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT."""

    def handle(self) -> None:
        state: SmtpServer = self.server.state  # type: ignore[attr-defined]
        envelope: dict = {"to": []}
        self._reply("220 fake.smtp ready")
        while line := self.rfile.readline():
            command = line.decode().rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self._reply("250-fake.smtp", "250 AUTH PLAIN")
            elif verb == "AUTH":
                state.logins.append(base64.b64decode(command.split()[2]).decode())
                self._reply("235 ok")
            elif verb == "MAIL":
                envelope = {"from": command[10:], "to": []}
                self._reply("250 ok")
            elif verb == "RCPT":
                if state.reject:
                    self._reply(f"{state.reject_code} no such user" if state.reject_code >= 500
                                else f"{state.reject_code} try again later")
                else:
                    envelope["to"].append(command[8:])
                    self._reply("250 ok")
            elif verb == "DATA":
                self._reply("354 go on")
                envelope["data"] = self._read_data()
                state.messages.append(envelope)
                self._reply("250 queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("250 ok")

    def _read_data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)

    def _reply(self, *lines: str) -> None:
        self.wfile.write("".join(f"{line}\r\n" for line in lines).encode())


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
    server.daemon_threads = True
    server.state = SmtpServer(port=server.server_address[1])  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, name="fake-smtp", daemon=True)
    thread.start()
    yield server.state  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)



class Clock:
    """A stopped clock for jetaa.mail.services; move it with `advance(minutes=...)`."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    from jetaa.db import utcnow
    from jetaa.mail import services

    # A little ahead: messages made during the test are due at once.
    frozen = Clock(utcnow() + timedelta(seconds=5))
    monkeypatch.setattr(services, "utcnow", frozen)
    return frozen
