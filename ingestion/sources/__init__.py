"""The four source systems, one package each, named by the system's role:

- ``crm``: Salesforce (Bulk API 2.0 CSV extracts, REST ``queryAll``)
- ``psa``: Harvest API v2 (JSON Lines extracts, v2 list endpoints)
- ``erp``: NetSuite SuiteAnalytics (netsuite2 CSV extracts, SuiteQL over REST)
- ``billing``: Stripe (JSON Lines extracts, list endpoints and events)

Each holds ``objects.py`` (its catalogue: files, raw tables, columns), ``contract.py`` (the
pandera contract of its raw tables) and ``api.py`` (its API connector for API mode). The
shared pieces sit beside them: ``spec.py`` (the catalogue's data types) and ``checks.py``
(the contracts' column builders). :mod:`ingestion.catalog` aggregates the catalogues; the
landing mechanics that use them are in :mod:`ingestion.landing`, the generic API mechanics
in :mod:`ingestion.api`.
"""
