"""Layer 3, checks: named checks that yield every violation of one clause in an answer (or compare
several), staged so a broken envelope is not also twenty data failures; typed failures. One module
per family of the shared clauses; each endpoint's own checks live in its folder; ``all.py`` joins them."""
