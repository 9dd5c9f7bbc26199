"""The rules for passwords, throttling, session lifetimes and security codes, on plain values."""

from datetime import UTC, datetime, timedelta

import pyotp

from tracker.auth import rules

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_short_passwords_are_refused_with_the_minimum_length():
    assert rules.password_problem("elevenchars") == "Password must be 12 characters or more"


def test_common_passwords_are_refused_whatever_their_case():
    assert "too common" in rules.password_problem("Password1234")
    assert "too common" in rules.password_problem("qwerty123456")


def test_a_common_password_padded_with_digits_and_symbols_is_still_common():
    assert "too common" in rules.password_problem("Dragon2026!!!!")
    assert "too common" in rules.password_problem("1234sunshine5678")


def test_repeated_characters_are_refused():
    assert "too common" in rules.password_problem("aaaaaaaaaaaaaa")
    assert "too common" in rules.password_problem("abcabcabcabcabc")


def test_a_password_containing_the_persons_name_or_email_is_refused():
    assert rules.password_problem("greenfinch-aisha.karim", email="aisha.karim@example.org")
    assert rules.password_problem("my name is aishakarim!", name="Aisha Karim")


def test_a_long_passphrase_without_symbols_or_digits_is_accepted():
    assert rules.password_problem("correct horse battery staple") is None


def test_passwords_are_hashed_with_argon2id_and_verified():
    stored = rules.hash_password("correct horse battery staple")
    assert stored.startswith("$argon2id$")
    assert rules.verify_password(stored, "correct horse battery staple")
    assert not rules.verify_password(stored, "correct horse battery stapler")
    assert not rules.verify_password(None, "anything at all")


def test_throttle_allows_attempts_below_the_limit():
    failures = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 4)]
    assert rules.minutes_until_allowed(failures, now=NOW, limit=5, window=timedelta(minutes=15)) is None


def test_throttle_says_how_long_to_wait_once_the_limit_is_reached():
    failures = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 4, 10)]
    # The oldest failure leaves the 15-minute window in 5 minutes.
    assert rules.minutes_until_allowed(failures, now=NOW, limit=5, window=timedelta(minutes=15)) == 5


def test_throttle_ignores_failures_outside_the_window():
    failures = [NOW - timedelta(minutes=m) for m in (1, 2, 20, 30, 40)]
    assert rules.minutes_until_allowed(failures, now=NOW, limit=5, window=timedelta(minutes=15)) is None


def test_session_ends_after_thirty_idle_minutes_or_twelve_hours():
    idle, maximum = timedelta(minutes=30), timedelta(hours=12)
    fresh = NOW - timedelta(minutes=5)
    assert rules.session_end_reason(fresh, fresh, now=NOW, idle=idle, maximum=maximum) is None
    assert (
        rules.session_end_reason(fresh, NOW - timedelta(minutes=30), now=NOW, idle=idle, maximum=maximum)
        == "idle"
    )
    old = NOW - timedelta(hours=12)
    assert rules.session_end_reason(old, NOW, now=NOW, idle=idle, maximum=maximum) == "expired"


def test_a_session_made_without_a_code_is_over_once_the_persons_roles_need_one():
    idle, maximum = timedelta(minutes=30), timedelta(hours=12)
    fresh = NOW - timedelta(minutes=5)

    def reason(needs: bool, made_with_code: bool) -> str | None:
        return rules.session_end_reason(
            fresh, fresh, now=NOW, idle=idle, maximum=maximum, needs_second_factor=needs, second_factor=made_with_code
        )

    assert reason(needs=True, made_with_code=False) == "two-factor"
    assert reason(needs=True, made_with_code=True) is None
    assert reason(needs=False, made_with_code=False) is None


def test_a_security_code_is_accepted_once_and_not_replayed():
    secret = rules.new_totp_secret()
    code = pyotp.TOTP(secret).at(NOW)
    step = rules.check_totp(secret, code, last_counter=None, at=NOW)
    assert step is not None
    assert rules.check_totp(secret, code, last_counter=step, at=NOW) is None


def test_a_wrong_or_malformed_security_code_is_refused():
    secret = rules.new_totp_secret()
    assert rules.check_totp(secret, "12345", last_counter=None, at=NOW) is None
    assert rules.check_totp(secret, "abcdef", last_counter=None, at=NOW) is None
    code = pyotp.TOTP(secret).at(NOW - timedelta(minutes=5))
    assert rules.check_totp(secret, code, last_counter=None, at=NOW) is None


def test_tokens_are_stored_only_as_hashes():
    token, token_hash = rules.new_token()
    assert token_hash == rules.token_hash(token)
    assert token not in token_hash
