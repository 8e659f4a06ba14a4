def test_sign_in_and_find(client, login_as, make_person):
    person_id = make_person(given_name="Margaret", family_name="Thompson")
    login_as("practitioner")
    response = client.get("/people/search?q=Margret+Thomson")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert "Thompson" in response.get_data(as_text=True).upper() or "THOMPSON" in response.get_data(as_text=True)
    response = client.get(f"/people/{person_id}")
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
