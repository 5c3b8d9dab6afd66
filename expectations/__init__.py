"""Great Expectations suites over every exported table, one JSON suite per export relation."""
