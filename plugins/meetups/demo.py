"""Sample meet-ups for ``tisserand init --demo``: a weekly virtual café, an evening in Montréal,
an open-data meet-up in Lyon, two remarkable achievements and a few members on the map."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .location import set_location
from .rsvp import respond
from .service import AchievementData, MeetupData, create_achievement, create_meetups
from .times import utcnow

if TYPE_CHECKING:
    from tisserand.models import Community, Member
    from tisserand.site import Site

CAFE = """Un rendez-vous d'une heure, sans ordre du jour fixe : chacun apporte une question, une
réussite ou un blocage de la semaine.

- 10 minutes de tour de table ;
- 40 minutes d'échanges sur deux ou trois sujets choisis ensemble ;
- 10 minutes pour noter ce qu'on retient dans le wiki.

Le lien de la visio est visible des personnes inscrites."""

MONTREAL = """Une soirée pour se rencontrer en vrai : retours d'expérience sur l'accueil des
nouveaux membres et sur les « villes fantômes » de l'été.

Places limitées : inscrivez-vous, une liste d'attente prend le relais si c'est complet."""

LYON = """An evening for people who publish or reuse public data around Lyon: three short talks
(licences, GTFS feeds, a data portal migration), then open discussion.

Bring your questions, and your datasets."""

RAIN_GARDEN = """Trois jardins de pluie aménagés par les habitants du quartier en 2025 :
**1 200 m²** de surfaces désimperméabilisées et des sous-sols qui ne sont plus inondés.

La fiche technique et le budget sont dans le wiki de la communauté."""

BUS_DATA = """The city's bus timetables, published as an open GTFS feed after two years of work by
this community: three apps and a research team reuse them already."""


def _at(day: date, hour: int, minute: int, zone: str) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone))


def _next(weekday: int, weeks: int = 0) -> date:
    today = utcnow().date()
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7, weeks=weeks)


async def add_demo(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> None:
    """Create the demo's meet-ups, RSVPs, achievements and locations (skipping what is missing)."""
    animateurs = communities.get("animateurs")
    if animateurs is not None and "mathieu" in members:
        thursday = _next(3)
        cafe = await create_meetups(animateurs, members["mathieu"], MeetupData(
            title="Café virtuel des animateurs", body=CAFE, starts_at=_at(thursday, 12, 0, "America/Toronto"),
            ends_at=_at(thursday, 13, 0, "America/Toronto"), timezone="America/Toronto",
            online_url="https://visio.example.org/cafe-animateurs", repeat_every="week", repeat_count=4))
        for username, answer in (("camille", "yes"), ("olivier", "yes"), ("ines", "maybe")):
            if username in members:
                await respond(cafe[0].id, members[username], answer)
        evening = _next(2, weeks=2)
        montreal = await create_meetups(animateurs, members.get("camille", members["mathieu"]), MeetupData(
            title="Soirée des animateurs à Montréal", body=MONTREAL,
            starts_at=_at(evening, 18, 0, "America/Toronto"), ends_at=_at(evening, 20, 30, "America/Toronto"),
            timezone="America/Toronto", venue="Café Olimpico", address="124 rue Saint-Viateur Ouest",
            city="Montréal, Québec, Canada", latitude=45.52357, longitude=-73.60020, capacity=12))
        for username in ("camille", "mathieu", "sophie"):
            if username in members:
                await respond(montreal[0].id, members[username], "yes")
    open_data = communities.get("open-data")
    if open_data is not None and "amelia" in members:
        day = _next(1, weeks=4)
        lyon = await create_meetups(open_data, members["amelia"], MeetupData(
            title="Open data meet-up in Lyon", body=LYON, starts_at=_at(day, 18, 30, "Europe/Paris"),
            ends_at=_at(day, 21, 0, "Europe/Paris"), timezone="Europe/Paris", venue="Salle de la Ficelle",
            address="65 boulevard des Canuts", city="Lyon, Auvergne-Rhône-Alpes, France",
            latitude=45.77988, longitude=4.82700, capacity=30,
            online_url="https://stream.example.org/opendata-lyon"))
        for username, answer in (("amelia", "yes"), ("david", "yes"), ("camille", "maybe")):
            if username in members:
                await respond(lyon[0].id, members[username], answer)
        if "david" in members:
            await create_achievement(open_data, members["david"], AchievementData(
                "Montréal bus timetables as open GTFS", BUS_DATA, 45.50884, -73.58781,
                "Montréal, Québec, Canada", date(2025, 11, 3), "https://example.org/gtfs"))
    climat = communities.get("climat-local")
    if climat is not None and "ines" in members:
        await create_achievement(climat, members["ines"], AchievementData(
            "Jardins de pluie du quartier du Bassin", RAIN_GARDEN, 48.42611, -71.06389,
            "Saguenay, Québec, Canada", date(2025, 9, 20), ""))
    for username, (lat, lon, city) in {"camille": (45.5088, -73.5878, "Montréal, Québec, Canada"),
                                        "ines": (45.7491, 4.8479, "Lyon, Auvergne-Rhône-Alpes, France"),
                                        "mathieu": (48.4168, -71.0657, "Saguenay, Québec, Canada")}.items():
        if username in members:
            await set_location(members[username], lat, lon, city)
