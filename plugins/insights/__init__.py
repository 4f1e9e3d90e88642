"""The insights plugin."""
