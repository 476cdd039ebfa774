"""The public mission pages."""

import re


def test_index_lists_missions_with_their_branches(client, make_mission, make_branch):
    ny = make_mission(slug="cg-ny", name="Consulate-General of Japan in New York")
    make_mission(slug="emb-gb", name="Embassy of Japan in the UK", country="GB", city="London",
                 timezone="Europe/London")
    make_branch(name="JETAA New York", mission_id=ny.id)
    page = client.get("/missions").get_data(as_text=True)
    assert "Consulate-General of Japan in New York" in page
    assert "Embassy of Japan in the UK" in page
    assert "/missions/cg-ny" in page


def test_show_lists_the_branches_in_its_jurisdiction(client, make_mission, make_branch):
    ny = make_mission(slug="cg-ny", name="Consulate-General of Japan in New York",
                      name_ja="在ニューヨーク日本国総領事館", website="https://ny.example/")
    make_branch(slug="nyc", name="JETAA New York", mission_id=ny.id)
    make_branch(slug="elsewhere", name="JETAA Elsewhere")
    page = client.get("/missions/cg-ny").get_data(as_text=True)
    assert "<h1>Consulate-General of Japan in New York</h1>" in page
    assert "在ニューヨーク日本国総領事館" in page
    assert 'href="https://ny.example/"' in page
    assert re.findall(r'<a href="[^"]*/branches/([\w-]+)">', page) == ["nyc"]


def test_show_without_branches(client, make_mission):
    make_mission(slug="lonely")
    assert "No branch is linked to this mission." in client.get("/missions/lonely").get_data(
        as_text=True)


def test_index_query_count_does_not_grow(client, make_mission, make_branch, count_queries):
    make_branch(mission_id=make_mission().id)
    with count_queries() as small:
        client.get("/missions")
    for _ in range(15):
        mission = make_mission()
        make_branch(mission_id=mission.id)
        make_branch(mission_id=mission.id)
    with count_queries() as large:
        client.get("/missions")
    assert len(large) == len(small)
