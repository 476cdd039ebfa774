"""Pictures as the app sees them: the blueprint, the avatar helpers, the file hooks."""

from flask import Flask

from jetaa.core import files
from jetaa.pictures import views
from jetaa.pictures.display import avatar_hue, initials, picture_url
from jetaa.pictures.forms import PictureForm


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    for helper in (avatar_hue, initials, picture_url):
        app.add_template_global(helper)
    app.add_template_global(PictureForm, "PictureForm")
    files.listen()
