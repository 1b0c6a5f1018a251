"""Identity: accounts, sign-in (links and passwords), invitations, imports, API tokens, RGPD."""
