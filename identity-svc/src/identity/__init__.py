"""identity-svc: unified identity (统一身份认证) for yiwang."""
