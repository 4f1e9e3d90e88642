"""Avatars for members, logo and banner for communities; initials stay the fallback."""

from tests.core.uploads import samples
from tisserand.models import Community, Member, Upload


async def test_a_member_sets_and_removes_an_avatar(site, client, factory):
    member = await factory.member("camille", display_name="Camille Roy")
    await client.login_as(member)
    page = (await client.get("/me")).text
    assert 'action="/me/avatar"' in page and ">CR<" in page
    response = await client.post("/me/avatar", data={"csrf_token": client.csrf},
                                 files={"picture": ("moi.jpg", samples.jpeg_with_gps((600, 600)), "image/jpeg")})
    assert response.status_code == 303
    member = await Member.get(id=member.id)
    assert member.avatar_upload
    profile = (await client.get("/u/camille")).text
    url = f"/uploads/{member.avatar_upload}/picture?v=thumb"
    assert f'src="{url}"' in profile
    client.cookies.clear()
    picture = await client.get(url)
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/jpeg"
    assert b"SpyCam" not in picture.content
    # A new picture replaces the old one; removing it brings the initials back.
    await client.login_as(member)
    first = member.avatar_upload
    await client.post("/me/avatar", data={"csrf_token": client.csrf},
                      files={"picture": ("moi.png", samples.png(), "image/png")})
    assert not await Upload.filter(id=first).exists()
    await client.post("/me/avatar", data={"csrf_token": client.csrf, "remove": "1"})
    assert (await Member.get(id=member.id)).avatar_upload is None
    assert await Upload.all().count() == 0


async def test_an_avatar_must_be_a_picture(site, client, factory):
    await client.login_as(await factory.member())
    response = await client.post("/me/avatar", data={"csrf_token": client.csrf},
                                 files={"picture": ("cv.pdf", samples.pdf(), "application/pdf")})
    assert response.status_code == 415 and await Upload.all().count() == 0


async def test_community_logo_and_banner(site, client, factory):
    coordinator, member = await factory.member(), await factory.member()
    community = await factory.community("jardins", coordinator=coordinator, members={member: "member"},
                                        name="Jardins partagés")
    await client.login_as(member)
    response = await client.post("/c/jardins/settings/pictures", data={"csrf_token": client.csrf},
                                 files={"logo": ("logo.png", samples.png(), "image/png")})
    assert response.status_code in (403, 404)
    await client.login_as(coordinator)
    response = await client.post("/c/jardins/settings/pictures", data={"csrf_token": client.csrf},
                                 files={"logo": ("logo.png", samples.png(), "image/png"),
                                        "banner": ("banner.jpg", samples.jpeg_with_gps((1800, 400)), "image/jpeg")})
    assert response.status_code == 303
    community = await Community.get(id=community.id)
    assert community.logo_upload and community.banner_upload
    home = (await client.get("/c/jardins")).text
    assert f"/uploads/{community.logo_upload}/picture" in home and 'class="community-banner"' in home
    client.cookies.clear()
    assert (await client.get(f"/uploads/{community.banner_upload}/picture?v=display")).status_code == 200


async def test_a_secret_communitys_logo_is_hidden_from_outsiders(site, client, factory):
    coordinator = await factory.member()
    await factory.community("cachee", visibility="secret", coordinator=coordinator)
    await client.login_as(coordinator)
    await client.post("/c/cachee/settings/pictures", data={"csrf_token": client.csrf},
                      files={"logo": ("logo.png", samples.png(), "image/png")})
    logo = (await Community.get(slug="cachee")).logo_upload
    assert (await client.get(f"/uploads/{logo}/picture")).status_code == 200
    client.cookies.clear()
    assert (await client.get(f"/uploads/{logo}/picture")).status_code == 404
