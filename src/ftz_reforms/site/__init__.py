"""A static site for readers: every case, figure and effect on a page of its own, bilingual, searchable.

``ftz-reforms site -o DIR`` (or ``build.build_site``) writes it from a collection, the bundled one or any
dataset file's: HTML pages from the templates in ``templates/`` (Jinja2, the ``site`` extra), the charts, and
the collection's own search index, which ``static/search.js`` reads in the browser to rank as ``search`` does.
Everything a page needs is in DIR: no CDN, font or script from elsewhere, nothing that tracks.
"""
