"""The permissions the forum declares, with their default grants per role."""

from __future__ import annotations

from tisserand.permissions import STAFF, WRITERS, Permission

PERMISSIONS = [
    Permission("forums.topic.create", "Start a topic", WRITERS),
    Permission("forums.post.create", "Reply in a topic", WRITERS),
    Permission("forums.post.react", "React to posts", WRITERS),
    Permission("forums.topic.pin", "Pin and unpin topics", STAFF),
    Permission("forums.topic.lock", "Lock and unlock topics (and reply in locked ones)", STAFF),
    Permission("forums.topic.announce", "Post announcements (sent to every member)",
               {"coordinator", "sponsor"}),
    Permission("forums.topic.solve_any", "Mark the answer that solved any topic", STAFF),
    Permission("forums.post.edit_any", "Edit anyone's posts, move topics between categories", STAFF),
    Permission("forums.post.delete_any", "Delete and restore anyone's posts", STAFF),
    Permission("forums.category.manage", "Create, edit, order and delete categories", STAFF),
]
