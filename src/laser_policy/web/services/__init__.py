"""What each page shows, computed from ``WebData`` within a ``Scope``.

Plain functions returning JSON-ready dicts: the HTML page and its JSON twin in
the API render the very same result.
"""
