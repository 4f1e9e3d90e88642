"""Kudos: members thank each other for a post (the plugin guide's worked example)."""
