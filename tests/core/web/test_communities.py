"""The directory, a community's home, creating a community and its settings pages."""

from __future__ import annotations

import re

from tests.core.web.helpers import note, text
from tisserand.models import AuditLog, Community, Membership


async def test_directory_lists_public_and_private_hides_secret_and_nests_children(client, factory):
    alice = await factory.member("alice")
    parent = await factory.community("reseau", name="Le réseau", coordinator=alice)
    await factory.community("quebec", name="Groupe du Québec", coordinator=alice, parent=parent)
    await factory.community("prive", name="Cercle privé", visibility="private", coordinator=alice)
    await factory.community("cache", name="Comité caché", visibility="secret", coordinator=alice)
    page = await client.get("/c/")
    assert page.status_code == 200
    assert "Le réseau" in page.text and "Cercle privé" in page.text
    assert "Comité caché" not in page.text and "/c/cache" not in page.text
    nested = re.search(r'aria-label="Sub-communities of Le réseau">(.*?)</ul>', page.text, re.S)
    assert nested and "Groupe du Québec" in nested.group(1)
    await client.login_as(alice)
    mine = await client.get("/c/")
    assert "Comité caché" in mine.text  # members know their secret community


async def test_directory_filter_ignores_accents_and_case(client, factory):
    await factory.community("eau", name="Gestion de l'eau", description="Élus et rivières")
    await factory.community("velo", name="Vélo en ville")
    page = await client.get("/c/?q=ELUS")
    assert "Gestion de l&#39;eau" in page.text and "Vélo en ville" not in page.text
    assert "No community matches" in (await client.get("/c/?q=zzz")).text


async def test_community_home_shows_description_count_tabs_panels_and_recent_content(client, factory):
    alice = await factory.member("alice", display_name="Alice Martin")
    community = await factory.community("jardins", name="Jardins partagés", coordinator=alice,
                                        description="On cultive **ensemble**.\n\n<script>x</script>")
    for index in range(3):
        await note(factory, community, alice, title=f"Semis numéro {index}")
    await note(factory, community, alice, title="hidden by probe")
    page = await client.get("/c/jardins")
    assert page.status_code == 200
    assert "<strong>ensemble</strong>" in page.text and "<script>x" not in page.text
    assert "1 member" in text(page.text)
    assert 'href="/c/jardins/probe"' in page.text  # the plugin's tab
    assert "Season one of Jardins partagés" in page.text  # the plugin's panel
    assert "Semis numéro 2" in page.text
    assert re.search(r'href="/c/jardins/probe/\d+"', page.text)  # links from content_url
    assert "hidden by probe" not in page.text  # content_visible narrowed it
    assert "Alice Martin" in page.text  # who runs it
    assert "Log in to join" in page.text


async def test_private_community_home_shows_name_and_join_but_not_content(client, factory):
    alice = await factory.member("alice")
    bob = await factory.member("bob")
    community = await factory.community("prive", name="Cercle privé", visibility="private",
                                        join_policy="request", coordinator=alice, description="Pour les membres.")
    await note(factory, community, alice, title="Compte rendu confidentiel")
    await client.login_as(bob)
    page = await client.get("/c/prive")
    assert page.status_code == 200
    assert "Cercle privé" in page.text and "Pour les membres." in page.text
    assert "Compte rendu confidentiel" not in page.text
    assert "Season one" not in page.text  # panels are content too
    assert "Ask to join" in page.text


async def test_sub_community_shows_its_parent_and_the_parent_its_children(client, factory):
    alice = await factory.member("alice")
    parent = await factory.community("reseau", name="Le réseau", coordinator=alice)
    await factory.community("quebec", name="Groupe du Québec", coordinator=alice, parent=parent)
    child = await client.get("/c/quebec")
    assert 'href="/c/reseau">Le réseau</a>' in child.text
    assert "Groupe du Québec" in (await client.get("/c/reseau")).text


async def test_unknown_community_is_a_friendly_404(client):
    response = await client.get("/c/nope")
    assert response.status_code == 404
    assert "<main" in response.text and "No such community" in response.text


async def test_only_admins_create_communities_by_default(client, factory):
    member = await factory.member("alice")
    await client.login_as(member)
    assert (await client.get("/c/new")).status_code == 403
    refused = await client.post_form("/c/new", {"slug": "x-y", "name": "X"})
    assert refused.status_code == 403
    assert "Create a community" not in (await client.get("/c/")).text


async def test_members_may_create_when_the_site_allows_it(site, client, factory):
    site.settings.site.members_create_communities = True
    alice = await factory.member("alice")
    await client.login_as(alice)
    form = await client.get("/c/new")
    assert form.status_code == 200 and 'name="slug"' in form.text
    created = await client.post_form("/c/new", {
        "name": "Jardins partagés", "slug": "jardins", "description": "On cultive ensemble.",
        "visibility": "private", "join_policy": "request"})
    assert created.status_code == 303 and created.headers["location"] == "/c/jardins"
    community = await Community.get(slug="jardins")
    assert community.visibility == "private" and community.join_policy == "request"
    membership = await Membership.get(community_id=community.id, member_id=alice.id)
    assert membership.role == "coordinator"


async def test_create_form_reports_errors_in_place(client, factory):
    admin = await factory.member("root", admin=True)
    await factory.community("taken")
    await client.login_as(admin)
    bad = await client.post_form("/c/new", {"name": "", "slug": "Not A Slug", "visibility": "open"})
    assert bad.status_code == 422
    page = text(bad.text)
    assert "Lower-case letters" in page and "A name of 1 to 200 characters" in page
    taken = await client.post_form("/c/new", {"name": "Again", "slug": "taken"})
    assert taken.status_code == 409 and "already uses this address" in taken.text
    assert 'value="Again"' in taken.text


async def test_admin_creates_a_sub_community(client, factory):
    admin = await factory.member("root", admin=True)
    parent = await factory.community("reseau")
    await client.login_as(admin)
    created = await client.post_form("/c/new", {"name": "Antenne", "slug": "antenne", "parent": str(parent.id)})
    assert created.status_code == 303
    child = await Community.get(slug="antenne")
    assert child.parent_id == parent.id


async def test_coordinator_edits_settings(client, factory):
    alice = await factory.member("alice")
    community = await factory.community("jardins", name="Jardins", coordinator=alice)
    await client.login_as(alice)
    page = await client.get("/c/jardins/settings")
    assert page.status_code == 200 and 'name="visibility"' in page.text
    saved = await client.post_form("/c/jardins/settings", {
        "name": "Jardins partagés", "description": "Nouveau texte", "visibility": "secret",
        "join_policy": "invite", "ends_on": "2027-06-30"})
    assert saved.status_code == 303
    community = await Community.get(id=community.id)
    assert (community.name, community.visibility, community.join_policy) == ("Jardins partagés", "secret", "invite")
    assert community.ends_on.isoformat() == "2027-06-30"
    entry = await AuditLog.get(community_id=community.id, action="community.settings")
    assert entry.data["visibility"] == ["public", "secret"]
    bad = await client.post_form("/c/jardins/settings", {"name": "", "visibility": "everyone",
                                                         "join_policy": "open", "ends_on": "tomorrow"})
    assert bad.status_code == 422
    assert "Enter a date like" in bad.text


async def test_coordinator_switches_plugins_and_grants(client, factory, site):
    alice = await factory.member("alice")
    community = await factory.community("jardins", coordinator=alice)
    await client.login_as(alice)
    saved = await client.post_form("/c/jardins/settings/plugins", {})
    assert saved.status_code == 303
    assert site.plugins.community_plugins(await Community.get(id=community.id)) == []
    unknown = await client.post_form("/c/jardins/settings/plugins", {"plugins": "nope"})
    assert unknown.status_code == 422
    grants = await client.post("/c/jardins/settings/grants", data={
        "csrf_token": client.csrf,
        "grant:community.members.invite": ["coordinator", "animator", "member", "observer"],
        "grant:community.settings.edit": [],  # coordinators keep it whatever the form says
        "grant:community.view_members": ["coordinator", "animator", "sponsor", "member", "observer"],
    })
    assert grants.status_code == 303
    community = await Community.get(id=community.id)
    assert community.grants["community.members.invite"] == ["coordinator", "animator", "member"]  # observers read only
    assert "community.settings.edit" not in community.grants  # still the default: coordinators
    assert "community.view_members" not in community.grants  # same as the default: no override
    assert site.permissions.roles_for("community.members.invite", community) == {"coordinator", "animator", "member"}


async def test_settings_are_for_coordinators(client, factory):
    alice = await factory.member("alice")
    bob = await factory.member("bob")
    community = await factory.community("jardins", coordinator=alice, members={bob: "animator"})
    await client.login_as(bob)
    assert (await client.get("/c/jardins/settings")).status_code == 403
    refused = await client.post_form("/c/jardins/settings", {"name": "Pris", "visibility": "public",
                                                             "join_policy": "open"})
    assert refused.status_code == 403
    assert (await Community.get(id=community.id)).name != "Pris"


async def test_the_api_keeps_the_grants_coordinators_cannot_lose(client, factory, site):
    alice = await factory.member("alice")
    community = await factory.community("jardins", coordinator=alice)
    await client.login_as(alice)
    answer = await client.api("PATCH", "/api/v1/communities/jardins", json={"grants": {
        "community.settings.edit": [], "community.members.manage": ["animator"]}})
    assert answer.status_code == 200
    community = await Community.get(id=community.id)
    assert "coordinator" in site.permissions.roles_for("community.settings.edit", community)
    assert "coordinator" in site.permissions.roles_for("community.members.manage", community)
    again = await client.api("PATCH", "/api/v1/communities/jardins", json={"name": "Jardins partagés"})
    assert again.status_code == 200  # still allowed to edit the settings


async def test_a_community_cannot_become_its_own_ancestor(client, factory):
    alice = await factory.member("alice")
    top = await factory.community("top", coordinator=alice)
    child = await factory.community("child", coordinator=alice, parent=top)
    await client.login_as(alice)
    form = {"name": "Top", "description": "", "visibility": "public", "join_policy": "open", "ends_on": ""}
    for parent in (top, child):
        refused = await client.post_form("/c/top/settings", {**form, "parent": str(parent.id)})
        assert refused.status_code == 422
    assert "placed under itself" in refused.text  # under its own sub-community
    assert (await Community.get(id=top.id)).parent_id is None


async def test_community_home_lists_who_runs_it_and_known_sub_communities_in_one_query(client, factory):
    from tisserand.testing.queries import count_queries

    zoe = await factory.member("zoe")
    anna, bob, mia, outsider = [await factory.member(n) for n in ("anna", "bob", "mia", "outsider")]
    parent = await factory.community("maison", coordinator=zoe,
                                     members={anna: "animator", bob: "sponsor", mia: "member"})
    for slug, name, visibility in (("bureau", "Bureau", "public"), ("atelier", "Atelier", "private"),
                                   ("cave", "Cave", "secret")):
        await factory.community(slug, name=name, visibility=visibility, coordinator=zoe, parent=parent)
    await client.login_as(outsider)
    with count_queries() as queries:
        page = await client.get("/c/maison")
    people_reads = [q for q in queries.statements if "'coordinator', 'animator', 'sponsor'" in q]
    children_reads = [q for q in queries.statements if "WHERE cm.parent_id = " in q]
    assert len(people_reads) == 1 and people_reads == children_reads, "one statement for both lists"
    people = text(page.text.split('id="people-title"')[1].split("</section>")[0])
    assert people.index("anna") < people.index("zoe") < people.index("bob")  # animator, coordinator, sponsor
    assert "mia" not in people
    children = page.text.split('id="children-title"')[1].split("</section>")[0]
    assert children.index("Atelier") < children.index("Bureau") and "Cave" not in children

    await client.login_as(zoe)
    children = (await client.get("/c/maison")).text.split('id="children-title"')[1].split("</section>")[0]
    assert children.index("Atelier") < children.index("Bureau") < children.index("Cave")

    # A private community's staff is not shown to outsiders; its known sub-communities are.
    await Community.filter(slug="maison").update(visibility="private")
    await client.login_as(outsider)
    closed = (await client.get("/c/maison")).text
    assert 'id="people-title"' not in closed and "zoe" not in closed.split('id="children-title"')[0].split("<main")[1]
    assert "Bureau" in closed.split('id="children-title"')[1] and "Cave" not in closed
