"""Demo and test tooling, not production code (it is not in the wheel): the demo data
generator (:mod:`q2c_demo.data`, ``python -m q2c_demo.data``) and local stand-ins for the four
source systems' APIs (:mod:`q2c_demo.api_standin`, one module per system role). It may import
``ingestion``; ``ingestion`` never imports it."""
