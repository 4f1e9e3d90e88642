"""The surveys' HTML routes, under ``/c/{slug}/surveys``."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from tisserand.plugins.surveys import editor, pages

BASE = "/c/{slug}/surveys"
ONE = BASE + "/{survey_id:id}"


def routes() -> list[BaseRoute]:
    """Every page of the plugin."""
    return [
        Route(BASE, pages.index, methods=["GET"], name="surveys"),
        Route(BASE + "/new", editor.new_page, methods=["GET"], name="surveys-new"),
        Route(BASE + "/new", editor.create, methods=["POST"], name="surveys-create"),
        Route(ONE, pages.survey_page, methods=["GET"], name="survey"),
        Route(ONE, pages.answer, methods=["POST"], name="survey-answer"),
        Route(ONE + "/results", pages.results_page, methods=["GET"], name="survey-results"),
        Route(ONE + "/results.csv", pages.csv_export, methods=["GET"], name="survey-csv"),
        Route(ONE + "/compare", pages.compare_page, methods=["GET"], name="survey-compare"),
        Route(ONE + "/edit", editor.edit_page, methods=["GET"], name="survey-edit"),
        Route(ONE + "/edit", editor.save_settings, methods=["POST"], name="survey-settings"),
        Route(ONE + "/questions", editor.new_question, methods=["POST"], name="survey-question-add"),
        Route(ONE + "/questions/{question_id:id}", editor.change_question, methods=["POST"],
              name="survey-question"),
        Route(ONE + "/open", editor.open_survey, methods=["POST"], name="survey-open"),
        Route(ONE + "/draft", editor.back_to_draft, methods=["POST"], name="survey-draft"),
        Route(ONE + "/close", editor.close, methods=["POST"], name="survey-close"),
        Route(ONE + "/copy", editor.duplicate, methods=["POST"], name="survey-copy"),
        Route(ONE + "/delete", editor.delete_page, methods=["GET"], name="survey-delete-page"),
        Route(ONE + "/delete", editor.delete, methods=["POST"], name="survey-delete"),
    ]
