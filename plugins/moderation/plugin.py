"""Hook implementations of the moderation plugin (under construction)."""
