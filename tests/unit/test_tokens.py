from chainproof.accounts.tokens import hash_token, issue_token, split_token, token_matches


def test_issued_tokens_are_unique_and_only_their_hash_matches():
    first, second = issue_token(), issue_token()
    assert first.plaintext != second.plaintext
    assert first.key_hash == hash_token(first.plaintext)
    assert first.plaintext not in first.key_hash
    assert token_matches(first.plaintext, first.key_hash)
    assert not token_matches(second.plaintext, first.key_hash)


def test_split_token_finds_the_lookup_prefix_and_rejects_garbage():
    issued = issue_token()
    assert split_token(issued.plaintext) == issued.prefix
    assert split_token("Bearer nonsense") is None
    assert split_token("cp_short_x") is None
    assert split_token("xx_" + issued.prefix + "_secret") is None
