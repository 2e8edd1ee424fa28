"""Contributor tools, off the publish path: the canonical formatter and the draft scaffold."""
