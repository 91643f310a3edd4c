"""Output: answers rendered for people (rich, text) and for programs.

The only package that imports Rich. :mod:`.terminal` decides the format and
colour and makes text safe; :mod:`.records` owns every JSON object and TSV
row; :mod:`.writers` writes each answer in its format; :mod:`.human` holds
the layouts people read; :mod:`.progress` what an index run shows on stderr;
:mod:`.export` the export formats.
"""
