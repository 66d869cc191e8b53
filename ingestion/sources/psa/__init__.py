"""psa: the firm's professional-services automation (time tracking), Harvest v2.

Clients, projects, users, assignments, time entries and expenses. Extracts are the Harvest
API v2 list endpoints' records as JSON Lines; API mode reads those endpoints. ``objects`` is
the catalogue, ``contract`` the pandera contract, ``api`` the API connector.
"""
