"""The core calls the lifecycle hooks at the right moments, with the documented arguments."""

from tisserand import hookimpl
from tisserand.communities import archive_community, join, leave, reopen_community
from tisserand.notify import notify
from tisserand.testing.factory import Factory


class Recorder:
    """Records every lifecycle hook call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    @hookimpl
    def tisserand_startup(self, site):
        async def started():
            self.calls.append(("startup", site.settings.site.name))

        return started()

    @hookimpl
    def member_joined(self, membership):
        self.calls.append(("joined", membership.member.username))

    @hookimpl
    def member_left(self, membership):
        self.calls.append(("left", membership.member.username))

    @hookimpl
    def community_archived(self, community):
        self.calls.append(("archived", community.slug))

    @hookimpl
    def community_reopened(self, community):
        self.calls.append(("reopened", community.slug))

    @hookimpl
    def notification_created(self, notification):
        self.calls.append(("notified", notification.title))


async def test_lifecycle_hooks_are_called_in_order(site_factory):
    recorder = Recorder()
    site = await site_factory(enabled=[], extra_plugins={"recorder": recorder})
    assert recorder.calls == [("startup", site.settings.site.name)]
    factory = Factory(site)
    coordinator, newcomer = await factory.member("coord"), await factory.member("nouvelle")
    community = await factory.community("atelier", coordinator=coordinator)
    await join(newcomer, community)
    await notify(newcomer, "test.hello", "Bienvenue", community=community, actor=coordinator)
    await leave(newcomer, community)
    await archive_community(community, coordinator)
    await reopen_community(community, coordinator)
    assert recorder.calls[1:] == [("joined", "nouvelle"), ("notified", "Bienvenue"), ("left", "nouvelle"),
                                  ("archived", "atelier"), ("reopened", "atelier")]


async def test_hooks_of_a_plugin_switched_off_in_a_community_stay_silent(site_factory):
    recorder = Recorder()
    site = await site_factory(enabled=[], extra_plugins={"recorder": recorder})
    factory = Factory(site)
    coordinator, newcomer = await factory.member(), await factory.member()
    community = await factory.community(coordinator=coordinator, plugins=[])
    await join(newcomer, community)
    await archive_community(community, coordinator)
    assert [name for name, _ in recorder.calls] == ["startup"]
