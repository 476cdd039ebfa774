"""The home-country list holds real ISO 3166 countries only, sorted for the reader."""

from flask_babel import force_locale

from jetaa.members import choices


def test_no_pseudo_locales_or_groupings_in_either_language(app):
    for locale in ("en", "ja"):
        with app.test_request_context(), force_locale(locale):
            codes = dict(choices.country_choices())
            names = set(codes.values())
            assert not {"XA", "XB", "EU", "EZ", "QO", "UN", "ZZ", "001", "150"} & set(codes)
            assert len(codes) == 249
            assert not {n for n in names if "Pseudo" in n or "疑似" in n}
    with app.test_request_context(), force_locale("ja"):
        assert dict(choices.country_choices())["US"] == "アメリカ合衆国"


def test_sorted_for_the_reader_accents_with_their_letter(app):
    with app.test_request_context(), force_locale("en"):
        names = [name for _code, name in choices.country_choices()]
    assert names.index("Åland Islands") < names.index("Albania")
    assert names.index("Côte d’Ivoire") < names.index("Croatia")
    assert names == sorted(names, key=choices.sort_key)


def test_profile_form_offers_the_clean_list(world, login_as):
    page = login_as(world.users["member"]).get("/profile/edit").get_data(as_text=True)
    assert 'value="FR"' in page
    assert 'value="XA"' not in page
    assert "European Union" not in page


def test_japanese_readers_see_japanese_names_in_the_menus(world, login_as, prefectures):
    client = login_as(world.users["member"])
    client.post("/language", data={"language": "ja"})
    profile = client.get("/profile/edit").get_data(as_text=True)
    assert ">北海道</option>" in profile
    assert ">Hokkaido</option>" not in profile
    calendar = client.get("/events").get_data(as_text=True)
    assert "地方" not in calendar
    assert "各国のJETAA" in calendar
