"""Demo surveys: a closed seasonal survey with its results and the next round scheduled, and an
open one waiting for answers, in French and in English."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tisserand.plugins.surveys.answers import submit
from tisserand.plugins.surveys.lifecycle import finish, publish
from tisserand.plugins.surveys.questions import QuestionInput
from tisserand.plugins.surveys.service import SurveyInput, create_survey, utcnow

if TYPE_CHECKING:
    from tisserand.models import Community, Member
    from tisserand.site import Site

SEASON = [
    QuestionInput("scale", "Dans l'ensemble, la communauté répond-elle à vos attentes ?", required=True,
                  low_label="Pas du tout", high_label="Tout à fait"),
    QuestionInput("single", "À quel rythme souhaitez-vous nous retrouver en ligne ?",
                  options=["Chaque semaine", "Toutes les deux semaines", "Chaque mois"]),
    QuestionInput("multiple", "Quels formats vous donnent envie de participer ?",
                  options=["Café virtuel", "Webinaire", "Club de lecture", "Rencontre en personne"]),
    QuestionInput("text", "Qu'aimeriez-vous que nous fassions autrement la saison prochaine ?"),
]
ANSWERS = {
    "camille": {0: 4, 1: 1, 2: [0, 3], 3: "Plus de retours d'expérience concrets."},
    "mathieu": {0: 3, 1: 2, 2: [1], 3: "Des rencontres plus courtes, mais plus souvent."},
    "sophie": {0: 5, 1: 1, 2: [0, 2]},
    "ines": {0: 4, 1: 0, 2: [0, 3], 3: "Un wiki des outils que chacun utilise."},
    "olivier": {0: 2, 1: 2, 2: [3], 3: "Je découvre : un mot d'accueil pour les nouveaux m'aurait aidé."},
}
NEXT = [
    QuestionInput("single", "Which topic should we dig into next season?", required=True,
                  options=["Licences", "Data quality", "APIs", "Citizen reuse"]),
    QuestionInput("scale", "How useful were our monthly calls?", low_label="Not useful", high_label="Very useful"),
    QuestionInput("text", "Anything else you would like to tell the animators?"),
]


def _raw(questions: list[Any], answers: dict[int, Any]) -> dict[str, Any]:
    return {str(questions[i].id): value if isinstance(value, list | str) else [str(value)]
            for i, value in answers.items()}


async def demo(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> None:
    """Add the demo surveys."""
    from tisserand.plugins.surveys.service import questions_of

    french = communities.get("animateurs")
    if french is not None and "camille" in members:
        survey = await create_survey(french, members["camille"], SurveyInput(
            "Bilan de saison : vos attentes", "Tous les quatre mois, nous faisons le point sur vos attentes. "
            "Vos réponses sont **anonymes**.", anonymous=True, recurrence_months=4), SEASON)
        await publish(survey, french, now=True)
        questions = await questions_of(survey)
        for username, answers in ANSWERS.items():
            if username in members:
                await submit(survey, french, members[username], _raw(questions, answers))
        survey.opens_at = utcnow() - timedelta(days=20)
        survey.closes_at = utcnow() - timedelta(minutes=1)
        await survey.save(update_fields=["opens_at", "closes_at"])
        await finish(survey, french)
    english = communities.get("open-data")
    if english is not None and "amelia" in members:
        survey = await create_survey(english, members["amelia"], SurveyInput(
            "Planning next season", "Help us choose what to work on together. This survey is named: "
            "the animators see who answered what."), NEXT)
        await publish(survey, english, now=True)
        questions = await questions_of(survey)
        if "david" in members:
            await submit(survey, english, members["david"], _raw(questions, {0: 2, 1: 4, 2: "More hands-on sessions!"}))
