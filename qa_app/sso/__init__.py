"""Single sign-on with OpenID Connect: the provider's settings and the sign-in through it."""
