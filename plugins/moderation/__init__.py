"""The moderation plugin."""
