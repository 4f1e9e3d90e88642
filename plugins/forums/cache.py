"""A small in-process cache of rendered replies for anonymous readers, of the rows of a topic
page shared by signed-in readers, and of rendered posts and forms (``pages``).

Keys include the topic's ``version``, read from the database on every request, which every
change shown on the page increases: a process never serves replies older than the database
says, whichever process made the change. Entries also expire after a while (a member's new
display name, say, shows up then). Nothing here is needed by another process.
"""

from __future__ import annotations

from tisserand.cache import ExpiringCache

fragments = ExpiringCache()
#: Rendered posts keyed by every value they show (``pages.render_posts``): never stale, so a
#: long life; the size bounds the memory (about 3 kB a post: ~6 MiB when full).
post_fragments = ExpiringCache(size=2000)
POST_CACHE_SECONDS = 3600.0
