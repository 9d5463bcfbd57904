"""Class lists read into names, usernames made from them, and the login cards' secrets
(quizzes/roster.py): pure Python, no database."""

import pytest

from quizzes.names import skeleton
from quizzes.roster import (
    MAX_NAMES,
    RosterError,
    link_digest,
    names_from_csv,
    names_from_text,
    new_link_token,
    new_one_time_password,
    normalise_one_time_password,
    username_base,
    usernames,
)


def nothing_taken(candidates: set[str]) -> set[str]:
    return set()


def test_it_reads_one_name_a_line_and_skips_blank_lines():
    text = "Alice Smith\n\n  Bob   Jones \r\nSmith, Carol\n"
    assert names_from_text(text) == ["Alice Smith", "Bob Jones", "Carol Smith"]


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("Alice\nBob (teacher)\n", 2, "role in brackets"),
        ("Alice\n\n" + "A" * 61 + "\n", 3, "longer than 60"),
        ("Alice\nBo\u202eb\n", 2, "does not show"),
        ("Alice\n12345\n", 2, "no letters"),
    ],
)
def test_a_bad_line_stops_the_whole_list_and_says_which(text, line, says):
    with pytest.raises(RosterError) as error:
        names_from_text(text)
    assert error.value.line == line
    assert str(error.value).startswith(f"Line {line}:") and says in str(error.value)


def test_an_empty_or_huge_list_is_refused():
    with pytest.raises(RosterError, match="no names"):
        names_from_text("\n \n")
    with pytest.raises(RosterError, match=f"at most {MAX_NAMES:,}"):
        names_from_text("\n".join(f"Student {chr(65 + n % 26)}" for n in range(MAX_NAMES + 1)))


def test_it_reads_a_csv_by_its_name_column_whatever_else_it_has():
    raw = b'Year,Name,Tutor group\n7,Alice Smith,7A\n7,"Jones, Bob",7B\n\n'
    assert names_from_csv(raw) == ["Alice Smith", "Bob Jones"]


def test_it_reads_first_and_last_name_columns_with_semicolons_from_excel_on_windows():
    raw = "Surname;First name\nMüller;Zoë\n".encode("cp1252")
    assert names_from_csv(raw) == ["Zoë Müller"]
    assert names_from_csv("\ufeffname\nAlice\n".encode()) == ["Alice"]


@pytest.mark.parametrize(
    ("raw", "line", "says"),
    [
        (b"id,email\n1,a@b.c\n", 1, "no column is called"),
        (b"name,year\nAlice,7\nBob\n", 3, "1 cells where the first line has 2"),
        (b'name\nAlice\n"Bob\n', 0, "cannot be read as CSV"),
        (b"name\nAlice\n(admin) Eve\n", 3, "role in brackets"),
        (b"\x00\x01\x02name", 0, "not text"),
    ],
)
def test_a_malformed_csv_imports_nothing_and_says_which_line(raw, line, says):
    with pytest.raises(RosterError) as error:
        names_from_csv(raw)
    assert error.value.line == line and says in str(error.value)


@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("Alice Smith", "alice.s"),
        ("Alice", "alice"),
        ("Zoë Ólafsdóttir", "zoe.o"),
        ("Łukasz Øberg", "lukasz.o"),
        ("Mary-Jane O'Brien", "mary.b"),
        ("王芳", "student"),
    ],
)
def test_a_username_is_the_first_name_and_the_last_initial_in_plain_letters(name, base):
    assert username_base(name) == base


def test_duplicate_names_get_distinct_usernames():
    names = ["Alice Smith", "Bob Jones", "Alice Smith", "Alice Sharp"]
    assert usernames(names, nothing_taken) == ["alice.s", "bob.j", "alice.s2", "alice.s3"]


def test_it_skips_usernames_that_look_like_existing_ones():
    existing = {skeleton(name) for name in ["Alice.S", "alice.s2", "bob.j"]}
    asked = []

    def taken(candidates: set[str]) -> set[str]:
        asked.append(candidates)
        return candidates & existing

    assert usernames(["Alice Smith", "Alice Smith", "Bob Jones"], taken) == [
        "alice.s3",
        "alice.s4",
        "bob.j2",
    ]
    assert len(asked) == 1  # one question to the database for the whole list


def test_a_thousand_names_get_a_thousand_usernames_in_few_rounds():
    names = [f"Student {chr(65 + n % 5)}" for n in range(1000)]
    rounds = []

    def taken(candidates: set[str]) -> set[str]:
        rounds.append(len(candidates))
        return set()

    made = usernames(names, taken)
    assert len(set(made)) == 1000 and len({skeleton(u) for u in made}) == 1000
    assert len(rounds) == 1


def test_one_time_passwords_are_typed_forgivingly_and_tokens_are_long():
    password = new_one_time_password()
    assert len(password) == 14 and password.count("-") == 2
    assert normalise_one_time_password(f" {password.upper()} ") == password.replace("-", "")
    token = new_link_token()
    assert len(token) >= 43 and token != new_link_token()
    assert len(link_digest(token)) == 64 and link_digest(token) != token
