"""licence-svc's knowledge of other services: their event payloads mapped to licence's terms
(`payloads`, validated leniently, no code of theirs imported) and calls over HTTP (`intake`,
`identity`), each with the caller's own bearer token."""
