"""The surveys plugin."""
