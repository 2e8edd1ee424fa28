"""How the toolkit uses the machine: atomic writes, a second process, the optional C part."""
