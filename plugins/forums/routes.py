"""The forum's HTML routes, with their full paths (most specific first)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from tisserand.plugins.forums import actions, feed, pages

BASE = "/c/{slug}/forum"


def routes() -> list[BaseRoute]:
    """Pages, forms and feeds of the forum."""
    post = ["POST"]
    return [
        Route("/c/{slug}/forum.atom", feed.forum_feed, name="forums-feed"),
        Route("/c/{slug}/forum.rss", feed.forum_feed, name="forums-feed-rss"),
        Route(BASE, pages.forum_home, name="forums-home"),
        Route(f"{BASE}/new", pages.new_topic_form, name="forums-new"),
        Route(f"{BASE}/new", actions.create_topic, methods=post, name="forums-create"),
        Route(f"{BASE}/preview", actions.preview, methods=post, name="forums-preview"),
        Route(f"{BASE}/watch", actions.watch_forum, methods=post, name="forums-watch"),
        Route(f"{BASE}/categories", pages.categories_page, name="forums-categories"),
        Route(f"{BASE}/categories", actions.manage_categories, methods=post, name="forums-categories-post"),
        Route(BASE + "/t/{topic_id:id}.atom", feed.topic_feed, name="forums-topic-feed"),
        Route(BASE + "/t/{topic_id:id}.rss", feed.topic_feed, name="forums-topic-feed-rss"),
        Route(BASE + "/t/{topic_id:id}", pages.topic_redirect, name="forums-topic-short"),
        Route(BASE + "/t/{topic_id:id}-{topic_slug}", pages.topic_page, name="forums-topic"),
        Route(BASE + "/t/{topic_id:id}/reply", pages.reply_form, name="forums-reply-form"),
        Route(BASE + "/t/{topic_id:id}/reply", actions.create_reply, methods=post, name="forums-reply"),
        Route(BASE + "/t/{topic_id:id}/solve", actions.solve, methods=post, name="forums-solve"),
        Route(BASE + "/t/{topic_id:id}/flags", actions.flags, methods=post, name="forums-flags"),
        Route(BASE + "/t/{topic_id:id}/watch", actions.watch_topic, methods=post, name="forums-watch-topic"),
        Route(BASE + "/p/{content_id:id}/edit", pages.edit_form, name="forums-edit-form"),
        Route(BASE + "/p/{content_id:id}/edit", actions.edit_post, methods=post, name="forums-edit"),
        Route(BASE + "/p/{content_id:id}/delete", actions.delete_post, methods=post, name="forums-delete"),
        Route(BASE + "/p/{content_id:id}/restore", actions.restore_post, methods=post, name="forums-restore"),
        Route(BASE + "/p/{content_id:id}/react", actions.react, methods=post, name="forums-react"),
        Route(BASE + "/p/{content_id:id}/react", pages.react_page, name="forums-react-page"),
        Route(BASE + "/p/{content_id:id}/quote", pages.quote_text, name="forums-quote"),
        Route(BASE + "/{category}.atom", feed.category_feed, name="forums-category-feed"),
        Route(BASE + "/{category}.rss", feed.category_feed, name="forums-category-feed-rss"),
        Route(BASE + "/{category}", pages.category_page, name="forums-category"),
    ]
