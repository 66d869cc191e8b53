"""crm: the firm's CRM, Salesforce.

Accounts, opportunities, their rate-card line items and products. Extracts are Bulk API 2.0
query results (CSV); API mode reads the REST ``queryAll`` endpoint. ``objects`` is the
catalogue, ``contract`` the pandera contract, ``api`` the API connector.
"""
