"""The embedded reference endpoint (beside the suite, never imported by its checks or scenarios): the
WSGI app, its store of links, matching, rendering with every free choice as a Style, and the fault
catalogue. Each endpoint's own behaviour and faults live in its folder
(``endpoints/<name>/reference.py``, ``faults.py``)."""
