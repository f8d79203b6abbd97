"""Privacy: export of a person's data, erasure and retention."""
