"""The permissions the forum declares, with their default grants per role."""

from __future__ import annotations

from tisserand.i18n import N_
from tisserand.permissions import STAFF, WRITERS, Permission

PERMISSIONS = [
    Permission("forums.topic.create", N_("Start a topic"), WRITERS),
    Permission("forums.post.create", N_("Reply in a topic"), WRITERS),
    Permission("forums.post.react", N_("React to posts"), WRITERS),
    Permission("forums.topic.pin", N_("Pin and unpin topics"), STAFF),
    Permission("forums.topic.lock", N_("Lock and unlock topics (and reply in locked ones)"), STAFF),
    Permission("forums.topic.announce", N_("Post announcements (sent to every member)"),
               {"coordinator", "sponsor"}),
    Permission("forums.topic.solve_any", N_("Mark the answer that solved any topic"), STAFF),
    Permission("forums.post.edit_any", N_("Edit anyone's posts, move topics between categories"), STAFF),
    Permission("forums.post.delete_any", N_("Delete and restore anyone's posts"), STAFF),
    Permission("forums.category.manage", N_("Create, edit, order and delete categories"), STAFF),
]
