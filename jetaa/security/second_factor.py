"""The second factor: an authenticator app (TOTP, RFC 6238) and single-use recovery codes.

Federation admins, branch officers and mission staff must have one (`required_for`);
any member may turn it on. Codes are checked with pyotp, one 30-second step either side
for a slow clock, and each step is accepted once. Recovery codes are random, shown once
and stored as SHA-256 hashes (they are long random values, so a fast hash is enough).
"""

from __future__ import annotations

import hashlib
import io
import secrets

import pyotp
import segno
import sqlalchemy as sa
from flask_babel import gettext as _

from jetaa.audit.services import record
from jetaa.auth.models import User
from jetaa.core.actions import Refused
from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.mail.services import queue_email
from jetaa.security.events import log_event
from jetaa.security.models import RecoveryCode, SecondFactor
from jetaa.security.policy import required_for

ISSUER = "JETAA Connect"
RECOVERY_CODES = 10


class SecondFactorRefused(Refused):
    """A second-factor change that cannot be made (a wrong code, nothing to reset)."""


def factor_of(user: User) -> SecondFactor | None:
    return db.session.get(SecondFactor, user.id)


def is_enabled(user: User) -> bool:
    factor = factor_of(user)
    return factor is not None and factor.enabled_at is not None


def begin_setup(user: User) -> SecondFactor:
    """A new secret for the authenticator app (replacing one that was never confirmed)."""
    factor = factor_of(user)
    if factor is not None and factor.enabled_at is not None:
        raise SecondFactorRefused(_("Your second factor is already set up."))
    if factor is None:
        factor = SecondFactor(user_id=user.id, secret=pyotp.random_base32())
        db.session.add(factor)
    return factor


def provisioning_uri(user: User, factor: SecondFactor) -> str:
    return pyotp.TOTP(factor.secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The authenticator app's QR code as inline SVG, made here (nothing leaves the site)."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=4, xmldecl=False, svgns=True,
                                    title=ISSUER)
    return out.getvalue().decode()


def _accept(factor: SecondFactor, code: str) -> bool:
    """The code is right for now (one step either side) and its step was not used before."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return False
    totp = pyotp.TOTP(factor.secret)
    now_step = int(utcnow().timestamp()) // totp.interval
    for step in (now_step, now_step - 1, now_step + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            if factor.last_step is not None and step <= factor.last_step:
                return False
            # A conditional UPDATE: two requests with the same code cannot both win.
            taken = db.session.execute(
                sa.update(SecondFactor).where(
                    SecondFactor.user_id == factor.user_id,
                    sa.or_(SecondFactor.last_step.is_(None), SecondFactor.last_step < step))
                .values(last_step=step).execution_options(synchronize_session=False)).rowcount
            factor.last_step = step
            return taken == 1
    return False


def confirm_setup(user: User, code: str) -> list[str]:
    """Turn the second factor on once the app shows the right code; the new recovery codes."""
    factor = factor_of(user)
    if factor is None or factor.enabled_at is not None:
        raise SecondFactorRefused(_("Start the set-up again."))
    if not _accept(factor, code):
        raise SecondFactorRefused(_("That code is not right. Check the time on your phone "
                                    "and enter the code the app shows now."))
    factor.enabled_at = utcnow()
    codes = new_recovery_codes(user)
    record("account.second_factor_enabled", actor=user, object_type="user", object_id=user.id)
    log_event("second_factor.enabled", user=user)
    return codes


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh codes (the old ones stop working); shown once, stored hashed."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _i in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes)
    return codes


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace(" ", "").encode()).hexdigest()


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def verify(user: User, code: str) -> str | None:
    """'totp' or 'recovery' when `code` is a good authenticator or unused recovery code."""
    factor = factor_of(user)
    if factor is None or factor.enabled_at is None:
        return None
    if _accept(factor, code):
        return "totp"
    used = db.session.execute(
        sa.update(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                      RecoveryCode.code_hash == _hash(code),
                                      RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if used == 1:
        record("account.recovery_code_used", actor=user, object_type="user", object_id=user.id,
               left=recovery_codes_left(user))
        return "recovery"
    return None


def turn_off(user: User, code: str) -> None:
    """The member turns their own second factor off (refused while their roles need it)."""
    if required_for(user):
        raise SecondFactorRefused(_("Your roles need a second factor: it cannot be turned off."))
    if verify(user, code) is None:
        raise SecondFactorRefused(_("That code is not right."))
    _remove(user)
    record("account.second_factor_disabled", actor=user, object_type="user", object_id=user.id)
    log_event("second_factor.disabled", user=user)


def reset(user: User, *, actor: User) -> None:
    """An admin removes a member's second factor (a lost phone); the member is e-mailed and
    sets it up again at their next sign-in. Their sessions end."""
    if factor_of(user) is None:
        raise SecondFactorRefused(_("%(name)s has no second factor to reset.", name=user.name))
    from jetaa.security.sessions import end_sessions

    _remove(user)
    end_sessions(user, actor=actor, reason="second factor reset")
    queue_email(user.email, "second_factor_reset", locale=user.locale, user=user)
    record("account.second_factor_reset", actor=actor, object_type="user", object_id=user.id)
    log_event("second_factor.reset", user=user, by=actor.id)


def _remove(user: User) -> None:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    factor = factor_of(user)
    if factor is not None:
        db.session.delete(factor)
        db.session.flush()
