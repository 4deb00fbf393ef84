"""Request and response models of the catalog API, one module per aggregate (never the tables' names).

Names follow docs/api.md: a response body is `<Thing>Read`, a page of them `<Thing>Page`, a request
body `<Thing>Create`, `<Thing>Update` or `<Thing><Action>`.
"""
