"""One definition of each count, formatted for the reader's language."""

from jetaa.branches.services import member_total
from jetaa.core.templating import decimal


def test_home_and_admin_count_members_the_same_way(world, make_user, make_membership, login_as):
    twice = make_user("Two Branches")
    make_membership(twice, world.branch)
    make_membership(twice, world.other_branch)  # counted once
    total = member_total()
    home = login_as(world.users["anonymous"]).get("/").get_data(as_text=True)
    assert f"{total} alumni of the JET Programme" in home
    admin = login_as(world.users["admin"]).get("/admin").get_data(as_text=True)
    assert f"<strong>{total}</strong> members" in admin


def test_numbers_have_the_locales_separators(app):
    with app.test_request_context():
        assert decimal(11269, "#,##0") == "11,269"


def test_counts_in_sentences_have_separators_in_both_languages(app):
    from flask_babel import force_locale  # noqa: PLC0415

    template = app.jinja_env.from_string(
        '{{ ngettext("%(num)s member found", "%(num)s members found", n, num=n|number) }}')
    with app.test_request_context():
        assert template.render(n=11269) == "11,269 members found"
        with force_locale("ja"):
            assert template.render(n=11269) == "11,269名の会員が見つかりました"
