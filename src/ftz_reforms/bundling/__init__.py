"""The build: ``sources/`` → parse → extract → merge the curated overlays → validate → generated files
(the bundled dataset and search index, the JSON Schemas, the exports, the datapackage and the data dictionary).

Build-time only, in a source checkout: run-time code never imports this package, and the wheel does not hold
it. ``python -m ftz_reforms.bundling`` (or ``ftz-reforms build``) runs it.
"""
