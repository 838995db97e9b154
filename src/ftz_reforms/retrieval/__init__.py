"""Search: how text becomes terms, the jieba-compatible segmenter, keywords, the index and the engine.

The engine (the query side) reads the bundled index and never imports jieba or the build; building an
index or computing keywords loads jieba's full dictionary and happens at build or import time.
"""
