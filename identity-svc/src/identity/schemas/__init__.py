"""Request and response models of the identity API, one module per aggregate."""
