"""dbt tests are the transform layer's checks: dagster-dbt turns each test on a model into an
asset check of that model, run by the same ``dbt build`` (see assets.py). Nothing else here."""

asset_checks: list = []
