"""Text, as pure functions: did-you-mean hints (and, as they move here, quotes and names)."""
