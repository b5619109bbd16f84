#!/usr/bin/env python3
"""Verify a service-user token of the reference server with an independent JWT library.

Usage: verify_token.py BASE_URL TOKEN

Fetches BASE_URL/.well-known/jwks.json, picks the key by the token's `kid` and verifies the
token with PyJWT: EdDSA only, audience "amorphic", exp/nbf/iat/iss/aud/sub required, and the
contract's own rules (lifetime at most 180 minutes, `act.sub`, `uid`, `is_service_user`).
It does not compare `iss` with BASE_URL (gateways rewrite hosts), as the contract says.

Exit status: 0 verified (the claims are printed as JSON on stdout), 1 refused (the reason on
stderr), 2 cannot run (PyJWT or cryptography missing, bad usage, JWKS unreachable).
"""

import json
import sys

VERIFIED, REFUSED, CANNOT_RUN = 0, 1, 2
MAX_LIFETIME_SECONDS = 10800


def main(argv):
    if len(argv) != 3:
        print("usage: verify_token.py BASE_URL TOKEN", file=sys.stderr)
        return CANNOT_RUN
    base_url, token = argv[1].rstrip("/"), argv[2]
    try:
        import jwt  # PyJWT
        from jwt.algorithms import has_crypto
    except ImportError as e:
        print(f"PyJWT is not installed ({e}); run: python3 -m pip install -r scripts/requirements-test.txt",
              file=sys.stderr)
        return CANNOT_RUN
    if not has_crypto:
        print("PyJWT has no 'cryptography' backend (EdDSA needs it); run: "
              "python3 -m pip install -r scripts/requirements-test.txt", file=sys.stderr)
        return CANNOT_RUN

    jwks_url = f"{base_url}/.well-known/jwks.json"
    client = jwt.PyJWKClient(jwks_url, cache_keys=False, timeout=10)
    try:
        jwks = client.fetch_data()
    except jwt.exceptions.PyJWKClientConnectionError as e:
        print(f"cannot fetch {jwks_url}: {e}", file=sys.stderr)
        return CANNOT_RUN
    for k in jwks.get("keys", []):
        if k.get("kty") != "OKP" or k.get("crv") != "Ed25519":
            print(f"JWKS key is not OKP/Ed25519: {k}", file=sys.stderr)
            return REFUSED

    try:
        signing_key = client.get_signing_key_from_jwt(token)
        claims = jwt.decode(
            token,
            signing_key.key,
            algorithms=["EdDSA"],
            audience="amorphic",
            options={"require": ["exp", "nbf", "iat", "iss", "aud", "sub"], "verify_signature": True},
        )
        header = jwt.get_unverified_header(token)
    except (jwt.exceptions.PyJWTError, ValueError) as e:
        print(f"refused: {type(e).__name__}: {e}", file=sys.stderr)
        return REFUSED

    problems = []
    if header.get("alg") != "EdDSA" or not header.get("kid"):
        problems.append(f"header {header}")
    for name in ("jku", "x5u", "jwk", "crit"):
        if name in header:
            problems.append(f"header carries {name}")
    lifetime = claims["exp"] - claims["iat"]
    if not 0 < lifetime <= MAX_LIFETIME_SECONDS:
        problems.append(f"lifetime {lifetime} s")
    if claims.get("is_service_user") is not True:
        problems.append("is_service_user is not true")
    if not isinstance(claims.get("uid"), int):
        problems.append("uid is not an integer")
    act = claims.get("act")
    if not isinstance(act, dict) or not isinstance(act.get("sub"), str) or not act["sub"]:
        problems.append("act.sub missing")
    if not isinstance(claims.get("role_id"), str) or not claims.get("jti"):
        problems.append("role_id or jti missing")
    if problems:
        print("refused: " + "; ".join(problems), file=sys.stderr)
        return REFUSED

    print(json.dumps({"header": header, "claims": claims}, sort_keys=True))
    return VERIFIED


if __name__ == "__main__":
    sys.exit(main(sys.argv))
