"""Feeds (RSS 2.0, Atom) and the sitemap: how readers and search engines
follow the public board."""
