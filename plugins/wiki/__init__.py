"""The wiki plugin."""
