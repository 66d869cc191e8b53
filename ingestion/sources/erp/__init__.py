"""erp: the firm's ERP, NetSuite SuiteAnalytics.

Currencies, subsidiaries, customers, jobs, transactions, their lines and applications.
Extracts are netsuite2-schema CSV; API mode runs SuiteQL over REST. ``objects`` is the
catalogue, ``contract`` the pandera contract, ``api`` the API connector.
"""
