"""Great Expectations over the marts: one suite run per nightly, one WARN check per mart."""
