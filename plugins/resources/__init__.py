"""The resources plugin: a community library of documents and links."""
