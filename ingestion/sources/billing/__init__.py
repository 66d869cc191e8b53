"""billing: the firm's billing system, Stripe.

Customers, invoices with their lines, credit notes and charges. Extracts are the Stripe list
endpoints' objects as JSON Lines; API mode reads the list endpoints and events. ``objects``
is the catalogue, ``contract`` the pandera contract, ``api`` the API connector.
"""
