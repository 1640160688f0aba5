"""Min side: the patient's and next of kin's own channel into LKT, behind ID-porten (OpenID Connect)."""
