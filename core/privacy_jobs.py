"""The core's periodic jobs for members' rights: plain async functions of ``site``."""

from __future__ import annotations

from datetime import timedelta

from tisserand.jobs import Job

__all__ = ["privacy_jobs"]


def privacy_jobs() -> list[Job]:
    """Build data exports, close due accounts, forget old IP addresses, apply the inactivity policy,
    forget indexed words no item contains any more."""
    from tisserand.account_closing import close_due_accounts
    from tisserand.inactivity import apply_inactivity_policy
    from tisserand.ip_retention import purge_ip_addresses
    from tisserand.member_export import build_pending_exports
    from tisserand.search import forget_unused_search_words

    return [Job("core.member_exports", build_pending_exports, every=timedelta(minutes=1),
                description="Build members' data exports; forget expired ones"),
            Job("core.account_closings", close_due_accounts, every=timedelta(hours=1),
                description="Close the accounts whose grace period is over"),
            Job("core.ip_purge", purge_ip_addresses, every=timedelta(hours=6),
                description="Forget IP addresses older than [privacy] ip_retention_days"),
            Job("core.inactive_accounts", apply_inactivity_policy, every=timedelta(hours=12),
                description="Warn, then anonymize accounts unused for [privacy] inactive_after_days"),
            Job("core.search_words", forget_unused_search_words, every=timedelta(days=1),
                description="Forget the search's words that no item contains any more (erased or edited content)")]
