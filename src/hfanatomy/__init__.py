"""hfanatomy: the package behind the book."""
