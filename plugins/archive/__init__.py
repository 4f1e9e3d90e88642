"""The archive plugin."""
