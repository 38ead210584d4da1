"""One module per output: each turns the resolved model into a template context.

Decisions (what to print, in what order, which imports) are made here in
Python; the templates only loop and print.
"""
