"""The one form every picture uses: a file, or "remove"."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField


class PictureForm(FlaskForm):
    picture = FileField(_l("Picture"), description=_l("JPEG, PNG or WebP, at most 5 MB."))
    remove = BooleanField(_l("Remove the picture"))
