"""The ``[plugins.forums]`` section of ``tisserand.toml``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ForumSettings(BaseModel):
    """Forum settings, all optional."""

    model_config = ConfigDict(extra="forbid")

    #: How long (minutes) authors may edit their own posts; 0 means always.
    edit_window_minutes: int = Field(1440, ge=0)
    #: Posts shown per page of a topic.
    posts_per_page: int = Field(50, ge=5, le=200)
    #: Topics shown per page of a topic list.
    topics_per_page: int = Field(30, ge=5, le=100)
    #: Entries in the Atom feed.
    feed_entries: int = Field(30, ge=1, le=200)
    #: Seconds the rendered replies of a topic page are reused for anonymous readers, and the
    #: replies and reactions read for a page shared by signed-in readers (any change in the topic
    #: reads and renders them again at once; a new display name shows after this); 0: off.
    anonymous_cache_seconds: int = Field(60, ge=0, le=3600)
    #: No longer used: the core tells @mentions, at most ``tisserand.mentions.MAX_MENTIONS`` (20)
    #: per item. Kept so that existing configuration files still load.
    max_mentions: int = Field(20, ge=0, le=200)
