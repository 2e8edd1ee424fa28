"""Text, as pure functions: quotes in source snapshots (`quotes`), names in them (`names`),
did-you-mean hints (`hints`)."""
