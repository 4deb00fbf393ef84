"""intake-svc's calls to other services over HTTP (never their code)."""
