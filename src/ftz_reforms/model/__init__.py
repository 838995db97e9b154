"""The data contract: the controlled vocabularies, the record types and their JSON Schema.

The bottom of the house: everything else imports from here, and this imports nothing of the rest.
"""
