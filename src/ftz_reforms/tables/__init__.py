"""The flat tables of a dataset, defined once, and every format they are written in.

One definition per table (``definitions``) feeds the records, CSV, JSON, JSON Lines, Parquet, the
Frictionless data package and the command line's ``--format`` output.
"""
