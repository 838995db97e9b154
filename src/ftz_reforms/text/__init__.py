"""Text tools for Chinese casebook text: characters and list markers, the removal of PDF artifacts,
numerals and quantities, and the extraction of quantified figures. They know nothing of casebooks.
"""
