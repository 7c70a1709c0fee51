"""Operations: health and readiness answers for load balancers and process managers."""
