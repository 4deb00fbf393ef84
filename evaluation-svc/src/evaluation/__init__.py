"""evaluation-svc: ratings (好差评), bad-review handling and indicators."""
