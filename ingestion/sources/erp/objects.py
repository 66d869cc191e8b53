"""The objects the ERP (NetSuite SuiteAnalytics, netsuite2 CSV) delivers: files, raw tables,
columns."""

from __future__ import annotations

from ingestion.sources.spec import csv_object

SYSTEM = "erp"

OBJECTS = (
    csv_object(SYSTEM, "currency", "currency", ("id",), "id:id symbol:symbol name:name"),
    csv_object(
        SYSTEM,
        "subsidiary",
        "subsidiary",
        ("id",),
        "id:id name:name legalname:legalname country:country currency:currency",
    ),
    csv_object(
        SYSTEM,
        "customer",
        "customer",
        ("id",),
        "id:id entityid:entityid companyname:companyname externalid:externalid currency:currency "
        "subsidiary:subsidiary vatregnumber:vatregnumber billcountry:billcountry "
        "isinactive:isinactive datecreated:datecreated lastmodifieddate:lastmodifieddate",
    ),
    csv_object(
        SYSTEM,
        "job",
        "job",
        ("id",),
        "id:id entityid:entityid companyname:companyname customer:customer externalid:externalid "
        "jobbillingtype:jobbillingtype startdate:startdate enddate:enddate isinactive:isinactive "
        "lastmodifieddate:lastmodifieddate",
    ),
    csv_object(
        SYSTEM,
        "transaction",
        "transaction",
        ("id",),
        "id:id tranid:tranid type:type status:status trandate:trandate duedate:duedate "
        "entity:entity job:job currency:currency exchangerate:exchangerate "
        "foreigntotal:foreigntotal foreignamountpaid:foreignamountpaid "
        "foreignamountunpaid:foreignamountunpaid externalid:externalid memo:memo voided:voided "
        "lastmodifieddate:lastmodifieddate",
    ),
    csv_object(
        SYSTEM,
        "transactionline",
        "transactionline",
        # line ids restart in each transaction (0 = the main line): the key is the pair
        ("transaction", "id"),
        "id:id transaction:transaction linesequencenumber:linesequencenumber mainline:mainline "
        "taxline:taxline item:item quantity:quantity rate:rate foreignamount:foreignamount memo:memo",
    ),
    csv_object(
        SYSTEM,
        "previoustransactionlink",
        "previoustransactionlink",
        ("previousdoc", "nextdoc", "linktype"),
        "previousdoc:previousdoc nextdoc:nextdoc linktype:linktype foreignamount:foreignamount linkdate:linkdate",
    ),
)

CHILD_PRIMARY_KEYS: dict[str, tuple[str, ...]] = {}
