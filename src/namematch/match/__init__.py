"""Matching: normalisation, phonetic forms and keys, person-name parts, scores and search."""
