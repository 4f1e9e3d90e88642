"""``tisserand demo`` prints one banner: the address, the password and who coordinates what."""

from __future__ import annotations

from tisserand.demo import DEMO_PASSWORD, banner


def test_the_banner_says_where_and_who_to_log_in_as():
    text = banner("http://127.0.0.1:8000/")
    assert text.count("http://127.0.0.1:8000/") == 1
    assert DEMO_PASSWORD in text
    lines = text.splitlines()
    assert lines[0] == lines[-1] and set(lines[0]) == {"="}
    camille = next(line for line in lines if line.strip().startswith("camille"))
    assert "site administrator" in camille and "animateurs" in camille
    assert any(line.strip().startswith("sophie") and "bibliotheques" in line for line in lines)
    assert any(line.strip().startswith("amelia") and "open-data" in line for line in lines)
    assert "cohorte-2024 is archived" in text and "bibliotheques fell quiet" in text
    assert len(lines) < 15
